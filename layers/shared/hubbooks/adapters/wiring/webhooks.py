"""The webhook worker's wiring: the change engine for a batch's entity types, the portals connected to a company,
and the company-profile refresh QuickBooks' Preferences and CompanyInfo changes trigger.

The engine loads each entity type's appliers (and what they are built on) with the first batch that holds the type:
a batch of customers or items never loads the invoicing stack (adapters/wiring/live_status.py), nor a batch of
invoices the contact and product sync. Nothing here runs at import; each call binds clients to the running
invocation's deadline."""

from __future__ import annotations

from collections.abc import Collection

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.realm_portals import DynamoRealmPortals
from hubbooks.adapters.wiring.changes import change_engine
from hubbooks.adapters.wiring.invocation import current_deadline
from hubbooks.adapters.wiring.invocation import use_lambda_context as use_lambda_context
from hubbooks.config import get_settings
from hubbooks.domain.changes.engine import ChangeEngine
from hubbooks.models.connections import ConnectionRef


def webhook_change_engine(entities: Collection[str]) -> ChangeEngine:
    """With the appliers for `entities` (the batch's QuickBooks entity types) only."""
    return change_engine(current_deadline(), entities)


def realm_portals() -> DynamoRealmPortals:
    """Which portals have connected a QuickBooks company (a batch names its company, not its portals)."""
    return DynamoRealmPortals(dynamodb_table(get_settings().app_table_name))


def refresh_company_profile(ref: ConnectionRef) -> str:
    """QuickBooks said a company's Preferences or CompanyInfo changed: re-read and store its profile (the job's code
    loads with the first such change, not with every batch)."""
    from hubbooks.adapters.qbo.company_jobs import refresh_qbo_company_profile

    return refresh_qbo_company_profile(ref, deadline=current_deadline())
