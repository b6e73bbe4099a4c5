"""Query paging (STARTPOSITION/MAXRESULTS) and CDC paging past its 1000-object cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hubbooks.adapters.qbo.client import QboClient, quote_literal
from hubbooks.adapters.qbo.rate_budget import RealmBudgets
from hubbooks.adapters.qbo.transport import BearerToken, QboTransport
from tests.unit.qbo.fakes import ScriptedSession, SentRequest, response


class StaticTokens:
    def current(self, realm_id: str) -> BearerToken:
        return BearerToken("at", 1)

    def after_rejection(self, realm_id: str, rejected: BearerToken) -> BearerToken:
        raise AssertionError("no 401 expected")


def client_for(session: ScriptedSession) -> QboClient:
    return QboClient(QboTransport(session, "https://qbo.test", StaticTokens(),  # type: ignore[arg-type]
                                  budgets=RealmBudgets()), "1")


def test_query_all_walks_the_pages_until_a_short_one() -> None:
    customers = [{"Id": str(i)} for i in range(1, 6)]

    def page(sent: SentRequest):
        statement = sent.params["query"]
        start = int(statement.split("STARTPOSITION ")[1].split()[0])
        size = int(statement.split("MAXRESULTS ")[1])
        rows = customers[start - 1:start - 1 + size]
        body = {"QueryResponse": {"Customer": rows, "startPosition": start, "maxResults": len(rows)}} if rows \
            else {"QueryResponse": {}}
        return response(200, body)

    session = ScriptedSession([page] * 3)
    rows = list(client_for(session).query_all("SELECT * FROM Customer ORDERBY Id", page_size=2))
    assert [r["Id"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [s.params["query"] for s in session.sent] == [
        "SELECT * FROM Customer ORDERBY Id STARTPOSITION 1 MAXRESULTS 2",
        "SELECT * FROM Customer ORDERBY Id STARTPOSITION 3 MAXRESULTS 2",
        "SELECT * FROM Customer ORDERBY Id STARTPOSITION 5 MAXRESULTS 2"]


def test_query_all_refuses_statements_that_page_themselves() -> None:
    with pytest.raises(ValueError, match="STARTPOSITION"):
        list(client_for(ScriptedSession()).query_all("SELECT * FROM Item MAXRESULTS 10"))


def test_count_and_literals() -> None:
    session = ScriptedSession([response(200, {"QueryResponse": {"totalCount": 7}})])
    assert client_for(session).count("Invoice", f"DocNumber = {quote_literal(chr(39) + 'x')}") == 7
    assert session.sent[0].params["query"] == "SELECT COUNT(*) FROM Invoice WHERE DocNumber = '\\'x'"
    with pytest.raises(ValueError):
        client_for(ScriptedSession()).count("Invoice; DROP", "")


def _cdc(objects: list[dict]) -> dict:
    return {"CDCResponse": [{"QueryResponse": [{"Customer": objects, "startPosition": 1,
                                                "maxResults": len(objects)}]}]}


def test_cdc_asks_again_from_the_newest_change_when_a_response_hits_the_cap() -> None:
    base = datetime(2026, 11, 1, tzinfo=UTC)
    first = [{"Id": str(i), "MetaData": {"LastUpdatedTime": (base + timedelta(seconds=i)).isoformat()}}
             for i in range(1000)]
    overlap_and_rest = [first[-1], {"Id": "1000", "MetaData": {"LastUpdatedTime":
                                                              (base + timedelta(seconds=1000)).isoformat()}},
                        {"Id": "7", "status": "Deleted", "MetaData": {"LastUpdatedTime":
                                                                      (base + timedelta(seconds=1001)).isoformat()}}]
    session = ScriptedSession([response(200, _cdc(first)), response(200, _cdc(overlap_and_rest))])
    changes = list(client_for(session).changes_since(["Customer"], base, now=base + timedelta(days=1)))
    assert len(changes) == 1002  # the overlapping object is not yielded twice
    assert changes[-1].deleted and changes[-1].entity == "Customer"
    assert session.sent[0].params["changedSince"] == base.isoformat()
    assert session.sent[1].params["changedSince"] == (base + timedelta(seconds=999)).isoformat()


def test_cdc_refuses_more_than_thirty_days() -> None:
    now = datetime(2026, 11, 28, tzinfo=UTC)
    with pytest.raises(ValueError, match="30 days"):
        list(client_for(ScriptedSession()).changes_since(["Invoice"], now - timedelta(days=31), now=now))
