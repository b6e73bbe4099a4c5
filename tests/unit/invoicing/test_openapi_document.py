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


def test_every_route_documents_the_errors_it_can_answer_in_one_shape() -> None:
    document = json.loads(generated_document())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert {"400", "413", "415", "422", "429", "503"} <= statuses, (method, path)
            if path.startswith("/app/"):
                assert {"401", "403", "404", "409"} <= statuses, (method, path)
            error = operation["responses"]["422"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorResponse"}
    preview_refusal = document["paths"]["/invoices/preview"]["get"]["responses"]["403"]["content"]
    assert "text/html" in preview_refusal
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_money_and_quantities_are_decimal_strings_with_a_pattern() -> None:
    schemas = json.loads(generated_document())["components"]["schemas"]
    decimals = [(name, field, spec) for name, schema in schemas.items()
                for field, spec in schema.get("properties", {}).items()
                if field in ("quantity", "rate", "amount", "total", "balance", "subtotal", "tax", "price")]
    assert len(decimals) >= 8
    for name, field, spec in decimals:
        options = spec.get("anyOf", [spec])
        assert not any(option.get("type") in ("number", "integer") for option in options), (name, field)
        assert any(option.get("pattern") == r"^-?[0-9]+(\.[0-9]+)?$" for option in options), (name, field, spec)
