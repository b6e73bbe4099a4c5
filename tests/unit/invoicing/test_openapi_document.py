"""The committed OpenAPI document matches the routes (regenerate with `python -m scripts.write_openapi`)."""

from __future__ import annotations

import json

from scripts.write_openapi import DOCUMENT, generated_document


def test_committed_openapi_document_is_current() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == generated_document(), (
        "docs/openapi.json is stale: run `python -m scripts.write_openapi` and commit the result")


def test_every_card_route_is_documented_with_its_bodies() -> None:
    document = json.loads(generated_document())
    paths = document["paths"]
    assert "/app/deals/{deal_id}/invoices" in paths and "/app/invoice-links" in paths
    assert "/openapi.json" not in paths
    create = paths["/app/deals/{deal_id}/invoices"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("InvoiceSubmission")
    assert "InvoiceSubmission" in document["components"]["schemas"]
