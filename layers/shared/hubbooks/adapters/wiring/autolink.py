"""Auto-linking wired to the stack: the linker the change engine's Invoice applier calls. Built per invocation;
nothing runs at import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.autolink_store import DynamoAutoLinkState
from hubbooks.adapters.storage.sync_link_store import DynamoSyncLinks
from hubbooks.config import get_settings
from hubbooks.domain.invoicing.autolink import AutoLinker
from hubbooks.domain.invoicing.ports import InvoiceLinks


def autolinker(links: InvoiceLinks, clock: Callable[[], datetime]) -> AutoLinker:
    table = dynamodb_table(get_settings().app_table_name)
    return AutoLinker(links=links, sync_links=DynamoSyncLinks(table), state=DynamoAutoLinkState(table), clock=clock)
