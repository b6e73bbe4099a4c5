"""The invoice PDF, fetched from QuickBooks and streamed to the card as a binary response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.aws.app_secrets import hubspot_app_credentials
from hubbooks.adapters.derived_keys import derived_key
from hubbooks.api.deadlines import card_request_deadline
from hubbooks.api.html_pages import page
from hubbooks.api.invoice_dependencies import Invoicing, invoicing_for
from hubbooks.api.path_params import InvoiceId, RealmId
from hubbooks.api.request_guard import RouteAuthenticator
from hubbooks.api.signed_requests import require_hubspot_signature, signed_identity
from hubbooks.config import get_settings
from hubbooks.domain.auth.signed_links import InvalidLinkError, issue_link_token, read_link_token
from hubbooks.domain.errors import HubBooksError
from hubbooks.models.identity import SignedIdentity
from hubbooks.models.invoicing_api import PreviewLink

router = APIGatewayHttpRouter()


@router.get("/app/qbo/<realm_id>/invoices/<invoice_id>/pdf", middlewares=[require_hubspot_signature],
            tags=["Invoices"], summary="Preview: the invoice PDF from QuickBooks",
            responses={200: {"description": "The PDF", "content": {"application/pdf": {}}}})
# No return annotation on purpose: with one, Powertools' response validation would try to serialise the PDF bytes.
def invoice_pdf(realm_id: RealmId, invoice_id: InvoiceId):  # type: ignore[no-untyped-def]
    return _pdf_response(invoicing_for(router), realm_id, invoice_id)


PREVIEW_LINK_LIFETIME = timedelta(minutes=5)


def _preview_key() -> bytes:
    return derived_key(hubspot_app_credentials().client_secret, "invoice-preview-link")


@router.post("/app/qbo/<realm_id>/invoices/<invoice_id>/preview-link", middlewares=[require_hubspot_signature],
             tags=["Invoices"], summary="Preview: a short-lived URL of the invoice PDF for the card's iframe")
def invoice_preview_link(realm_id: RealmId, invoice_id: InvoiceId) -> PreviewLink:
    identity = signed_identity(router)
    invoicing_for(router).company(realm_id)  # refuses companies this portal has not connected
    expires_at = datetime.now(UTC) + PREVIEW_LINK_LIFETIME
    token = issue_link_token(_preview_key(), {"p": identity.portal_id, "u": identity.user_id, "r": realm_id,
                                              "i": invoice_id}, expires_at)
    url = get_settings().public_url("/invoices/preview") + "?" + urlencode({"link": token})
    return PreviewLink(url=url, expires_at=expires_at)


class PreviewLinkRoute(RouteAuthenticator):
    """The preview URL carries our own signature instead of HubSpot's: checked before the query is validated."""

    __name__ = "require_preview_link"
    refusal_status = 403
    refusal_content_type = "text/html"

    def authenticate(self, app: APIGatewayHttpResolver) -> Response | None:
        link = (app.current_event.query_string_parameters or {}).get("link")
        try:
            claims = read_link_token(_preview_key(), link, datetime.now(UTC))
            grant = PreviewGrant(portal_id=int(claims["p"]), user_id=int(claims["u"]), realm_id=str(claims["r"]),
                                 invoice_id=str(claims["i"]))
        except InvalidLinkError as error:
            reason = f"{str(error).capitalize()}."
        except (KeyError, TypeError, ValueError):
            reason = "The link is not valid."
        else:
            app.append_context(**{_PREVIEW_GRANT: grant})
            return None
        return page("This preview link cannot be used", f"{reason} Open the preview again from the invoice in "
                    "HubSpot.", tone="error", status_code=403)


@dataclass(frozen=True)
class PreviewGrant:
    portal_id: int
    user_id: int
    realm_id: str
    invoice_id: str


_PREVIEW_GRANT = "preview_grant"


@router.get("/invoices/preview", middlewares=[PreviewLinkRoute()], tags=["Invoices"],
            summary="Preview: the invoice PDF behind a preview link",
            responses={200: {"description": "The PDF", "content": {"application/pdf": {}}}})
def invoice_preview(link: Annotated[str, Query(max_length=2048)] = ""):  # type: ignore[no-untyped-def]
    grant: PreviewGrant = router.context[_PREVIEW_GRANT]
    identity = SignedIdentity(portal_id=grant.portal_id, user_id=grant.user_id)
    invoicing = Invoicing(identity, card_request_deadline(router.lambda_context))
    try:
        return _pdf_response(invoicing, grant.realm_id, grant.invoice_id)
    except HubBooksError as error:  # the card's iframe shows this: a page in words, never the JSON error body
        return page("This invoice cannot be shown", error.message, tone="error", status_code=error.status_code)


def _pdf_response(invoicing: Invoicing, realm_id: str, invoice_id: str) -> Response[bytes]:
    pdf = invoicing.company(realm_id).invoice_pdf(invoice_id)
    # bytes bodies are base64-encoded into the API Gateway response by the resolver (isBase64Encoded).
    return Response(status_code=200, content_type="application/pdf", body=pdf,
                    headers={"Content-Disposition": f'inline; filename="invoice-{invoice_id}.pdf"',
                             "Cache-Control": "private, no-store"})
