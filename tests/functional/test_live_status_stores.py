"""The live-status stores on moto: the realm -> portals lookup (gsi2) and the payment-note claim."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.payment_note_store import CLAIM_LEASE, DynamoPaymentNotes
from hubbooks.adapters.storage.realm_portals import DynamoRealmPortals
from hubbooks.config import get_settings
from hubbooks.models.connections import QboConnection

NOW = datetime(2026, 11, 28, 10, tzinfo=UTC)


def _connection(portal_id: int, realm_id: str, **extra: object) -> QboConnection:
    return QboConnection(portal_id=portal_id, realm_id=realm_id, company_name="Acme", country="US",
                         home_currency="USD", connected_at=NOW, **extra)  # type: ignore[arg-type]


def test_portals_of_a_realm_are_only_the_live_connections(aws) -> None:
    table = dynamodb_table(get_settings().app_table_name)
    connections = DynamoConnectionStore(table)
    for portal_id in (1, 2, 3, 4):
        connections.save(_connection(portal_id, "9130"))
    connections.save(_connection(5, "4620"))
    connections.mark_needs_reconnect(2, "9130", NOW)
    connections.save(_connection(3, "9130", status="disconnected", disconnected_at=NOW))
    assert DynamoRealmPortals(table).portals_connected_to("9130") == [1, 4]
    assert DynamoRealmPortals(table).portals_connected_to("0000") == []


def test_a_payment_note_is_claimed_once_and_a_dead_claim_can_be_taken_over(aws) -> None:
    notes = DynamoPaymentNotes(dynamodb_table(get_settings().app_table_name))
    assert notes.claim(42, "9130", "77", NOW)
    assert not notes.claim(42, "9130", "77", NOW + timedelta(seconds=20))
    assert notes.claim(42, "9130", "77", NOW + CLAIM_LEASE + timedelta(seconds=1))
    claimed = notes.get(42, "9130", "77")
    assert claimed is not None and claimed.note_id is None
    notes.save(claimed.model_copy(update={"note_id": "500", "deal_ids": ("8001",)}))
    assert not notes.claim(42, "9130", "77", NOW + timedelta(days=1))
    saved = notes.get(42, "9130", "77")
    assert saved is not None and saved.note_id == "500" and saved.deal_ids == ("8001",)
