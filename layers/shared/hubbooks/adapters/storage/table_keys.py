"""Every key of the single application table is built here, so the access patterns are visible in one place.

Main index (pk, sk):      PORTAL#<portal>  / QBO#<realm>              a QuickBooks connection of a portal
                          PORTAL#<portal>  / QBOCONNECTED             the portal's connected companies, one item
                                                                       (the card reads it instead of querying)
                          PORTAL#<portal>  / JOBRUN#<job>#<realm>      last run of a scheduled job
                          PORTAL#<portal>  / HUBSPOT#INSTALL           the portal's install of the HubSpot app
                          PORTAL#<portal>  / INVLINK#<type>#<object>#QBO#<realm>#INV#<invoice>
                                                                       a QuickBooks invoice shown on a HubSpot record
                          PORTAL#<portal>  / INVSET#<realm>            invoicing settings of a company (numbering)
                          PORTAL#<portal>  / DOCSEQ#<realm>            HubBooks' invoice number sequence
                          PORTAL#<portal>  / PAYNOTE#<realm>#<payment> the HubSpot note showing a QuickBooks payment
                          PORTAL#<portal>  / SYNCCFG#<realm>#<object>  sync behaviour and field mappings of an object
                          PORTAL#<portal>  / SYNCSTAT#<realm>#<object>  how each mapping of an object has fared
                          PORTAL#<portal>  / SYNCLINK#<realm>#<object>#<qbo id>   QuickBooks record -> HubSpot record
                          PORTAL#<portal>  / SYNCDECIDE#<realm>#<object>#<qbo id> an ambiguous match for the admin
                          PORTAL#<portal>  / SYNCFAIL#<realm>#<object>#<qbo id>   a record that could not sync, why
                          PORTAL#<portal>  / SYNC#ADMINS               who may change sync settings
                          PORTAL#<portal>  / SYNCRUN#<realm>           the company's latest backfill or dry run
                          PORTAL#<portal>  / CHANGES#<realm>#<entity>  change-engine bookmark (reconciliation)
                          PORTAL#<portal>  / HSCHANGES#<realm>#<object> HubSpot-side bookmark (two-way reconciliation)
                          PORTAL#<portal>  / INVSUB#<deal>#<submission> an invoice create whose outcome is unknown
                          PORTAL#<portal>  / ROLES#FINANCE             the portal's approvers (finance workflows)
                          PORTAL#<portal>  / REMSET#<realm>            reminder settings of a company
                          PORTAL#<portal>  / APPRSET#<realm>           approval settings of a company
                          PORTAL#<portal>  / APPROVAL#<deal>#<request> an invoice waiting for an approver
                          PORTAL#<portal>  / REMTASK#<realm>#<invoice>#<kind>
                                                                       the HubSpot task reminding of one invoice
                          PORTAL#<portal>  / AUTOLINK#<realm>          auto-linking switch of a company
                          PORTAL#<portal>  / AUTOLINKED#<realm>#<invoice> records an invoice was auto-linked to
                          PORTAL#<portal>  / AUTOLINKRUN#<realm>       the company's latest invoice backfill
                          PORTAL#<portal>  / CREDIT#<type>#<object>#QBO#<realm>#<kind>#<txn>
                                                                       a credit memo or refund on a contact/company
                          SIGNED#<sha256 of signature> / SIGNED   a signed request already accepted (replays)
gsi1 (gsi1pk, gsi1sk):    QBOCONN          / PORTAL#<portal>#QBO#<realm>   every live connection (schedule fan-out)
                          PORTAL#<portal>#QBO#<realm>#INVLINKS / INV#<invoice>#<type>#<object>
                                                                       a company's links (overdue check), by invoice
                          PORTAL#<portal>#QBO#<realm>#CREDITS / <kind>#<txn>#<type>#<object>
                                                                       a company's credits shown on records
                          PORTAL#<portal>#QBO#<realm>#SYNCLINKS#<object> / HS#<hubspot id>
                                                                       HubSpot record -> QuickBooks record (echo checks)
gsi2 (gsi2pk, gsi2sk):    REALM#<realm>    / PORTAL#<portal>           portals connected to a company (its webhooks)
"""

from __future__ import annotations

ALL_CONNECTIONS = "QBOCONN"


def portal_pk(portal_id: int) -> str:
    return f"PORTAL#{portal_id}"


def connection_key(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"QBO#{realm_id}"}


def connected_companies_key(portal_id: int) -> dict[str, str]:
    """Kept by the connection store beside every connection write; not under QBO# so the connections query skips
    it."""
    return {"pk": portal_pk(portal_id), "sk": "QBOCONNECTED"}


def card_context_keys(portal_id: int) -> list[dict[str, str]]:
    """The per-portal items a card needs besides the record's links, read together in one BatchGetItem: the
    connected companies, the finance roles, the install and the added admins (who may void), the currency cache."""
    return [connected_companies_key(portal_id), finance_roles_key(portal_id), hubspot_install_key(portal_id),
            sync_admins_key(portal_id), company_currency_cache_key(portal_id)]


def connection_sk_prefix() -> str:
    return "QBO#"


def connection_index_keys(portal_id: int, realm_id: str) -> dict[str, str]:
    """Saved on a live connection only: schedule fan-out on gsi1, and on gsi2 the realm -> portals lookup that
    QuickBooks webhooks need, since they name only the realm. Flagging needs_reconnect removes just the gsi1 pair,
    so readers of gsi2 check the status."""
    return {"gsi1pk": ALL_CONNECTIONS, "gsi1sk": f"PORTAL#{portal_id}#QBO#{realm_id}",
            "gsi2pk": connections_of_realm_pk(realm_id), "gsi2sk": portal_pk(portal_id)}


def connections_of_realm_pk(realm_id: str) -> str:
    return f"REALM#{realm_id}"


def job_run_key(portal_id: int, job: str, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"JOBRUN#{job}#{realm_id}"}


def grant_key(provider: str, portal_id: int, realm_id: str | None) -> dict[str, str]:
    """PORTAL#<portal> / TOKEN#<provider>#<realm or ->: the encrypted OAuth grant (one item, versioned)."""
    return {"pk": portal_pk(portal_id), "sk": f"TOKEN#{provider}#{realm_id or '-'}"}


def oauth_state_key(nonce: str) -> dict[str, str]:
    """STATE#<nonce> / STATE: a one-time OAuth state or connect link (expires through the ttl attribute)."""
    return {"pk": f"STATE#{nonce}", "sk": "STATE"}


def used_signature_key(signature_digest: str) -> dict[str, str]:
    """SIGNED#<digest> / SIGNED: a state-changing signed request already accepted (expires through ttl)."""
    return {"pk": f"SIGNED#{signature_digest}", "sk": "SIGNED"}


def hubspot_install_key(portal_id: int) -> dict[str, str]:
    """PORTAL#<portal> / HUBSPOT#INSTALL: who installed the app, when, and the portal's currency."""
    return {"pk": portal_pk(portal_id), "sk": "HUBSPOT#INSTALL"}


def invoice_link_key(portal_id: int, object_type: str, object_id: str, realm_id: str,
                     invoice_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"{invoice_link_object_prefix(object_type, object_id)}QBO#{realm_id}"
                                              f"#INV#{invoice_id}"}


def invoice_link_object_prefix(object_type: str, object_id: str) -> str:
    """Begins every link of one HubSpot record (the card's query)."""
    return f"INVLINK#{object_type}#{object_id}#"


def invoice_links_of_company_pk(portal_id: int, realm_id: str) -> str:
    return f"PORTAL#{portal_id}#QBO#{realm_id}#INVLINKS"


def invoice_link_index_keys(portal_id: int, object_type: str, object_id: str, realm_id: str,
                            invoice_id: str) -> dict[str, str]:
    return {"gsi1pk": invoice_links_of_company_pk(portal_id, realm_id),
            "gsi1sk": f"{invoice_link_invoice_prefix(invoice_id)}{object_type}#{object_id}"}


def invoice_link_invoice_prefix(invoice_id: str) -> str:
    """Begins every link of one invoice within a company's links (reverse lookup)."""
    return f"INV#{invoice_id}#"


def invoicing_settings_key(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"INVSET#{realm_id}"}


def doc_number_sequence_key(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"DOCSEQ#{realm_id}"}


def payment_note_key(portal_id: int, realm_id: str, payment_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"{payment_note_realm_prefix(realm_id)}{payment_id}"}


def payment_note_realm_prefix(realm_id: str) -> str:
    return f"PAYNOTE#{realm_id}#"


def company_currency_cache_key(portal_id: int) -> dict[str, str]:
    """PORTAL#<portal> / HUBSPOT#CURRENCY: the portal's company currency as last read from HubSpot."""
    return {"pk": portal_pk(portal_id), "sk": "HUBSPOT#CURRENCY"}


def sync_config_key(portal_id: int, realm_id: str, sync_object: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"SYNCCFG#{realm_id}#{sync_object}"}


def mapping_stats_key(portal_id: int, realm_id: str, sync_object: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"SYNCSTAT#{realm_id}#{sync_object}"}


def sync_link_key(portal_id: int, realm_id: str, sync_object: str, qbo_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"SYNCLINK#{realm_id}#{sync_object}#{qbo_id}"}


def sync_links_of_object_pk(portal_id: int, realm_id: str, sync_object: str) -> str:
    return f"PORTAL#{portal_id}#QBO#{realm_id}#SYNCLINKS#{sync_object}"


def sync_link_index_keys(portal_id: int, realm_id: str, sync_object: str, hubspot_id: str) -> dict[str, str]:
    return {"gsi1pk": sync_links_of_object_pk(portal_id, realm_id, sync_object), "gsi1sk": f"HS#{hubspot_id}"}


def sync_decision_prefix(realm_id: str, sync_object: str) -> str:
    return f"SYNCDECIDE#{realm_id}#{sync_object}#"


def sync_decision_key(portal_id: int, realm_id: str, sync_object: str, qbo_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"{sync_decision_prefix(realm_id, sync_object)}{qbo_id}"}


def sync_failure_prefix(realm_id: str, sync_object: str) -> str:
    return f"SYNCFAIL#{realm_id}#{sync_object}#"


def sync_failure_key(portal_id: int, realm_id: str, sync_object: str, qbo_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"{sync_failure_prefix(realm_id, sync_object)}{qbo_id}"}


def backfill_run_key(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"SYNCRUN#{realm_id}"}


def sync_admins_key(portal_id: int) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": "SYNC#ADMINS"}


def change_bookmark_key(portal_id: int, realm_id: str, entity: str) -> dict[str, str]:
    """How far reconciliation has applied one entity type of one company (domain/changes)."""
    return {"pk": portal_pk(portal_id), "sk": f"CHANGES#{realm_id}#{entity}"}


def hubspot_change_bookmark_key(portal_id: int, realm_id: str, sync_object: str) -> dict[str, str]:
    """How far the HubSpot-side reconciliation has sent one object's HubSpot changes to one company."""
    return {"pk": portal_pk(portal_id), "sk": f"HSCHANGES#{realm_id}#{sync_object}"}


def invoice_submission_key(portal_id: int, deal_id: str, submission_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"{invoice_submission_deal_prefix(deal_id)}{submission_id}"}


def invoice_submission_deal_prefix(deal_id: str) -> str:
    return f"INVSUB#{deal_id}#"
def finance_roles_key(portal_id: int) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": "ROLES#FINANCE"}


def reminder_settings_key(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"REMSET#{realm_id}"}


def reminder_task_key(portal_id: int, realm_id: str, invoice_id: str, kind: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"{reminder_tasks_of_realm_prefix(realm_id)}{invoice_id}#{kind}"}


def reminder_tasks_of_realm_prefix(realm_id: str) -> str:
    return f"REMTASK#{realm_id}#"


def approval_settings_key(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"APPRSET#{realm_id}"}


def approval_request_key(portal_id: int, deal_id: str, request_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"{approval_requests_of_deal_prefix(deal_id)}{request_id}"}


def approval_requests_of_deal_prefix(deal_id: str) -> str:
    return f"APPROVAL#{deal_id}#"
def autolink_settings_key(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"AUTOLINK#{realm_id}"}


def autolinked_invoice_key(portal_id: int, realm_id: str, invoice_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"AUTOLINKED#{realm_id}#{invoice_id}"}


def autolink_run_key(portal_id: int, realm_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id), "sk": f"AUTOLINKRUN#{realm_id}"}


def customer_credit_object_prefix(object_type: str, object_id: str) -> str:
    return f"CREDIT#{object_type}#{object_id}#"


def customer_credit_key(portal_id: int, object_type: str, object_id: str, realm_id: str, kind: str,
                        txn_id: str) -> dict[str, str]:
    return {"pk": portal_pk(portal_id),
            "sk": f"{customer_credit_object_prefix(object_type, object_id)}QBO#{realm_id}#{kind}#{txn_id}"}


def customer_credits_of_company_pk(portal_id: int, realm_id: str) -> str:
    return f"{portal_pk(portal_id)}#QBO#{realm_id}#CREDITS"


def customer_credit_index_keys(portal_id: int, object_type: str, object_id: str, realm_id: str, kind: str,
                               txn_id: str) -> dict[str, str]:
    return {"gsi1pk": customer_credits_of_company_pk(portal_id, realm_id),
            "gsi1sk": f"{kind}#{txn_id}#{object_type}#{object_id}"}
