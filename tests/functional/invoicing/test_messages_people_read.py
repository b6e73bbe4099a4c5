"""What a salesperson reads when something is wrong: the field in words and what to do, never a regular expression or
an internal path; HTML in the preview iframe; and a review that refuses what create would refuse."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import invoice_handler

from tests.functional.invoicing.conftest import World
from tests.functional.invoicing.test_card_and_wizard import submission
from tests.functional.invoicing.test_live_status import _latest, qbo_api
from tests.support import LambdaContext, http_event

INTERNAL = re.compile(r"\^|\$|\[0-9|\{1,|\w+\.\d+\.\w+|Input should|String should|invalid character")


def _assert_in_words(answer: dict[str, Any]) -> None:
    texts = [answer["message"], *(field["message"] for field in answer.get("details", {}).get("fields", []))]
    for text in texts:
        assert not INTERNAL.search(text), text


def test_a_bad_quantity_names_the_line_and_the_field(world: World) -> None:
    draft = {"realm_id": world.realms["us"], "customer_id": "1",
             "lines": [{"item_id": "3", "quantity": "1", "rate": "1"}, {"item_id": "3", "quantity": "0", "rate": "1"}]}
    status, answer, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoice-review", body=draft)
    assert status == 422, answer
    assert "Line 2: quantity must be greater than 0." in answer["message"], answer
    assert answer["details"]["fields"][0]["field"] == "lines.1.quantity"  # the card still finds the input
    _assert_in_words(answer)


def test_a_malformed_date_explains_the_format(world: World) -> None:
    draft = {"realm_id": world.realms["us"], "customer_id": "1", "invoice_date": "31/12/2026",
             "lines": [{"item_id": "3", "quantity": "1", "rate": "1"}]}
    status, answer, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoice-review", body=draft)
    assert status == 422, answer
    assert "Invoice date must be a date written as YYYY-MM-DD" in answer["message"], answer
    _assert_in_words(answer)


def test_patterns_become_plain_requirements(world: World) -> None:
    realm = world.realms["us"]
    status, answer, _ = world.call("POST", f"/app/qbo/{realm}/customers", body={
        "display_name": "Ann", "email": "not-an-email", "currency": "usd", "submission_id": "short"})
    assert status == 422, answer
    messages = {field["field"]: field["message"] for field in answer["details"]["fields"]}
    assert messages == {
        "email": "Email address must be an email address such as name@yourcompany.com.",
        "currency": "Currency must be a three-letter currency code such as USD.",
        "submission_id": "Submission id must be 8 to 64 letters, digits, dashes or underscores."}
    status, answer, _ = world.call("GET", f"/app/deals/{world.deal_id}/quotes/1/invoice-lines",
                                   query={"realmId": "a'b"})
    assert status == 422 and "QuickBooks company must be a QuickBooks company id" in answer["message"], answer
    _assert_in_words(answer)


def test_a_deleted_invoice_preview_is_a_page_not_json(world: World) -> None:
    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=submission(world, "us"))
    assert status == 200, created
    realm, invoice_id = world.realms["us"], created["invoice"]["invoice_id"]
    status, link, _ = world.call("POST", f"/app/qbo/{realm}/invoices/{invoice_id}/preview-link")
    assert status == 200, link
    qbo_api(world, realm, "POST", "invoice?operation=delete", _latest(world, realm, invoice_id))

    parts = urlsplit(link["url"])
    response = invoice_handler.lambda_handler(http_event("GET", parts.path, query={
        key: values[0] for key, values in parse_qs(parts.query).items()}), LambdaContext())
    assert response["statusCode"] == 404
    assert response["headers"]["Content-Type"].startswith("text/html")
    assert response["body"].startswith("<!doctype html>") and "no longer exists in QuickBooks" in response["body"]


def test_the_review_refuses_an_expired_quote_as_create_does(world: World) -> None:
    draft = {"realm_id": world.realms["us"], "customer_id": "1", "quote_id": world.quotes["expired"],
             "lines": [{"item_id": "3", "quantity": "1", "rate": "1"}]}
    status, answer, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoice-review", body=draft)
    assert status == 422 and answer["error"] == "quote_not_usable", answer
    assert "expired" in answer["message"]

    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices",
                                    body={**draft, "submission_id": "expired-quote-1"})
    assert (status, created["error"]) == (422, "quote_not_usable")


def test_the_review_refuses_a_company_that_create_would_refuse(world: World) -> None:
    draft = {"realm_id": world.realms["custom"], "customer_id": "1",
             "lines": [{"item_id": "3", "quantity": "1", "rate": "1"}]}
    status, answer, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoice-review", body=draft)
    created_status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices",
                                            body={**draft, "submission_id": "numbered-company-1"})
    assert created_status == 409, created
    assert (status, answer["error"]) == (created_status, created["error"]), answer
