"""The accounts QuickBooks items created from HubSpot products post to, picked by an admin per company.

QuickBooks needs an IncomeAccountRef on a sales item (Intuit's Item reference: required for Service and Inventory;
Finance.xsd adds the other sales types) and, once purchase details such as PurchaseCost are given, an
ExpenseAccountRef (Finance.xsd, Item.ExpenseAccountRef). Which accounts those are is an accountant's choice, so HubBooks
never guesses: creating items is refused until an active Income account is chosen, and a chosen account must be an
active account of the right type in that company.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hubbooks.domain.sync.errors import SyncSettingsRejectedError
from hubbooks.models.sync import ItemAccount, OnCreateUpdate, SyncBehaviour, SyncObject

INCOME_TYPES = ("Income",)
EXPENSE_TYPES = ("Expense", "Cost of Goods Sold")


@dataclass(frozen=True)
class QboAccount:
    id: str
    name: str  # FullyQualifiedName: parent accounts first
    account_type: str
    account_sub_type: str | None = None
    classification: str | None = None


def creates_items(sync_object: SyncObject, behaviour: SyncBehaviour) -> bool:
    return (sync_object is SyncObject.PRODUCTS and behaviour.two_way
            and behaviour.on_hubspot_create_update is OnCreateUpdate.CREATE_AND_UPDATE)


def _refuse(field_name: str, message: str) -> SyncSettingsRejectedError:
    return SyncSettingsRejectedError(message, details={"fields": [{"field": field_name, "message": message}]})


def checked_item_accounts(sync_object: SyncObject, behaviour: SyncBehaviour,
                          accounts: Sequence[QboAccount] | None) -> SyncBehaviour:
    """The behaviour with its chosen accounts named as QuickBooks names them; refused (422 naming the field) when
    items are to be created without an income account, or a chosen account is not an active one of the right type.

    `accounts` are the company's active Income, Expense and Cost of Goods Sold accounts (None: not read, because
    nothing needs them)."""
    income, expense = behaviour.item_income_account, behaviour.item_expense_account
    if sync_object is not SyncObject.PRODUCTS:
        if income or expense:
            raise _refuse("income_account_id" if income else "expense_account_id",
                          "Accounts are chosen for products only (they are the accounts of new QuickBooks items).")
        return behaviour
    if income is None and creates_items(sync_object, behaviour):
        raise _refuse("income_account_id",
                      "To create QuickBooks items from HubSpot products, choose the income account they post sales "
                      "to (QuickBooks requires one on every sales item), or choose update_linked_only.")
    by_id = {a.id: a for a in accounts or ()}

    def named(choice: ItemAccount | None, field_name: str, types: Sequence[str], kind: str) -> ItemAccount | None:
        if choice is None:
            return None
        account = by_id.get(choice.id)
        if account is None or account.account_type not in types:
            raise _refuse(field_name, f"QuickBooks account {choice.id} is not an active {kind} account of this "
                                      "company; pick one from the list.")
        return ItemAccount(id=account.id, name=account.name)

    return behaviour.model_copy(update={
        "item_income_account": named(income, "income_account_id", INCOME_TYPES, "Income"),
        "item_expense_account": named(expense, "expense_account_id", EXPENSE_TYPES,
                                      "Expense or Cost of Goods Sold")})


def needs_accounts(behaviour: SyncBehaviour) -> bool:
    return behaviour.item_income_account is not None or behaviour.item_expense_account is not None
