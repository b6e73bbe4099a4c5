"""The app card's API end to end in-process: signed events into the invoice function, simulators behind it.

Money travels as decimal strings ("120.01"), never binary floats."""

from __future__ import annotations

import base64
import uuid

from tests.functional.invoicing.conftest import World


def submission(world: World, realm: str, **extra) -> dict:
    return {"realm_id": world.realms[realm], "customer_id": "1", "submission_id": uuid.uuid4().hex,
            "lines": [{"item_id": "3", "quantity": "2", "rate": "150"}], **extra}


def test_card_of_a_deal_without_invoices_offers_next_steps(world: World) -> None:
    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")
    assert status == 200, card
    assert card["invoices"] == [] and card["hubspot_currency"] == "USD"
    assert {c["company_name"]: c["can_create_invoices"] for c in card["companies"]} == {
        "Acme US": True, "Acme UK": True, "Numbered Inc": False}
    assert [a["action"] for a in card["next_actions"]] == ["create_invoice", "link_existing_invoice"]


def test_wizard_from_a_published_quote_creates_one_invoice_for_a_double_submission(world: World) -> None:
    status, start, _ = world.call("GET", f"/app/deals/{world.deal_id}/invoice-wizard")
    assert status == 200, start
    usable = {q["quote_id"]: q for q in start["quotes"]}
    assert usable[world.quotes["published"]]["usable"]
    assert "draft" in usable[world.quotes["draft"]]["reason"]
    assert "expired" in usable[world.quotes["expired"]]["reason"]

    realm = world.realms["us"]
    status, lines, _ = world.call("GET", f"/app/deals/{world.deal_id}/quotes/{world.quotes['published']}"
                                         "/invoice-lines", query={"realmId": realm})
    assert status == 200, lines
    assert [(line["item_name"], line["quantity"]) for line in lines["lines"]] == [("Consulting", "2"), ("Widget", "4")]
    assert [u["name"] for u in lines["unmapped"]] == ["Gold-plated perch"]
    assert lines["customer_suggestions"][0]["display_name"] == "Amy's Bird Sanctuary"

    status, options, _ = world.call("GET", f"/app/qbo/{realm}/invoice-options")
    assert status == 200 and not options["tax_required"] and options["can_create_invoices"]

    draft = {"realm_id": realm, "customer_id": lines["customer_suggestions"][0]["customer_id"],
             "quote_id": world.quotes["published"], "term_id": "2",
             "lines": [{k: line[k] for k in ("item_id", "quantity", "rate", "description")}
                       for line in lines["lines"]]}
    status, review, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoice-review", body=draft)
    assert status == 200, review
    assert review["subtotal"] == "400.00" and review["tax"] is None and review["term_name"] == "Net 15"

    body = {**draft, "submission_id": "double-click-1"}
    first_status, first, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=body)
    second_status, second, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=body)
    assert first_status == second_status == 200, (first, second)
    assert first["invoice"]["invoice_id"] == second["invoice"]["invoice_id"]
    assert first["deal_properties_updated"]
    assert world.qbo("GET", f"companies/{realm}")["counts"]["Invoice"] == 1

    props = world.deal_properties()
    assert props["hubbooks_invoice_amount_billed"] in ("400", "400.0", "400.00")
    assert props["hubbooks_invoice_status"] == "waiting_to_be_sent"
    assert props["hubbooks_invoice_number"] == first["invoice"]["number"]

    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")
    assert status == 200
    [shown] = card["invoices"]
    assert shown["qbo_url"].endswith(f"txnId={shown['invoice_id']}") and shown["status"] == "waiting_to_be_sent"

    status, pdf, response = world.call("GET", f"/app/qbo/{realm}/invoices/{shown['invoice_id']}/pdf")
    assert status == 200 and response["isBase64Encoded"]
    assert base64.b64decode(pdf).startswith(b"%PDF")


def test_uk_invoice_from_scratch_needs_vat_on_every_line(world: World) -> None:
    realm = world.realms["gb"]
    status, options, _ = world.call("GET", f"/app/qbo/{realm}/invoice-options")
    assert status == 200 and options["tax_required"] and options["tax_label"] == "VAT"
    standard = next(c["tax_code_id"] for c in options["tax_codes"] if c["name"].startswith("20"))

    status, items, _ = world.call("GET", f"/app/qbo/{realm}/items", query={"search": "consult"})
    assert status == 200 and [i["name"] for i in items] == ["Consulting"]

    missing = submission(world, "gb")
    status, refused, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=missing)
    assert status == 422 and refused["details"]["fields"][0]["field"] == "lines[0].tax_code_id"
    assert "VAT" in refused["message"]

    ok = submission(world, "gb", lines=[{"item_id": items[0]["item_id"], "quantity": "3", "rate": "33.3367",
                                         "tax_code_id": standard}], customer_message="Thanks!")
    status, review, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoice-review",
                                   body={k: v for k, v in ok.items() if k != "submission_id"})
    assert status == 200 and review["total"] == "120.01"  # 100.01 + 20% VAT on the sum
    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=ok)
    assert status == 200, created
    assert created["invoice"]["amount"] == review["total"]  # QuickBooks computed what the review showed
    assert created["invoice"]["currency"] == "GBP" and not created["deal_properties_updated"]


def test_custom_transaction_numbers_refuse_until_the_company_opts_in(world: World) -> None:
    realm = world.realms["custom"]
    status, refused, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=submission(world, "custom"))
    assert status == 409 and "Account and settings > Sales > Custom transaction numbers" in refused["message"]
    assert world.qbo("GET", f"companies/{realm}")["counts"].get("Invoice", 0) == 0

    status, bad, _ = world.call("PUT", f"/app/qbo/{realm}/invoicing-settings",
                                body={"assign_doc_numbers": True, "doc_number_prefix": "bad prefix!"})
    assert status == 422 and bad["details"]["fields"][0]["field"] == "doc_number_prefix"
    status, settings, _ = world.call("PUT", f"/app/qbo/{realm}/invoicing-settings",
                                     body={"assign_doc_numbers": True, "doc_number_prefix": "HB-"})
    assert status == 200 and settings["can_create_invoices"] and settings["custom_txn_numbers"]

    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=submission(world, "custom"))
    assert status == 200, created
    assert created["invoice"]["number"] == "HB-1"


def test_new_customer_with_a_taken_name_gets_a_distinct_one(world: World) -> None:
    realm = world.realms["us"]
    body = {"display_name": "Amy's Bird Sanctuary", "email": "second@birds.example", "submission_id": "cust-00001"}
    status, created, _ = world.call("POST", f"/app/qbo/{realm}/customers", body=body)
    assert status == 200, created
    assert created["renamed"] and created["customer"]["display_name"] == "Amy's Bird Sanctuary (2)"
    status, again, _ = world.call("POST", f"/app/qbo/{realm}/customers", body=body)
    assert again["customer"]["customer_id"] == created["customer"]["customer_id"]
    status, found, _ = world.call("GET", f"/app/qbo/{realm}/customers", query={"search": "Bird"})
    assert status == 200 and len(found) == 2


def test_link_an_existing_invoice_to_a_contact_then_unlink(world: World) -> None:
    realm = world.realms["us"]
    _, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=submission(world, "us"))
    number = created["invoice"]["number"]
    status, found, _ = world.call("GET", f"/app/qbo/{realm}/invoices", query={"number": number})
    assert status == 200 and [i["number"] for i in found["invoices"]] == [number]

    body = {"realm_id": realm, "invoice_ids": [found["invoices"][0]["invoice_id"], "999999"],
            "object_type": "contact", "object_id": world.contact_id}
    status, linked, _ = world.call("POST", "/app/invoice-links", body=body)
    assert status == 200 and len(linked["linked"]) == 1 and linked["not_found"] == ["999999"]
    _, card, _ = world.call("GET", f"/app/cards/contact/{world.contact_id}")
    assert [i["number"] for i in card["invoices"]] == [number]
    assert [a["action"] for a in card["next_actions"]] == ["link_existing_invoice"]

    invoice_id = found["invoices"][0]["invoice_id"]
    status, gone, _ = world.call("DELETE", f"/app/invoice-links/contact/{world.contact_id}/{realm}/{invoice_id}")
    assert status == 200 and gone["unlinked"]
    _, card, _ = world.call("GET", f"/app/cards/contact/{world.contact_id}")
    assert card["invoices"] == []


def test_bad_input_gets_field_level_4xx(world: World) -> None:
    status, answer, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices",
                                   body={"realm_id": world.realms["us"], "lines": [], "submission_id": "x"})
    assert status == 422
    fields = {f["field"] for f in answer["details"]["fields"]}
    assert {"customer_id", "lines", "submission_id"} <= fields
    status, answer, _ = world.call("GET", "/app/qbo/unknown1/invoice-options")
    assert status == 404 and answer["error"] == "company_not_connected"
    status, answer, _ = world.call("GET", "/app/deals/123456789/invoice-wizard")
    assert status == 404 and "no HubSpot deal" in answer["message"]
    status, answer, _ = world.call("GET", f"/app/cards/ticket/{world.deal_id}")
    assert status == 422


def test_another_portal_cannot_use_these_companies(world: World) -> None:
    status, answer, _ = world.call("GET", f"/app/qbo/{world.realms['us']}/invoice-options", portal_id=999)
    assert status == 404 and answer["error"] == "company_not_connected"


def test_malformed_ids_and_bodies_get_a_4xx_that_says_what_to_fix(world: World) -> None:
    realm = world.realms["us"]
    link = {"realm_id": realm, "object_type": "deal", "object_id": world.deal_id}
    for bad_ids, field in ((["x" * 5000], "invoice_ids.0"), (["12 OR 1"], "invoice_ids.0")):
        status, answer, _ = world.call("POST", "/app/invoice-links", body={**link, "invoice_ids": bad_ids})
        assert status == 422 and field in {f["field"] for f in answer["details"]["fields"]}, answer
    status, answer, _ = world.call("POST", "/app/invoice-links", body={**link, "realm_id": "a#b", "invoice_ids": ["1"]})
    assert status == 422 and answer["details"]["fields"][0]["field"] == "realm_id"

    draft = {"realm_id": realm, "customer_id": "1", "lines": [{"item_id": "1", "quantity": 1, "rate": 1}]}
    for bad, field in (({"realm_id": "x'y"}, "realm_id"), ({"quote_id": "abc"}, "quote_id"),
                       ({"invoice_date": "0001-01-01"}, "invoice_date"), ({"due_date": "9999-12-31"}, "due_date")):
        status, answer, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoice-review", body={**draft, **bad})
        assert status == 422 and answer["details"]["fields"][0]["field"] == field, answer
    status, answer, _ = world.call("POST", f"/app/qbo/{realm}/customers",
                                   body={"display_name": "   ", "submission_id": "blank-name-1"})
    assert status == 422 and answer["details"]["fields"][0]["field"] == "display_name", answer
    status, answer, _ = world.call("GET", f"/app/deals/{world.deal_id}/quotes/1/invoice-lines",
                                   query={"realmId": "a'b"})
    assert status == 422 and answer["details"]["fields"][0]["field"] == "realmId"

    for path in ("/app/invoice-links", f"/app/deals/{world.deal_id}/invoice-review"):
        status, answer, _ = world.call("POST", path, body="{not json")  # the request guard answers before validation
        assert status == 400 and answer["error"] == "invalid_json", answer
        assert answer["message"] == "The request body is not valid JSON; send a JSON object.", answer
