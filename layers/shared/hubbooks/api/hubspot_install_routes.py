"""HubSpot app install (browser redirects answered with small pages) and uninstall (a signed app request)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit

from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.hubspot import factory
from hubbooks.adapters.hubspot.errors import HubSpotApiError
from hubbooks.adapters.hubspot.oauth_client import AuthorizationCodeRejectedError, authorize_url
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.api.browser_binding import another_browser_page, redirect_binding_state, started_in_this_browser
from hubbooks.api.html_pages import page
from hubbooks.api.signed_requests import require_hubspot_signature, signed_identity
from hubbooks.config import get_settings
from hubbooks.domain.auth.oauth_state import InvalidStateError, StateProblem
from hubbooks.domain.connect.hubspot_install import HubSpotInstaller, InstallLinks, start_install, uninstall_portal
from hubbooks.domain.errors import HubBooksError
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
    return Deadline.from_lambda_context(router.lambda_context)


def build_installer() -> HubSpotInstaller:
    deadline = _deadline()
    token_manager = factory.hubspot_token_manager(deadline)
    return HubSpotInstaller(
        states=factory.install_state_service(), oauth=factory.hubspot_oauth_client(deadline),
        tokens=dynamo_token_store(), installs=factory.install_store(),
        portal_api=lambda portal_id: factory.hubspot_client(portal_id, deadline=deadline,
                                                            token_manager=token_manager))


@router.get("/oauth/hubspot/install")
def install() -> Response[str]:
    settings = get_settings()
    links = InstallLinks(authorize_endpoint=str(settings.hubspot_authorize_url), client_id=settings.hubspot_client_id,
                         redirect_uri=factory.hubspot_redirect_uri())
    return redirect_binding_state(start_install(factory.install_state_service(), links, authorize_url),
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
    return page("HubBooks is installed",
                f"HubBooks is now connected to HubSpot account {install_record.portal_id} "
                f"(company currency {install_record.company_currency}). Next, connect QuickBooks from a deal's "
                "HubBooks card.", tone="success",
                detail=f"Invoice properties added on deals, contacts and companies: "
                       f"{len(done.created_properties)}.")


@router.delete("/oauth/hubspot/install", middlewares=[require_hubspot_signature])
def uninstall() -> dict[str, Any]:
    identity = signed_identity(router)
    oauth = factory.hubspot_oauth_client(_deadline())
    removed = uninstall_portal(identity.portal_id, tokens=dynamo_token_store(), installs=factory.install_store(),
                               revoke=oauth.revoke)
    logger.info("HubSpot app uninstalled", extra={"portal_id": identity.portal_id, "was_installed": removed})
    return {"portal_id": identity.portal_id, "uninstalled": removed}
