"""The QBO query language.

SELECT * | COUNT(*) FROM X [WHERE a op v AND ...] [ORDERBY f [ASC|DESC]] [STARTPOSITION n] [MAXRESULTS m]
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.qbo.company import Company, Entity
from sandbox.qbo.entities import EntityKind, kind_by_name
from sandbox.qbo.faults import invalid_query
from sandbox.qbo.timefmt import parse_datetime

MAX_RESULTS = 1000
DEFAULT_RESULTS = 100

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>'(?:\\.|''|[^'\\])*')
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<op><=|>=|!=|<>|=|<|>)
    | (?P<punct>[(),*])
    | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""", re.VERBOSE)


@dataclass
class Condition:
    path: list[str]
    op: str
    values: list[Any]


@dataclass
class Query:
    entity: str
    count: bool = False
    conditions: list[Condition] = field(default_factory=list)
    order: list[tuple[list[str], bool]] = field(default_factory=list)
    start: int = 1
    max_results: int = DEFAULT_RESULTS


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip().rstrip(";")
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            if text[pos:].strip() == "":
                break
            raise invalid_query(f"Encountered \"{text[pos:pos + 10]}\" at column {pos + 1}.")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def _literal(kind: str, text: str) -> Any:
    if kind == "string":
        return text[1:-1].replace("\\'", "'").replace("''", "'")
    if kind == "number":
        return Decimal(text)
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise invalid_query(f"Encountered \"{text}\"; expected a value.")


def parse(text: str) -> Query:
    toks = _tokens(text)
    pos = 0

    def peek(offset: int = 0) -> tuple[str, str]:
        return toks[pos + offset] if pos + offset < len(toks) else ("eof", "")

    def word(expected: str) -> bool:
        kind, value = peek()
        return kind == "word" and value.upper() == expected

    def take() -> tuple[str, str]:
        nonlocal pos
        token = peek()
        pos += 1
        return token

    if not word("SELECT"):
        raise invalid_query("Encountered the query without SELECT.")
    take()
    count = False
    if peek()[1].upper() == "COUNT":
        take()
        if [take()[1] for _ in range(3)] != ["(", "*", ")"]:
            raise invalid_query("COUNT takes only *")
        count = True
    else:
        # Field lists are accepted (python-quickbooks asks for "*, Sku") but every populated field comes back.
        while not word("FROM"):
            if peek()[0] == "eof":
                raise invalid_query("Encountered \"<EOF>\"; expected FROM.")
            take()
    if not word("FROM"):
        raise invalid_query("expected FROM")
    take()
    kind_tok, entity = take()
    if kind_tok != "word":
        raise invalid_query("expected an entity name after FROM")
    query = Query(entity=entity, count=count)
    if word("WHERE"):
        take()
        while True:
            f_kind, f_name = take()
            if f_kind != "word":
                raise invalid_query(f"Encountered \"{f_name}\"; expected a property name.")
            path = f_name.split(".")
            o_kind, op = peek()
            if o_kind == "op":
                take()
                v_kind, v_text = take()
                query.conditions.append(Condition(path, "!=" if op == "<>" else op, [_literal(v_kind, v_text)]))
            elif o_kind == "word" and op.upper() == "LIKE":
                take()
                v_kind, v_text = take()
                if v_kind != "string":
                    raise invalid_query("LIKE needs a quoted pattern")
                query.conditions.append(Condition(path, "LIKE", [_literal(v_kind, v_text)]))
            elif o_kind == "word" and op.upper() == "IN":
                take()
                if take()[1] != "(":
                    raise invalid_query("IN needs a parenthesised list")
                values = []
                while True:
                    v_kind, v_text = take()
                    values.append(_literal(v_kind, v_text))
                    sep = take()[1]
                    if sep == ")":
                        break
                    if sep != ",":
                        raise invalid_query("IN list items are separated by commas")
                query.conditions.append(Condition(path, "IN", values))
            else:
                raise invalid_query(f"Encountered \"{op}\" after {f_name}; expected an operator.")
            if word("AND"):
                take()
                continue
            if word("OR"):
                raise invalid_query("OR is not supported; QBO queries only combine conditions with AND.")
            break
    while peek()[0] != "eof":
        kind_tok, value = take()
        upper = value.upper()
        if upper in ("ORDERBY", "ORDER"):
            if upper == "ORDER":
                if not word("BY"):
                    raise invalid_query("expected BY after ORDER")
                take()
            while True:
                f_kind, f_name = take()
                if f_kind != "word":
                    raise invalid_query("expected a property after ORDERBY")
                descending = False
                if word("DESC") or word("ASC"):
                    descending = take()[1].upper() == "DESC"
                query.order.append((f_name.split("."), descending))
                if peek()[1] == ",":
                    take()
                    continue
                break
        elif upper in ("STARTPOSITION", "MAXRESULTS"):
            n_kind, n_text = take()
            if n_kind != "number":
                raise invalid_query(f"{upper} needs a number")
            number = int(float(n_text))
            if upper == "STARTPOSITION":
                query.start = max(number, 1)
            else:
                if number > MAX_RESULTS:
                    raise invalid_query(f"value {number} for MAXRESULTS is too large. Max allowed value is 1000")
                query.max_results = max(number, 0)
        else:
            raise invalid_query(f"Encountered \"{value}\" at the end of the query.")
    return query


# A filter or sort on an object-valued property compares the object's scalar: a reference (`CustomerRef = '12'`)
# its `value`, an e-mail address (`PrimaryEmailAddr = 'a@b.com'`, `BillEmail`) its `Address`, a phone its
# `FreeFormNumber`, a web address its `URI`.
_SCALAR_KEYS = ("value", "Address", "FreeFormNumber", "URI")


def _lookup(entity: Any, path: list[str]) -> Any:
    current = entity
    for part in path:
        if not isinstance(current, dict):
            return None
        match = next((k for k in current if k.lower() == part.lower()), None)
        if match is None:
            return None
        current = current[match]
    if isinstance(current, dict):
        return next((current[key] for key in _SCALAR_KEYS if key in current), None)
    if isinstance(current, list):
        return None
    return current


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _comparable(left: Any, right: Any, path: list[str], company: Company) -> tuple[Any, Any]:
    if isinstance(left, bool) or isinstance(right, bool):
        return str(left).lower(), str(right).lower()
    if isinstance(left, (int, float, Decimal)):
        # Amounts compare as numbers, in Decimal: `Balance > '0'` quotes the number as QBO's docs do.
        left_n, right_n = _number(left), _number(right)
        if left_n is not None and right_n is not None:
            return left_n, right_n
        return str(left), str(right)
    left_s, right_s = str(left), str(right)
    if path[0].lower() == "metadata" and "T" in left_s:
        try:
            return parse_datetime(left_s, company.zone), parse_datetime(right_s, company.zone)
        except ValueError:
            pass
    if len(right_s) == 10 and len(left_s) == 10:
        try:
            return date.fromisoformat(left_s), date.fromisoformat(right_s)
        except ValueError:
            pass
    if left_s.isdigit() and right_s.isdigit():
        return int(left_s), int(right_s)
    # String comparisons are case-insensitive in QBO.
    return left_s.lower(), right_s.lower()


def _matches(entity: Entity, cond: Condition, company: Company) -> bool:
    value = _lookup(entity, cond.path)
    if value is None:
        return False
    if cond.op == "LIKE":
        pattern = "^" + ".*".join(re.escape(part) for part in str(cond.values[0]).split("%")) + "$"
        return re.match(pattern, str(value), re.IGNORECASE | re.DOTALL) is not None
    if cond.op == "IN":
        return any(_comparable(value, v, cond.path, company)[0] == _comparable(value, v, cond.path, company)[1]
                   for v in cond.values)
    left, right = _comparable(value, cond.values[0], cond.path, company)
    try:
        return {"=": left == right, "!=": left != right, "<": left < right, ">": left > right,
                "<=": left <= right, ">=": left >= right}[cond.op]
    except TypeError:
        return False


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return (1, Decimal(str(value)))
    text = str(value)
    return (2, (len(text), text)) if text.isdigit() else (3, text.lower())


def _check_fields(kind: EntityKind, paths: list[list[str]]) -> None:
    known = {name.lower() for name in kind.fields | {"Id", "SyncToken", "MetaData"}}
    for path in paths:
        if path[0].lower() not in known:
            raise invalid_query(f"property '{'.'.join(path)}' is not queryable")


def execute(company: Company, text: str) -> dict[str, Any]:
    query = parse(text)
    kind = kind_by_name(query.entity)
    if kind is None:
        raise invalid_query(f"invalid context declaration: {query.entity}")
    _check_fields(kind, [c.path for c in query.conditions] + [p for p, _ in query.order])
    rows = company.all(kind.name)
    if kind.name_list and not any(c.path[0].lower() == "active" for c in query.conditions):
        rows = [row for row in rows if row.get("Active", True) is not False]
    rows = [row for row in rows if all(_matches(row, cond, company) for cond in query.conditions)]
    if query.count:
        return {"totalCount": len(rows)}
    rows.sort(key=lambda row: _sort_key(row.get("Id")))
    for path, descending in reversed(query.order):
        rows.sort(key=lambda row, p=path: _sort_key(_lookup(row, p)), reverse=descending)  # type: ignore[misc]
    page = rows[query.start - 1:query.start - 1 + query.max_results]
    if not page:
        return {}
    return {kind.name: copy.deepcopy(page), "startPosition": query.start, "maxResults": len(page)}
