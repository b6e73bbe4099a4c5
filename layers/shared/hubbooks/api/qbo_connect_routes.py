"""Connecting QuickBooks companies: a connect link for the settings page (signed), the browser's trip through
Intuit (answered with small pages that say what happened), and listing / disconnecting (signed)."""

from __future__ import annotations

import re
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit

from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo import connect_factory
from hubbooks.api.browser_binding import another_browser_page, redirect_binding_state, started_in_this_browser
from hubbooks.api.deadlines import card_request_deadline
from hubbooks.api.html_pages import page
from hubbooks.api.signed_requests import require_hubspot_signature, signed_identity
from hubbooks.domain.auth.oauth_state import InvalidStateError, StateProblem
from hubbooks.domain.connect.qbo_connect import ConnectOutcome, ConnectResult, QboConnectService
from hubbooks.domain.errors import HubBooksError
from hubbooks.domain.qbo_errors import (
    AuthorizationCodeRejectedError,
    QboCompanyRefusedError,
    QboFaultError,
    SandboxCompanyRefusedError,
)
from hubbooks.models.qbo_connect_api import ConnectLinkResponse, QboConnectionsResponse, QboConnectionView
from hubbooks.observability import logger, metrics

router = APIGatewayHttpRouter()
# Browser-facing routes are annotated Response[str]: Powertools' validation cannot build a schema for a bare
# Response return annotation.

REALM_ID_PATTERN = r"^[0-9]{1,32}$"  # QBO company ids are decimal numbers
_START_AGAIN = "Start again from the HubBooks settings in HubSpot (Connect QuickBooks)."

_LINK_PAGES = {
    StateProblem.EXPIRED: ("This connect link has expired", f"Connect links work for 10 minutes. {_START_AGAIN}"),
    StateProblem.USED: ("This connect link was already used", f"Each connect link works once. {_START_AGAIN}"),
    StateProblem.INVALID: ("This connect link is not valid",
                           f"The link is incomplete or was changed. {_START_AGAIN}"),
}
_STATE_PAGES = {
    StateProblem.EXPIRED: ("This QuickBooks connection request has expired",
                           f"Too much time passed between leaving HubSpot and approving in QuickBooks. {_START_AGAIN}"),
    StateProblem.USED: ("This QuickBooks connection request was already completed",
                        "The page was probably reloaded or opened twice. If the company does not show as connected "
                        f"in HubSpot, {_START_AGAIN[0].lower() + _START_AGAIN[1:]}"),
    StateProblem.INVALID: ("This QuickBooks connection request is not valid",
                           f"It did not start from HubBooks, or the address was changed. {_START_AGAIN}"),
}


BROWSER_COOKIE = "hubbooks_qbo_connect"
CALLBACK_PATH = "/oauth/qbo/callback"


def _deadline() -> Deadline:
    return card_request_deadline(router.lambda_context)


def build_connect_service() -> QboConnectService:
    return connect_factory.qbo_connect_service(_deadline())


ConnectService = Annotated[QboConnectService, Depends(build_connect_service)]


# -- signed calls from the settings page -------------------------------------------------------------------------
@router.post("/oauth/qbo/connect-link", middlewares=[require_hubspot_signature])
def create_connect_link(service: ConnectService) -> ConnectLinkResponse:
    link = service.create_link(signed_identity(router))
    return ConnectLinkResponse(url=link.url, expires_at=link.expires_at)


@router.get("/oauth/qbo/connections", middlewares=[require_hubspot_signature])
def list_connections(service: ConnectService) -> QboConnectionsResponse:
    identity = signed_identity(router)
    return QboConnectionsResponse(portal_id=identity.portal_id,
                                  connections=[QboConnectionView.of(c) for c in
                                               service.list_connections(identity.portal_id)])


@router.delete("/oauth/qbo/connections/<realm_id>", middlewares=[require_hubspot_signature])
def disconnect(service: ConnectService, realm_id: Annotated[str, Path(pattern=REALM_ID_PATTERN)]) -> QboConnectionView:
    identity = signed_identity(router)
    connection = service.disconnect(identity, realm_id)
    metrics.add_metric(name="QboDisconnects", unit=MetricUnit.Count, value=1)
    logger.info("QuickBooks company disconnected", extra={"realm_id": realm_id})
    return QboConnectionView.of(connection)


# -- the browser's trip through Intuit ---------------------------------------------------------------------------
@router.get("/oauth/qbo/connect")
def start_connect(service: ConnectService, link: Annotated[str | None, Query()] = None) -> Response[str]:
    if not link:
        return page("This connect link is incomplete", f"The address has no link code. {_START_AGAIN}",
                    tone="error", status_code=400)
    try:
        authorize_url = service.start(link)
    except InvalidStateError as problem:
        title, message = _LINK_PAGES[problem.problem]
        return page(title, message, tone="error", status_code=400)
    return redirect_binding_state(authorize_url, cookie=BROWSER_COOKIE, callback_path=CALLBACK_PATH)


@router.get(CALLBACK_PATH)
def callback(service: ConnectService, code: Annotated[str | None, Query()] = None,
             state: Annotated[str | None, Query()] = None,
             realm_id: Annotated[str | None, Query(alias="realmId")] = None,
             error: Annotated[str | None, Query()] = None) -> Response[str]:
    if error is not None:
        service.cancel(state)
        if error == "access_denied":
            return page("QuickBooks was not connected",
                        "You chose not to give HubBooks access in QuickBooks, so nothing was connected. You can "
                        "connect a company any time from the HubBooks settings in HubSpot.", tone="info")
        return page("QuickBooks did not connect the company", f"QuickBooks reported: {error}. {_START_AGAIN}",
                    tone="error", status_code=400)
    if not state:
        return page("This QuickBooks connection request is incomplete",
                    f"QuickBooks sent no state back. {_START_AGAIN}", tone="error", status_code=400)
    if not code or not realm_id:
        return page("This QuickBooks connection request is incomplete",
                    f"QuickBooks sent no authorization code or company id. {_START_AGAIN}", tone="error",
                    status_code=400)
    if not re.fullmatch(REALM_ID_PATTERN, realm_id):
        return page("This QuickBooks connection request is not valid",
                    f"The company id QuickBooks sent back is malformed. {_START_AGAIN}", tone="error",
                    status_code=400)
    if not started_in_this_browser(router.current_event, cookie=BROWSER_COOKIE, state=state):
        logger.warning("QuickBooks callback from a browser that did not start the connection")
        return another_browser_page(_START_AGAIN)
    try:
        result = service.complete(state=state, code=code, realm_id=realm_id)
    except InvalidStateError as problem:
        title, message = _STATE_PAGES[problem.problem]
        return page(title, message, tone="error", status_code=400)
    except AuthorizationCodeRejectedError:
        return page("QuickBooks did not accept the authorization",
                    f"The authorization code expired or was already used. {_START_AGAIN}", tone="error",
                    status_code=400)
    except SandboxCompanyRefusedError as refused:
        return page("Sandbox companies cannot be connected", refused.message, tone="error", status_code=403,
                    detail="Connect a real QuickBooks Online company instead.")
    except QboCompanyRefusedError as refused:
        logger.warning("QuickBooks refused the company after consent", extra=_cause_fields(refused))
        return page("QuickBooks would not let HubBooks use this company", refused.message, tone="error",
                    status_code=403, detail="What to do: connect a real (not sandbox) QuickBooks Online company, or "
                    "ask the company's QuickBooks admin to check its subscription and your user role, then connect "
                    "again from the HubBooks settings in HubSpot.")
    except QboFaultError as failure:
        logger.error("QuickBooks connect failed", extra=failure.log_fields())
        return page("The company could not be connected", "QuickBooks did not answer as expected while we read the "
                    f"company's settings. Please try again in a minute. {_START_AGAIN}", tone="error",
                    status_code=502, detail=failure.intuit_tid and f"Intuit transaction id: {failure.intuit_tid}")
    except HubBooksError as failure:
        logger.error("QuickBooks connect failed", extra={"error_code": failure.code})
        return page("The company could not be connected", f"{failure.message}", tone="error",
                    status_code=failure.status_code if failure.status_code >= 500 else 502)
    return _connected_page(result)


def _cause_fields(error: HubBooksError) -> dict[str, object]:
    cause = error.__cause__
    return cause.log_fields() if isinstance(cause, QboFaultError) else {"error_code": error.code}


def _connected_page(result: ConnectResult) -> Response[str]:
    connection = result.connection
    metrics.add_metric(name="QboConnects", unit=MetricUnit.Count, value=1)
    logger.info("QuickBooks company connected", extra={"realm_id": connection.realm_id,
                                                       "outcome": result.outcome.value})
    facts = (f"Country {connection.country}, home currency {connection.home_currency}"
             f"{', multicurrency on' if connection.multicurrency else ''}"
             f"{', custom invoice numbers' if connection.custom_txn_numbers else ''}.")
    if result.outcome is ConnectOutcome.REFRESHED:
        return page("QuickBooks company already connected",
                    f"{connection.company_name} was already connected to this HubSpot account. Its connection has "
                    "been renewed, so nothing else changes.", tone="success", detail=facts)
    if result.outcome is ConnectOutcome.RECONNECTED:
        return page("QuickBooks company reconnected",
                    f"{connection.company_name} is connected to HubSpot again.", tone="success", detail=facts)
    return page("QuickBooks company connected",
                f"{connection.company_name} is now connected to HubSpot. You can create invoices from deals.",
                tone="success", detail=facts)
