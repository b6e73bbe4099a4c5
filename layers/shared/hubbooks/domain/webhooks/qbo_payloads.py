"""QuickBooks webhooks: the intuit-signature check and both payload formats (legacy and CloudEvents)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from hubbooks.domain.auth.constant_time import matches
from hubbooks.domain.errors import InvalidRequestError, UnauthorizedRequestError
from hubbooks.models.webhooks import QboEntityChange

# CloudEvents type words -> the legacy operation names (Intuit's mapping; unknown words are title-cased).
_OPERATIONS = {"created": "Create", "updated": "Update", "deleted": "Delete", "merged": "Merge",
               "voided": "Void", "emailed": "Emailed"}


def verify_intuit_signature(verifier_token: str, body: bytes, signature: str | None) -> None:
    if not signature:
        raise UnauthorizedRequestError("The intuit-signature header is missing.")
    expected = base64.b64encode(hmac.new(verifier_token.encode(), body, hashlib.sha256).digest()).decode()
    if not matches(signature.strip(), expected):
        raise UnauthorizedRequestError("The intuit-signature header does not match the body; check the verifier "
                                       "token stored in the QboAppSecret secret.")


def parse_qbo_webhook(body: bytes) -> list[QboEntityChange]:
    try:
        payload = json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidRequestError("The webhook body is not JSON.") from exc
    if isinstance(payload, list):
        return [_from_cloud_event(event) for event in payload]
    if isinstance(payload, dict) and isinstance(payload.get("eventNotifications"), list):
        return [change for notification in payload["eventNotifications"] for change in _from_legacy(notification)]
    raise InvalidRequestError("The webhook body is neither a CloudEvents array nor an eventNotifications object.")


def _timestamp(value: Any) -> datetime | None:
    if not value:
        return None
    text = str(value).replace("Z", "+00:00")
    if "." in text:  # Intuit sends nanoseconds; Python parses at most microseconds
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        zone = tail[len(digits):]
        text = f"{head}.{digits[:6]}{zone}"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _from_cloud_event(event: Any) -> QboEntityChange:
    if not isinstance(event, dict):
        raise InvalidRequestError("Each CloudEvent must be a JSON object.")
    kind = str(event.get("type", ""))
    parts = kind.split(".")
    if len(parts) < 3 or parts[0] != "qbo":
        raise InvalidRequestError(f"Unexpected CloudEvents type {kind!r}.")
    realm_id, entity_id, event_id = event.get("intuitaccountid"), event.get("intuitentityid"), event.get("id")
    if not realm_id or not entity_id or not event_id:
        raise InvalidRequestError("A CloudEvent lacks id, intuitaccountid or intuitentityid.")
    raw_data = event.get("data")
    data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
    return QboEntityChange(
        event_id=str(event_id), realm_id=str(realm_id), entity=_entity_name(parts[1]), entity_id=str(entity_id),
        operation=_OPERATIONS.get(parts[2], parts[2].title()), occurred_at=_timestamp(event.get("time")),
        deleted_id=str(data["deletedid"]) if data.get("deletedid") else None,
    )


def _from_legacy(notification: Any) -> list[QboEntityChange]:
    if not isinstance(notification, dict) or "realmId" not in notification:
        raise InvalidRequestError("Each eventNotification needs a realmId.")
    realm_id = str(notification["realmId"])
    change_event = notification.get("dataChangeEvent") or {}
    entities = (change_event.get("entities") if isinstance(change_event, dict) else change_event) or []
    if not isinstance(entities, list) or not all(isinstance(entity, dict) for entity in entities):
        raise InvalidRequestError("dataChangeEvent must be an object whose entities are a list of objects.")
    changes = []
    for entity in entities:
        name, entity_id, operation = entity.get("name"), entity.get("id"), entity.get("operation")
        if not name or not entity_id or not operation:
            raise InvalidRequestError("A legacy webhook entity lacks name, id or operation.")
        last_updated = entity.get("lastUpdated")
        # Legacy events carry no id; (realm, entity, id, operation, lastUpdated) identifies one change.
        event_id = f"{realm_id}:{name}:{entity_id}:{operation}:{last_updated}"
        changes.append(QboEntityChange(
            event_id=event_id, realm_id=realm_id, entity=str(name), entity_id=str(entity_id),
            operation=str(operation), occurred_at=_timestamp(last_updated),
            deleted_id=str(entity["deletedId"]) if entity.get("deletedId") else None))
    return changes


_ENTITY_NAMES = {"creditmemo": "CreditMemo", "salesreceipt": "SalesReceipt", "journalentry": "JournalEntry",
                 "purchaseorder": "PurchaseOrder", "taxcode": "TaxCode", "taxrate": "TaxRate",
                 "billpayment": "BillPayment", "refundreceipt": "RefundReceipt", "timeactivity": "TimeActivity",
                 "vendorcredit": "VendorCredit", "companyinfo": "CompanyInfo"}


def _entity_name(lowercase: str) -> str:
    return _ENTITY_NAMES.get(lowercase, lowercase.title())
