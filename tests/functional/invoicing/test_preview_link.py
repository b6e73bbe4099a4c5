"""Preview in the card's iframe: a short-lived link carries its own proof, since HubSpot cannot sign iframe loads."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import invoice_handler

from tests.functional.invoicing.conftest import World
from tests.functional.invoicing.test_card_and_wizard import submission
from tests.support import LambdaContext, http_event


def _open(url: str) -> dict:
    parts = urlsplit(url)
    return invoice_handler.lambda_handler(http_event("GET", parts.path, query={
        key: values[0] for key, values in parse_qs(parts.query).items()}), LambdaContext())


def test_preview_link_opens_the_pdf_without_a_hubspot_signature(world: World) -> None:
    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=submission(world, "us"))
    assert status == 200, created
    invoice_id, realm = created["invoice"]["invoice_id"], world.realms["us"]

    status, link, _ = world.call("POST", f"/app/qbo/{realm}/invoices/{invoice_id}/preview-link")
    assert status == 200, link
    assert link["url"].startswith("https://api.hubbooks.test/invoices/preview?link=")

    first, again = _open(link["url"]), _open(link["url"])  # PDF viewers fetch more than once
    for response in (first, again):
        assert response["statusCode"] == 200 and response["isBase64Encoded"]
        assert base64.b64decode(response["body"]).startswith(b"%PDF")


def test_tampered_or_unsigned_preview_links_are_refused_with_a_page(world: World) -> None:
    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=submission(world, "us"))
    assert status == 200, created
    realm = world.realms["us"]
    _, link, _ = world.call("POST", f"/app/qbo/{realm}/invoices/{created['invoice']['invoice_id']}/preview-link")
    token = parse_qs(urlsplit(link["url"]).query)["link"][0]
    payload, signature = token.split(".")
    forged = f"{payload[:-2]}AA.{signature}"

    for response in (_open(f"https://api.hubbooks.test/invoices/preview?link={forged}"),
                     _open("https://api.hubbooks.test/invoices/preview")):
        assert response["statusCode"] == 403
        assert "Open the preview again" in response["body"]


def test_preview_link_is_refused_for_a_company_the_portal_has_not_connected(world: World) -> None:
    status, answer, _ = world.call("POST", f"/app/qbo/{world.realms['us']}/invoices/1/preview-link",
                                   portal_id=world.portal_id + 1)
    assert status == 404 and answer["error"] == "company_not_connected", answer
