"""What sync is turned on for, in a module of its own: the invoice path (auto-linking, credits) needs the name of
a synced object and nothing else of the sync's models (models/sync.py)."""


from enum import StrEnum


class SyncObject(StrEnum):
    """What an admin turns sync on for. Contacts and companies both come from QuickBooks customers."""

    CONTACTS = "contacts"
    COMPANIES = "companies"
    PRODUCTS = "products"

    @property
    def qbo_entity(self) -> str:
        return "Item" if self is SyncObject.PRODUCTS else "Customer"

    @property
    def hubspot_type(self) -> str:
        return self.value
