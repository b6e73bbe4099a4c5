"""DynamoDB storage of a portal's approvers (its admins live with the portal's HubBooks admins)."""

from __future__ import annotations

from typing import Any

from hubbooks.adapters.storage import table_keys
from hubbooks.models.finance import FinanceRoles


class DynamoFinanceRoles:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, portal_id: int) -> FinanceRoles | None:
        item = self._table.get_item(Key=table_keys.finance_roles_key(portal_id), ConsistentRead=True).get("Item")
        if not item:
            return None
        return FinanceRoles(portal_id=portal_id,
                            approver_user_ids=tuple(int(i) for i in item.get("approver_user_ids", [])),
                            updated_by_user_id=int(item["updated_by_user_id"]) if item.get("updated_by_user_id")
                            else None, updated_at=item.get("updated_at"))

    def save(self, roles: FinanceRoles) -> None:
        self._table.put_item(Item={**table_keys.finance_roles_key(roles.portal_id), "type": "finance_roles",
                                   **roles.model_dump(mode="json", exclude_none=True, exclude={"portal_id"})})
