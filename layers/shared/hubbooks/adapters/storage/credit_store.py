"""DynamoDB storage of the credit memos and refunds shown on contacts and companies (keys from table_keys)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import query_all
from hubbooks.models.credits import CustomerCredit
from hubbooks.models.invoicing import HubSpotObjectType

_FIELDS = frozenset(CustomerCredit.model_fields)


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(v) if k == "portal_id" and isinstance(v, Decimal) else v) for k, v in item.items() if k in _FIELDS}


class DynamoCustomerCredits:
    def __init__(self, table: Any) -> None:
        self._table = table

    @staticmethod
    def _keys(credit: CustomerCredit) -> dict[str, str]:
        args = (credit.portal_id, credit.object_type.value, credit.object_id, credit.realm_id, credit.kind.value,
                credit.txn_id)
        return {**table_keys.customer_credit_key(*args), **table_keys.customer_credit_index_keys(*args)}

    def save(self, credit: CustomerCredit) -> None:
        self._table.put_item(Item={**self._keys(credit), "type": "customer_credit",
                                   **credit.model_dump(mode="json", exclude_none=True)})

    def delete(self, credit: CustomerCredit) -> None:
        self._table.delete_item(Key=table_keys.customer_credit_key(
            credit.portal_id, credit.object_type.value, credit.object_id, credit.realm_id, credit.kind.value,
            credit.txn_id))

    def for_object(self, portal_id: int, object_type: HubSpotObjectType, object_id: str) -> list[CustomerCredit]:
        items = query_all(self._table, ConsistentRead=True,
                          KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                          & Key("sk").begins_with(table_keys.customer_credit_object_prefix(object_type.value,
                                                                                          object_id)))
        return [CustomerCredit.model_validate(_plain(item)) for item in items]

    def for_realm(self, portal_id: int, realm_id: str) -> list[CustomerCredit]:
        items = query_all(self._table, IndexName="gsi1", KeyConditionExpression=Key("gsi1pk").eq(
            table_keys.customer_credits_of_company_pk(portal_id, realm_id)))
        return [CustomerCredit.model_validate(_plain(item)) for item in items]
