"""The invoice PDF, fetched from QuickBooks and streamed to the card as a binary response."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api.invoice_dependencies import invoicing_for
from hubbooks.api.signed_requests import require_hubspot_signature

router = APIGatewayHttpRouter()
RealmId = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,32}$", description="QuickBooks company (realm) id")]
InvoiceId = Annotated[str, Path(pattern=r"^[0-9]{1,20}$", description="QuickBooks invoice id")]


@router.get("/app/qbo/<realm_id>/invoices/<invoice_id>/pdf", middlewares=[require_hubspot_signature],
            tags=["Invoices"], summary="Preview: the invoice PDF from QuickBooks",
            responses={200: {"description": "The PDF", "content": {"application/pdf": {}}}})
# No return annotation on purpose: with one, Powertools' response validation would try to serialise the PDF bytes.
def invoice_pdf(realm_id: RealmId, invoice_id: InvoiceId):  # type: ignore[no-untyped-def]
    pdf = invoicing_for(router).company(realm_id).invoice_pdf(invoice_id)
    # bytes bodies are base64-encoded into the API Gateway response by the resolver (isBase64Encoded).
    return Response(status_code=200, content_type="application/pdf", body=pdf,
                    headers={"Content-Disposition": f'inline; filename="invoice-{invoice_id}.pdf"',
                             "Cache-Control": "private, no-store"})
