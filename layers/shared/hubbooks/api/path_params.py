"""The path parameters the card and settings routes share, validated (and documented) alike everywhere."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from hubbooks.models.sync import SyncObject

RealmId = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,32}$", description="QuickBooks company (realm) id")]
InvoiceId = Annotated[str, Path(pattern=r"^[0-9]{1,20}$", description="QuickBooks invoice id")]
DealId = Annotated[str, Path(pattern=r"^[0-9]{1,20}$", description="HubSpot deal id")]
ObjectName = Annotated[SyncObject, Path(description="contacts, companies or products")]
QboId = Annotated[str, Path(pattern=r"^[0-9A-Za-z_-]{1,40}$")]
