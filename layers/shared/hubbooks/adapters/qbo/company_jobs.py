"""The scheduled company jobs wired to the stack: the token keep-alive and the profile refresh (also run when
QuickBooks says a company's Preferences or CompanyInfo changed).

Apart from factory.py, which every worker loads for its QuickBooks clients: a webhook's invoice change or the overdue
check loads neither job."""

from __future__ import annotations

from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo.factory import connection_store, qbo_client, qbo_token_manager
from hubbooks.config import get_settings
from hubbooks.domain.connect.qbo_company import company_profile
from hubbooks.domain.connect.qbo_keepalive import keep_connection_alive
from hubbooks.domain.connect.qbo_profile_refresh import refresh_company_profile
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.qbo_company import QboCompanyProfile


def refresh_qbo_company_profile(ref: ConnectionRef, *, deadline: Deadline | None = None) -> str:
    """The company's stored profile brought up to date from CompanyInfo and Preferences, with its own grant."""
    def read(company: ConnectionRef) -> QboCompanyProfile:
        client = qbo_client(company.portal_id, company.realm_id, deadline=deadline)
        return company_profile(company.realm_id, client.company_info(), client.preferences(),
                               api_base_url=str(get_settings().qbo_api_base_url))

    return refresh_company_profile(ref, connections=connection_store(), read_profile=read)


def keep_qbo_connection_alive(ref: ConnectionRef) -> str:
    """The scheduled sync's token keep-alive for one company, with the stack's stores and Intuit client."""
    return keep_connection_alive(ref, qbo_token_manager(), connection_store())
