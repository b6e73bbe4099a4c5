"""Outbound signed requests: app-card hubspot.fetch and webhooks with retries."""

from __future__ import annotations

import json
from typing import Any

from sandbox.hubspot.signing import sign_v1, sign_v3
from tests.sandbox.hubspot.conftest import Receiver, Sim


def _installed_app(sim: Sim, webhook_url: str | None = None, **extra: Any) -> tuple[dict[str, Any], int]:
    app = sim.control("POST", "apps", json={"redirect_uris": ["https://a.example/cb"], "webhook_url": webhook_url,
                                            **extra}).json()
    portal_id = sim.portal()
    sim.control("POST", "installs", json={"app_id": app["app_id"], "portal_id": portal_id})
    return app, portal_id


def test_card_fetch_is_signed_over_the_final_url(sim: Sim, receiver: Receiver) -> None:
    app, portal_id = _installed_app(sim)
    answer = sim.control("POST", "fetch", json={
        "app_id": app["app_id"], "portal_id": portal_id, "user_id": 42, "method": "POST",
        "url": receiver.url + "/card/invoice?dealId=7", "body": {"action": "create", "n": 1}}).json()
    assert answer["status"] == 200 and answer["body"] == {"ok": True}
    seen = receiver.requests[-1]
    assert seen["args"] == {"dealId": "7", "userId": "42", "portalId": str(portal_id),
                            "userEmail": f"user42@portal{portal_id}.example.com", "appId": str(app["app_id"])}
    assert seen["body"] == '{"action":"create","n":1}'
    headers = seen["headers"]
    expected = sign_v3(app["client_secret"], "POST", seen["url"], seen["body"],
                       int(headers["X-Hubspot-Request-Timestamp"]))
    assert headers["X-Hubspot-Signature-V3"] == expected


def test_card_fetch_binary_and_retry_on_5xx(sim: Sim, receiver: Receiver) -> None:
    app, portal_id = _installed_app(sim)
    receiver.body, receiver.content_type = b"%PDF-1.4 fake", "application/pdf"
    answer = sim.control("POST", "fetch", json={"app_id": app["app_id"], "portal_id": portal_id, "user_id": 1,
                                                "method": "GET", "url": receiver.url + "/pdf"}).json()
    assert answer["body"] is None and answer["body_base64"] == "JVBERi0xLjQgZmFrZQ=="
    assert receiver.requests[-1]["body"] == ""
    receiver.status = 502
    failed = sim.control("POST", "fetch", json={"app_id": app["app_id"], "portal_id": portal_id, "user_id": 1,
                                                "method": "GET", "url": receiver.url + "/x"}).json()
    assert failed["status"] == 502 and failed["attempts"] == 2


def test_card_fetch_needs_an_install(sim: Sim, receiver: Receiver) -> None:
    app = sim.control("POST", "apps", json={"redirect_uris": []}).json()
    portal_id = sim.portal()
    refused = sim.control("POST", "fetch", json={"app_id": app["app_id"], "portal_id": portal_id, "user_id": 1,
                                                 "method": "GET", "url": receiver.url})
    assert refused.status_code == 409


def test_webhooks_are_signed_json_arrays(sim: Sim, receiver: Receiver) -> None:
    app, portal_id = _installed_app(sim, receiver.url + "/hooks")
    token = sim.token(portal_id)
    deal = sim.api("POST", "/crm/v3/objects/deals", token,
                   json={"properties": {"dealname": "W"}, "associations": []}).json()
    sim.api("PATCH", f"/crm/v3/objects/deals/{deal['id']}", token, json={"properties": {"dealstage": "closedwon"}})
    sim.api("POST", "/crm/v3/objects/quotes", token,
            json={"properties": {"hs_title": "Q", "hs_expiration_date": "2026-12-31"}, "associations": []})
    assert sim.control("POST", "webhooks/flush").json()["attempted"] == 1
    seen = receiver.requests[-1]
    events = json.loads(seen["body"])
    assert [e["subscriptionType"] for e in events] == ["deal.creation", "deal.propertyChange", "object.creation"]
    assert events[1]["propertyName"] == "dealstage" and events[1]["propertyValue"] == "closedwon"
    assert events[2]["objectTypeId"] == "0-14"
    assert all(e["portalId"] == portal_id and e["appId"] == app["app_id"] and e["attemptNumber"] == 0
               for e in events)
    headers = seen["headers"]
    assert headers["X-Hubspot-Signature"] == sign_v1(app["client_secret"], seen["body"])
    assert headers["X-Hubspot-Signature-Version"] == "v1"
    assert headers["X-Hubspot-Signature-V3"] == sign_v3(app["client_secret"], "POST", seen["url"], seen["body"],
                                                        int(headers["X-Hubspot-Request-Timestamp"]))


def test_webhook_retries_follow_the_clock(sim: Sim, receiver: Receiver) -> None:
    _, portal_id = _installed_app(sim, receiver.url + "/hooks",
                                  subscriptions=[{"eventType": "contact.creation"}])
    token = sim.token(portal_id)
    receiver.status = 500
    sim.api("POST", "/crm/v3/objects/contacts", token, json={"properties": {"email": "r@x.io"}, "associations": []})
    sim.api("POST", "/crm/v3/objects/deals", token, json={"properties": {}, "associations": []})  # not subscribed
    sim.control("POST", "webhooks/flush")
    assert len(receiver.requests) == 1
    sim.control("POST", "webhooks/flush")
    assert len(receiver.requests) == 1  # the retry is not due yet
    receiver.status = 200
    sim.control("POST", "clock", json={"advance_seconds": 61})
    sim.control("POST", "webhooks/flush")
    assert len(receiver.requests) == 2
    assert json.loads(receiver.requests[-1]["body"])[0]["attemptNumber"] == 1
    delivery = sim.control("GET", "webhooks").json()["deliveries"][0]
    assert delivery["outcome"] == "delivered" and [a["status"] for a in delivery["attempts"]] == [500, 200]


def test_webhook_404_is_not_retried(sim: Sim, receiver: Receiver) -> None:
    _, portal_id = _installed_app(sim, receiver.url + "/hooks")
    receiver.status = 404
    sim.api("POST", "/crm/v3/objects/contacts", sim.token(portal_id),
            json={"properties": {"email": "n@x.io"}, "associations": []})
    sim.control("POST", "webhooks/flush")
    sim.control("POST", "clock", json={"advance_seconds": 7200})
    sim.control("POST", "webhooks/flush")
    assert len(receiver.requests) == 1
    assert sim.control("GET", "webhooks").json()["deliveries"][0]["outcome"] == "failed"


def test_an_app_whose_webhook_route_is_down_gets_no_deliveries_until_it_is_back(sim: Sim, receiver: Receiver) -> None:
    app, portal_id = _installed_app(sim, receiver.url + "/hooks")
    down = sim.control("PATCH", f"apps/{app['app_id']}", json={"webhook_url": None})
    assert down.status_code == 200 and down.json()["webhook_url"] is None
    token = sim.token(portal_id)
    sim.api("POST", "/crm/v3/objects/contacts", token, json={"properties": {"email": "gone@x.io"}, "associations": []})
    assert sim.control("POST", "webhooks/flush").json()["attempted"] == 0 and receiver.requests == []
    sim.control("PATCH", f"apps/{app['app_id']}", json={"webhook_url": receiver.url + "/hooks"})
    sim.api("POST", "/crm/v3/objects/contacts", token, json={"properties": {"email": "back@x.io"}, "associations": []})
    sim.control("POST", "webhooks/flush")
    assert len(receiver.requests) == 1 and len(json.loads(receiver.requests[0]["body"])) == 1  # only the later one
    assert sim.control("PATCH", "apps/999999", json={"webhook_url": None}).status_code == 404
    assert sim.control("PATCH", f"apps/{app['app_id']}", json={}).status_code == 400


def test_project_subscriptions_deliver_object_events_tagged_with_who_changed_what(sim: Sim,
                                                                                  receiver: Receiver) -> None:
    """As webhooks-hsmeta.json declares them: generic object.* subscriptions per object type and property; an app's
    own writes come back as INTEGRATION with its id, a person's edit in HubSpot as CRM_UI."""
    subscriptions = [
        {"subscriptionType": "object.propertyChange", "objectType": "contact", "propertyName": "email", "active": True},
        {"subscriptionType": "object.deletion", "objectType": "contact", "active": True},
        {"subscriptionType": "object.propertyChange", "objectType": "contact", "propertyName": "phone",
         "active": False}]
    app, portal_id = _installed_app(sim, receiver.url + "/hooks", subscriptions=subscriptions)
    app_token = sim.control("POST", "tokens", json={"portal_id": portal_id, "app_id": app["app_id"]}).json()
    contact = sim.api("POST", "/crm/v3/objects/contacts", app_token["access_token"],
                      json={"properties": {"email": "a@x.test"}}).json()
    sim.api("PATCH", f"/crm/v3/objects/contacts/{contact['id']}", app_token["access_token"],
            json={"properties": {"email": "b@x.test", "phone": "1"}})
    edited = sim.control("POST", "user-edit", json={"portal_id": portal_id, "object_type": "contacts",
                                                    "object_id": contact["id"], "user_id": 9,
                                                    "properties": {"email": "c@x.test", "firstname": "C"}})
    assert edited.status_code == 200 and edited.json()["properties"]["email"] == "c@x.test"
    assert sim.control("POST", "user-edit", json={"portal_id": portal_id, "object_type": "contacts",
                                                  "object_id": contact["id"], "delete": True}).status_code == 204
    sim.control("POST", "webhooks/flush")
    events = json.loads(receiver.requests[-1]["body"])
    assert [(e["subscriptionType"], e.get("propertyValue"), e["changeSource"]) for e in events] == [
        ("object.propertyChange", "b@x.test", "INTEGRATION"), ("object.propertyChange", "c@x.test", "CRM_UI"),
        ("object.deletion", None, "CRM_UI")]
    assert [e["sourceId"] for e in events[:2]] == [str(app["app_id"]), "userId:9"]
    assert events[2]["sourceId"].startswith("userId:")  # the portal's first user, as none was named
    assert all(e["objectTypeId"] == "0-1" and e["objectId"] == int(contact["id"]) for e in events)
