"""Every key of the single application table is built here, so the access patterns are visible in one place.

Main index (pk, sk):      PORTAL#<portal>  / QBO#<realm>              a QuickBooks connection of a portal
                          PORTAL#<portal>  / JOBRUN#<job>#<realm>      last run of a scheduled job
gsi1 (gsi1pk, gsi1sk):    QBOCONN          / PORTAL#<portal>#QBO#<realm>   every live connection (schedule fan-out)
"""

from __future__ import annotations

ALL_CONNECTIONS = "QBOCONN"


def portal_pk(portal_id: int) -> str:
    return f"PORTAL#{portal_id}"


def connection_key(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"QBO#{realm_id}"}


def connection_sk_prefix() -> str:
    return "QBO#"


def connection_index_keys(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"gsi1pk": ALL_CONNECTIONS, "gsi1sk": f"PORTAL#{portal_id}#QBO#{realm_id}"}


def job_run_key(portal_id: int, job: str, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"JOBRUN#{job}#{realm_id}"}


def grant_key(provider: str, portal_id: int, realm_id: str | None) -> dict[str, str]:
    """PORTAL#<portal> / TOKEN#<provider>#<realm or ->: the encrypted OAuth grant (one item, versioned)."""
    return {"pk": portal_pk(portal_id), "sk": f"TOKEN#{provider}#{realm_id or '-'}"}


def oauth_state_key(nonce: str) -> dict[str, str]:
    """STATE#<nonce> / STATE: a one-time OAuth state or connect link (expires through the ttl attribute)."""
    return {"pk": f"STATE#{nonce}", "sk": "STATE"}
