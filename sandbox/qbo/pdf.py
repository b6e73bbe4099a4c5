"""A small hand-built PDF 1.4 document for a sales transaction (one page, Helvetica, text only)."""

from __future__ import annotations

from sandbox.qbo.company import Company, Entity
from sandbox.qbo.entities.base import to_money

TITLES = {"Invoice": "INVOICE", "Estimate": "ESTIMATE", "CreditMemo": "CREDIT MEMO"}


def _escape(text: str) -> str:
    latin = text.encode("latin-1", "replace").decode("latin-1")
    return latin.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _amount(value: object) -> str:
    return f"{to_money(str(value or 0)):,}"


def _text_lines(company: Company, kind: str, entity: Entity) -> list[tuple[int, str]]:
    """(font size, text) rows, top to bottom."""
    currency = (entity.get("CurrencyRef") or {}).get("value", company.home_currency)
    rows: list[tuple[int, str]] = [(18, company.name), (14, TITLES.get(kind, kind.upper()))]
    rows.append((11, f"{TITLES.get(kind, kind).title()} no.: {entity.get('DocNumber', entity['Id'])}"))
    rows.append((11, f"Date: {entity.get('TxnDate', '')}"))
    if entity.get("DueDate"):
        rows.append((11, f"Due date: {entity['DueDate']}"))
    customer = entity.get("CustomerRef") or {}
    rows.append((11, f"Bill to: {customer.get('name', customer.get('value', ''))}"))
    rows.append((11, ""))
    rows.append((11, "Description / Qty / Rate / Amount"))
    for line in entity.get("Line", []):
        detail = line.get("SalesItemLineDetail")
        if not isinstance(detail, dict):
            continue
        label = line.get("Description") or (detail.get("ItemRef") or {}).get("name", "")
        qty = detail.get("Qty", "")
        rate = _amount(detail["UnitPrice"]) if "UnitPrice" in detail else ""
        rows.append((11, f"{label} / {qty} / {rate} / {_amount(line.get('Amount'))}"))
    subtotal = next((line["Amount"] for line in entity.get("Line", [])
                     if line.get("DetailType") == "SubTotalLineDetail"), 0)
    rows.append((11, ""))
    rows.append((11, f"Subtotal: {_amount(subtotal)}"))
    rows.append((11, f"Tax: {_amount((entity.get('TxnTaxDetail') or {}).get('TotalTax', 0))}"))
    rows.append((12, f"Total: {currency} {_amount(entity.get('TotalAmt'))}"))
    if "Balance" in entity:
        rows.append((12, f"Balance due: {currency} {_amount(entity.get('Balance'))}"))
    return rows


def render(company: Company, kind: str, entity: Entity) -> bytes:
    content_parts = ["BT"]
    y = 800
    for size, text in _text_lines(company, kind, entity):
        content_parts.append(f"/F1 {size} Tf 1 0 0 1 50 {y} Tm ({_escape(text)}) Tj")
        y -= size + 8
    content_parts.append("ET")
    stream = "\n".join(content_parts).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)
