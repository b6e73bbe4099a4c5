"""QuickBooks webhook signature (Intuit's published vector) and both payload formats."""

from __future__ import annotations

import json

import pytest

from hubbooks.domain.errors import InvalidRequestError, UnauthorizedRequestError
from hubbooks.domain.webhooks.hubspot_payloads import parse_hubspot_webhook
from hubbooks.domain.webhooks.qbo_payloads import parse_qbo_webhook, verify_intuit_signature


def test_signature_matches_intuits_sample_vector() -> None:
    verify_intuit_signature("12345", b"abcd", "gfTuE5fLxnstOq8ln4LNWZfn24cg8FVB6PBv455lfzg=")


@pytest.mark.parametrize("signature", [None, "", "gfTuE5fLxnstOq8ln4LNWZfn24cg8FVB6PBv455lfzG="])
def test_bad_or_missing_signature_is_refused(signature) -> None:
    with pytest.raises(UnauthorizedRequestError):
        verify_intuit_signature("12345", b"abcd", signature)


def test_legacy_payload_becomes_one_change_per_entity() -> None:
    body = json.dumps({"eventNotifications": [
        {"realmId": "310687", "dataChangeEvent": {"entities": [
            {"id": "1234", "operation": "Create", "name": "Invoice", "lastUpdated": "2025-09-08T20:52:31.657Z"},
            {"id": "27", "operation": "Merge", "name": "Customer", "lastUpdated": "2025-09-08T20:52:32Z",
             "deletedId": "26"}]}},
        {"realmId": "999", "dataChangeEvent": {"entities": [
            {"id": "5", "operation": "Update", "name": "Payment", "lastUpdated": "2025-09-08T20:52:33Z"}]}},
    ]}).encode()
    changes = parse_qbo_webhook(body)
    assert [(c.realm_id, c.entity, c.entity_id, c.operation) for c in changes] == [
        ("310687", "Invoice", "1234", "Create"), ("310687", "Customer", "27", "Merge"),
        ("999", "Payment", "5", "Update")]
    assert changes[1].deleted_id == "26"
    assert len({c.event_id for c in changes}) == 3
    assert changes[0].occurred_at is not None and changes[0].occurred_at.microsecond == 657000


def test_cloudevents_payload_maps_type_words_to_operations() -> None:
    body = json.dumps([
        {"specversion": "1.0", "id": "88cd52aa", "source": "intuit.x", "type": "qbo.invoice.created.v1",
         "datacontenttype": "application/json", "time": "2025-09-10T21:31:25.179851517Z",
         "intuitentityid": "1234", "intuitaccountid": "310687", "data": {}},
        {"specversion": "1.0", "id": "e2", "type": "qbo.customer.merged.v1", "intuitentityid": "27",
         "intuitaccountid": "310687", "data": {"deletedid": "26"}},
        {"specversion": "1.0", "id": "e3", "type": "qbo.creditmemo.voided.v1", "intuitentityid": "9",
         "intuitaccountid": "1"},
    ]).encode()
    changes = parse_qbo_webhook(body)
    assert [(c.entity, c.operation) for c in changes] == [("Invoice", "Create"), ("Customer", "Merge"),
                                                           ("CreditMemo", "Void")]
    assert changes[0].event_id == "88cd52aa" and changes[0].occurred_at.microsecond == 179851
    assert changes[1].deleted_id == "26"


@pytest.mark.parametrize("body", [b"not json", b"{}", b'[{"type": "other"}]', b'[{"type": "qbo.invoice.created.v1"}]',
                                  b'{"eventNotifications": [{"dataChangeEvent": {}}]}'])
def test_malformed_payloads_are_rejected_with_a_reason(body) -> None:
    with pytest.raises(InvalidRequestError):
        parse_qbo_webhook(body)


def test_hubspot_events_parse_and_get_a_dedupe_key() -> None:
    events = parse_hubspot_webhook(json.dumps([
        {"eventId": 1, "subscriptionId": 12345, "portalId": 62515, "occurredAt": 1564113600000,
         "subscriptionType": "deal.propertyChange", "attemptNumber": 0, "objectId": 123, "propertyName": "amount",
         "propertyValue": "100", "changeSource": "CRM", "appId": 54321}]).encode())
    assert events[0].event_id == "12345:1:123" and events[0].portal_id == 62515
    with pytest.raises(InvalidRequestError):
        parse_hubspot_webhook(b'{"eventId": 1}')


@pytest.mark.parametrize("body", [b'{"eventNotifications": [{"realmId": "1", "dataChangeEvent": {"entities": ["x"]}}]}',
                                  b'{"eventNotifications": [{"realmId": "1", "dataChangeEvent": "x"}]}',
                                  b'{"eventNotifications": [{"realmId": "1", "dataChangeEvent": {"entities": 5}}]}'])
def test_legacy_payloads_of_the_wrong_shape_are_rejected_not_crashed_on(body) -> None:
    with pytest.raises(InvalidRequestError):
        parse_qbo_webhook(body)


@pytest.mark.parametrize("event", [{"eventId": 1, "portalId": "abc"}, {"eventId": 1, "portalId": 1, "objectId": "x"},
                                   {"eventId": 1, "portalId": 1, "occurredAt": "yesterday"},
                                   {"eventId": 1, "portalId": None}])
def test_hubspot_events_with_non_numeric_ids_are_rejected_not_crashed_on(event) -> None:
    with pytest.raises(InvalidRequestError, match="not a number"):
        parse_hubspot_webhook(json.dumps([event]).encode())


def test_every_queued_message_type_is_found_by_its_source_tag() -> None:
    """The webhook worker picks a message's model by its `source` (models/webhooks.py MESSAGE_MODELS)."""
    from hubbooks.models.webhooks import (
        MESSAGE_MODELS,
        HubSpotEvent,
        HubSpotEventBatch,
        QboChangeBatch,
        QboEntityChange,
    )

    assert set(MESSAGE_MODELS.values()) == {QboChangeBatch, HubSpotEventBatch, QboEntityChange, HubSpotEvent}
    for tag, model in MESSAGE_MODELS.items():
        assert model.model_fields["source"].default == tag
