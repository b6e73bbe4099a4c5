"""Every QuickBooks invoice where it belongs: the per-company switch (admins change it) and the invoice backfill
by date range (dry run first; admins start and cancel, everyone may read the progress)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.autolink_store import DynamoAutoLinkState
from hubbooks.adapters.wiring.autolink_backfill import autolink_backfill
from hubbooks.api.invoice_dependencies import Invoicing, invoicing_for
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.config import get_settings
from hubbooks.domain.finance import roles
from hubbooks.models.autolink import (
    AutoLinkBackfillBody,
    AutoLinkRun,
    AutoLinkRunView,
    AutoLinkSettings,
    AutoLinkSettingsBody,
)
from hubbooks.models.changes import CompanyScope

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]
TAGS = ["Settings"]
RealmId = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,32}$", description="QuickBooks company (realm) id")]


def _state() -> DynamoAutoLinkState:
    return DynamoAutoLinkState(dynamodb_table(get_settings().app_table_name))


def _admin(invoicing: Invoicing, action: str) -> None:
    roles.require_admin(portal_id=invoicing.identity.portal_id, user_id=invoicing.identity.user_id,
                        admins=invoicing.admins, action=action)


def _scope(invoicing: Invoicing, realm_id: str) -> CompanyScope:
    return CompanyScope(portal_id=invoicing.identity.portal_id, realm_id=realm_id)


def _view(run: AutoLinkRun) -> AutoLinkRunView:
    percent = 100 if not run.status.active else min(100, run.processed * 100 // max(run.invoices_in_range, 1))
    return AutoLinkRunView(run=run, percent=percent)


@router.get("/app/qbo/<realm_id>/autolink-settings", middlewares=SIGNED, tags=TAGS,
            summary="Whether invoices made in QuickBooks are linked to their customers' contacts and companies")
def read_autolink_settings(realm_id: RealmId) -> AutoLinkSettingsBody:
    invoicing = invoicing_for(router)
    invoicing.company(realm_id)  # only a connected company has settings
    return AutoLinkSettingsBody(enabled=_state().settings(invoicing.identity.portal_id, realm_id).enabled)


@router.put("/app/qbo/<realm_id>/autolink-settings", middlewares=SIGNED, tags=TAGS,
            summary="Turn automatic linking of QuickBooks invoices on or off (admins only)")
def write_autolink_settings(realm_id: RealmId, body: AutoLinkSettingsBody) -> AutoLinkSettingsBody:
    invoicing = invoicing_for(router)
    _admin(invoicing, "change automatic invoice linking")
    invoicing.company(realm_id)
    state, now = _state(), datetime.now(UTC)
    before = state.settings(invoicing.identity.portal_id, realm_id)
    state.save_settings(AutoLinkSettings(
        portal_id=invoicing.identity.portal_id, realm_id=realm_id, enabled=body.enabled,
        enabled_at=(before.enabled_at if before.enabled else now) if body.enabled else None,
        updated_by_user_id=invoicing.identity.user_id, updated_at=now))
    return body


@router.post("/app/qbo/<realm_id>/autolink-backfill", middlewares=SIGNED, tags=TAGS,
             summary="Start a dry run (counts and examples of what would be linked) or a backfill of the invoices "
                     "dated in a range (admins only)")
def start_autolink_backfill(realm_id: RealmId, body: AutoLinkBackfillBody) -> AutoLinkRunView:
    invoicing = invoicing_for(router)
    _admin(invoicing, "backfill invoices")
    run = autolink_backfill(invoicing.deadline).start(_scope(invoicing, realm_id), date_from=body.date_from,
                                                      date_to=body.date_to, dry_run=body.dry_run,
                                                      user_id=invoicing.identity.user_id)
    return _view(run)


@router.get("/app/qbo/<realm_id>/autolink-backfill", middlewares=SIGNED, tags=TAGS,
            summary="Progress of the company's latest invoice backfill or dry run, with counts and examples")
def autolink_backfill_progress(realm_id: RealmId) -> AutoLinkRunView:
    invoicing = invoicing_for(router)
    return _view(autolink_backfill(invoicing.deadline).progress(_scope(invoicing, realm_id)))


@router.delete("/app/qbo/<realm_id>/autolink-backfill", middlewares=SIGNED, tags=TAGS,
               summary="Cancel the running invoice backfill or dry run (it stops at the next page; admins only)")
def cancel_autolink_backfill(realm_id: RealmId) -> AutoLinkRunView:
    invoicing = invoicing_for(router)
    _admin(invoicing, "cancel an invoice backfill")
    return _view(autolink_backfill(invoicing.deadline).cancel(_scope(invoicing, realm_id)))
