"""Approval requests' task slots on moto: claimed once (a live claim refuses the next, a stale one is taken over and
returned), recorded beside the request so a decision's write never loses them, and requests stored before the map
existed get it on their first claim."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.approval_store import DynamoApprovalRequests
from hubbooks.config import get_settings
from hubbooks.models.approvals import ApprovalRequest, ApprovalStatus
from hubbooks.models.invoice_wizard import InvoiceSubmission
from hubbooks.models.invoicing_api import CustomerView, InvoiceReview
from sandbox.aws.provision import ProvisionedStack

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=1)


def _request() -> ApprovalRequest:
    submission = InvoiceSubmission.model_validate({"realm_id": "9130", "customer_id": "1", "submission_id": "sub-0001",
                                                   "lines": [{"item_id": "1", "quantity": "1", "rate": "100"}]})
    review = InvoiceReview(realm_id="9130", customer=CustomerView(customer_id="1", display_name="Birds"), lines=[],
                           invoice_date=date(2026, 9, 15), due_date=date(2026, 10, 15), term_id=None, term_name=None,
                           customer_message=None, currency="USD", subtotal=Decimal(100), tax=Decimal(0),
                           tax_lines=[], total=Decimal(100), tax_note=None, doc_number_note=None)
    return ApprovalRequest(portal_id=1, deal_id="55", request_id="sub-0001", realm_id="9130", requester_user_id=8,
                           submission=submission, review=review, requested_at=NOW)


def test_slots_are_claimed_once_taken_over_when_stale_and_survive_a_decision(aws: ProvisionedStack) -> None:
    store = DynamoApprovalRequests(dynamodb_table(get_settings().app_table_name))
    assert store.add(_request()) is None
    assert store.claim_task(1, "55", "sub-0001", "501", NOW, LEASE) == ""
    assert store.claim_task(1, "55", "sub-0001", "501", NOW + timedelta(seconds=30), LEASE) is None  # live
    taken = store.claim_task(1, "55", "sub-0001", "501", NOW + timedelta(minutes=2), LEASE)
    assert taken == f"claim:{NOW.isoformat()}"
    store.record_task(1, "55", "sub-0001", "501", "9001")
    assert store.claim_task(1, "55", "sub-0001", "501", NOW + timedelta(hours=1), LEASE) is None  # recorded
    assert store.claim_task(1, "55", "sub-0001", "502", NOW, LEASE) == ""

    stored = store.get(1, "55", "sub-0001")
    assert stored is not None and stored.approver_tasks == {"501": "9001", "502": f"claim:{NOW.isoformat()}"}
    store.replace(stored.model_copy(update={"status": ApprovalStatus.WITHDRAWN, "version": 2,
                                            "approver_tasks": {}}), 1)
    after = store.get(1, "55", "sub-0001")
    assert after is not None and after.status is ApprovalStatus.WITHDRAWN
    assert after.approver_tasks["501"] == "9001" and after.task_ids == ["9001"]
    assert store.claim_task(1, "55", "nosuchreq", "501", NOW, LEASE) is None


def test_a_request_stored_before_the_map_gets_it_on_its_first_claim(aws: ProvisionedStack) -> None:
    table = dynamodb_table(get_settings().app_table_name)
    legacy = _request()
    table.put_item(Item={**table_keys.approval_request_key(1, "55", "sub-0001"), "type": "approval_request",
                         "version": 1, "status": "pending", "doc": legacy.model_dump_json()})
    store = DynamoApprovalRequests(table)
    assert store.claim_task(1, "55", "sub-0001", "501", NOW, LEASE) == ""
    stored = store.get(1, "55", "sub-0001")
    assert stored is not None and stored.approver_tasks == {"501": f"claim:{NOW.isoformat()}"}
