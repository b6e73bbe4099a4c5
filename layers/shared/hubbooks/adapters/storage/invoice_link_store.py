"""DynamoDB storage of invoice links and per-company invoicing settings (keys from table_keys; nothing scans)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.credit_store import DynamoCustomerCredits
from hubbooks.adapters.storage.dynamo_query import query_all
from hubbooks.models.credits import CustomerCredit
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceLink, InvoicingSettings

_LINK_FIELDS = frozenset(InvoiceLink.model_fields)
_SETTINGS_FIELDS = frozenset(InvoicingSettings.model_fields)


def _plain(item: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    # boto3 returns numbers as Decimal; pydantic parses them back into the model's types.
    return {k: (int(v) if k == "portal_id" and isinstance(v, Decimal) else v) for k, v in item.items() if k in fields}


def _stored(model_json: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in model_json.items() if v is not None}


class DynamoInvoiceLinks:
    def __init__(self, table: Any) -> None:
        self._table = table

    @staticmethod
    def _keys(link: InvoiceLink) -> dict[str, str]:
        args = (link.portal_id, link.object_type.value, link.object_id, link.realm_id, link.invoice_id)
        return {**table_keys.invoice_link_key(*args), **table_keys.invoice_link_index_keys(*args)}

    def save(self, link: InvoiceLink) -> None:
        self._table.put_item(Item={**self._keys(link), "type": "invoice_link",
                                   **_stored(link.model_dump(mode="json"))})

    def delete(self, link: InvoiceLink) -> bool:
        key = table_keys.invoice_link_key(link.portal_id, link.object_type.value, link.object_id, link.realm_id,
                                          link.invoice_id)
        result = self._table.delete_item(Key=key, ReturnValues="ALL_OLD")
        return bool(result.get("Attributes"))

    def for_object(self, portal_id: int, object_type: HubSpotObjectType, object_id: str) -> list[InvoiceLink]:
        items = query_all(self._table, ConsistentRead=True,
                          KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                          & Key("sk").begins_with(table_keys.invoice_link_object_prefix(object_type.value,
                                                                                        object_id)))
        return [InvoiceLink.model_validate(_plain(item, _LINK_FIELDS)) for item in items]

    def credits_for_object(self, portal_id: int, object_type: HubSpotObjectType,
                           object_id: str) -> list[CustomerCredit]:
        return DynamoCustomerCredits(self._table).for_object(portal_id, object_type, object_id)

    def for_realm(self, portal_id: int, realm_id: str) -> list[InvoiceLink]:
        items = query_all(self._table, IndexName="gsi1", KeyConditionExpression=Key("gsi1pk").eq(
            table_keys.invoice_links_of_company_pk(portal_id, realm_id)))
        return [InvoiceLink.model_validate(_plain(item, _LINK_FIELDS)) for item in items]

    def for_invoice(self, portal_id: int, realm_id: str, invoice_id: str) -> list[InvoiceLink]:
        items = query_all(self._table, IndexName="gsi1", KeyConditionExpression=Key("gsi1pk").eq(
            table_keys.invoice_links_of_company_pk(portal_id, realm_id))
            & Key("gsi1sk").begins_with(table_keys.invoice_link_invoice_prefix(invoice_id)))
        return [InvoiceLink.model_validate(_plain(item, _LINK_FIELDS)) for item in items]


class DynamoInvoicingSettings:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, portal_id: int, realm_id: str) -> InvoicingSettings | None:
        item = self._table.get_item(Key=table_keys.invoicing_settings_key(portal_id, realm_id),
                                    ConsistentRead=True).get("Item")
        return InvoicingSettings.model_validate(_plain(item, _SETTINGS_FIELDS)) if item else None

    def save(self, settings: InvoicingSettings) -> None:
        self._table.put_item(Item={**table_keys.invoicing_settings_key(settings.portal_id, settings.realm_id),
                                   "type": "invoicing_settings", **_stored(settings.model_dump(mode="json"))})

    def next_doc_sequence(self, portal_id: int, realm_id: str) -> int:
        """Atomic: two invoices created at once never get the same number."""
        result = self._table.update_item(Key=table_keys.doc_number_sequence_key(portal_id, realm_id),
                                         UpdateExpression="ADD seq :one SET #type = :type",
                                         ExpressionAttributeNames={"#type": "type"},
                                         ExpressionAttributeValues={":one": 1, ":type": "doc_number_sequence"},
                                         ReturnValues="UPDATED_NEW")
        return int(result["Attributes"]["seq"])
