"""Account details and company currency."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Response

from sandbox.hubspot.propdefs import iso_ms
from sandbox.hubspot.routing import Ctx, Route
from sandbox.simkit.http import json_response


def details(ctx: Ctx, version: str) -> Response:
    portal = ctx.need_portal()
    offset = datetime.fromtimestamp(ctx.sim.clock.now(), tz=ZoneInfo(portal.time_zone)).utcoffset()
    offset_ms = int(offset.total_seconds() * 1000) if offset else 0
    sign = "-" if offset_ms < 0 else "+"
    minutes = abs(offset_ms) // 60_000
    return json_response({
        "portalId": portal.portal_id, "accountType": "STANDARD", "timeZone": portal.time_zone,
        "companyCurrency": portal.company_currency, "additionalCurrencies": portal.additional_currencies,
        "utcOffset": f"{sign}{minutes // 60:02d}:{minutes % 60:02d}", "utcOffsetMilliseconds": offset_ms,
        "uiDomain": portal.ui_domain, "dataHostingLocation": portal.data_hosting_location,
    })


def company_currency(ctx: Ctx, version: str) -> Response:
    portal = ctx.need_portal()
    return json_response({"id": portal.company_currency, "createdAt": iso_ms(portal.created_ms)})


def routes() -> list[Route]:
    return [
        Route("/account-info/v3/details", ("GET",), details, defaults={"version": "v3"}),
        Route("/account-info/2026-03/details", ("GET",), details, defaults={"version": "2026-03"}),
        Route("/settings/v3/currencies/company-currency", ("GET",), company_currency, defaults={"version": "v3"}),
        Route("/settings/currencies/2026-03/company-currency", ("GET",), company_currency,
              defaults={"version": "2026-03"}),
    ]
