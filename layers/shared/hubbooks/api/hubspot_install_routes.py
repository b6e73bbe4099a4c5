"""HubSpot app install (browser redirects answered with small pages) and uninstall (a signed app request)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.hubspot import factory
from hubbooks.adapters.hubspot.errors import HubSpotApiError
from hubbooks.adapters.hubspot.install_factory import install_state_service, install_store
from hubbooks.adapters.hubspot.oauth_client import AuthorizationCodeRejectedError, authorize_url
from hubbooks.adapters.qbo.connect_factory import PortalQboCompanies, connected_company_names, qbo_connect_service
from hubbooks.adapters.storage.sync_store import DynamoSyncAdmins
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.api.browser_binding import another_browser_page, redirect_binding_state, started_in_this_browser
from hubbooks.api.deadlines import card_request_deadline
from hubbooks.api.html_pages import page
from hubbooks.api.signed_requests import require_hubspot_signature, signed_identity
from hubbooks.config import get_settings
from hubbooks.domain.auth.oauth_state import InvalidStateError, StateProblem
from hubbooks.domain.connect.hubspot_install import (
    HubSpotInstaller,
    InstallLinks,
    describe_install,
    start_install,
    uninstall_app,
)
from hubbooks.domain.errors import HubBooksError
from hubbooks.domain.sync.errors import AdminOnlyError
from hubbooks.observability import logger, metrics

router = APIGatewayHttpRouter()
BROWSER_COOKIE = "hubbooks_hubspot_install"
CALLBACK_PATH = "/oauth/hubspot/callback"

_STATE_PAGES = {
    StateProblem.EXPIRED: ("This install link has expired",
                           "Install links are valid for 10 minutes. Start the install again from HubSpot."),
    StateProblem.USED: ("This install link was already used",
                        "Each install link works once. Start the install again from HubSpot if you need to."),
    StateProblem.INVALID: ("This install link is not valid",
                           "The link was changed or belongs to another flow. Start the install again from HubSpot."),
}


def _deadline() -> Deadline:
    return card_request_deadline(router.lambda_context)


def build_installer() -> HubSpotInstaller:
    deadline = _deadline()
    token_manager = factory.hubspot_token_manager(deadline)
    return HubSpotInstaller(
        states=install_state_service(), oauth=factory.hubspot_oauth_client(deadline),
        tokens=dynamo_token_store(), installs=install_store(),
        portal_api=lambda portal_id: factory.hubspot_client(portal_id, deadline=deadline,
                                                            token_manager=token_manager),
        connected_companies=connected_company_names)


@router.get("/oauth/hubspot/install")
def install() -> Response[str]:
    settings = get_settings()
    links = InstallLinks(authorize_endpoint=str(settings.hubspot_authorize_url), client_id=settings.hubspot_client_id,
                         redirect_uri=factory.hubspot_redirect_uri())
    return redirect_binding_state(start_install(install_state_service(), links, authorize_url),
                                  cookie=BROWSER_COOKIE, callback_path=CALLBACK_PATH)


@router.get(CALLBACK_PATH)
def callback(installer: Annotated[HubSpotInstaller, Depends(build_installer)],
             code: Annotated[str | None, Query()] = None, state: Annotated[str | None, Query()] = None,
             error: Annotated[str | None, Query()] = None) -> Response[str]:
    if error is not None:
        installer.discard_state(state)
        if error == "access_denied":
            return page("Install cancelled", "HubBooks was not installed because access was declined in HubSpot.",
                        tone="info")
        return page("HubSpot did not install HubBooks", f"HubSpot reported: {error}.", tone="error", status_code=400)
    if not code:
        return page("Install incomplete", "HubSpot sent no authorization code. Start the install again from HubSpot.",
                    tone="error", status_code=400)
    if not state or not started_in_this_browser(router.current_event, cookie=BROWSER_COOKIE, state=state):
        return another_browser_page("Start the install again from HubSpot.")
    try:
        done = installer.complete(code=code, state=state)
    except InvalidStateError as problem:
        title, message = _STATE_PAGES[problem.problem]
        return page(title, message, tone="error", status_code=400)
    except AuthorizationCodeRejectedError:
        return page("HubSpot did not accept the authorization", "The authorization code was already used or has "
                    "expired. Start the install again from HubSpot.", tone="error", status_code=400)
    except HubSpotApiError as failure:
        logger.error("HubSpot install failed", extra=failure.log_fields())
        return page("The install could not be finished", "HubSpot did not answer as expected. Please try the install "
                    "again in a minute.", tone="error", status_code=502, detail=failure.correlation_id and
                    f"HubSpot correlation id: {failure.correlation_id}")
    except HubBooksError as failure:
        logger.error("install failed", extra={"error_code": failure.code})
        return page("The install could not be finished", failure.message, tone="error", status_code=502)
    install_record = done.install
    metrics.add_metric(name="HubSpotInstalls", unit=MetricUnit.Count, value=1)
    logger.info("HubSpot app installed", extra={"portal_id": install_record.portal_id,
                                                "created_properties": done.created_properties})
    title, message, detail = describe_install(done)
    return page(title, message, tone="success", detail=detail)


@router.delete("/oauth/hubspot/install", middlewares=[require_hubspot_signature])
def uninstall(qbo_companies: Annotated[Literal["disconnect", "keep"], Query(
        alias="qboCompanies", description="disconnect: revoke and forget every QuickBooks company of the portal; "
                                          "keep: leave them connected for a reinstall")] = "disconnect",
              ) -> Response[dict[str, Any]]:
    identity = signed_identity(router)
    if not DynamoSyncAdmins(dynamodb_table(get_settings().app_table_name)).is_admin(identity.portal_id,
                                                                                   identity.user_id):
        raise AdminOnlyError("Only a HubBooks admin of this HubSpot account can uninstall HubBooks; ask the person "
                             "who installed it.")
    deadline = _deadline()
    outcome = uninstall_app(identity.portal_id, qbo_companies=qbo_companies,
                            companies=PortalQboCompanies(qbo_connect_service(deadline), identity.user_id),
                            tokens=dynamo_token_store(), installs=install_store(),
                            revoke=factory.hubspot_oauth_client(deadline).revoke)
    factory.forget_warm_grant(identity.portal_id)
    logger.info("HubSpot app uninstalled", extra={"portal_id": identity.portal_id, "choice": qbo_companies,
                                                  "was_installed": outcome.was_installed,
                                                  "qbo_disconnected": len(outcome.disconnected),
                                                  "qbo_kept": len(outcome.kept),
                                                  "qbo_not_disconnected": len(outcome.not_disconnected)})
    body: dict[str, Any] = {"portal_id": identity.portal_id, "uninstalled": outcome.was_installed,
                            "qbo_companies": qbo_companies, "disconnected": list(outcome.disconnected),
                            "kept": list(outcome.kept), "not_disconnected": list(outcome.not_disconnected),
                            "message": outcome.message()}
    if outcome.not_disconnected:  # uninstalling again retries exactly what is left
        return Response(status_code=503, content_type="application/json",
                        body={"error": "quickbooks_unavailable", **body})
    return Response(status_code=200, content_type="application/json", body=body)
