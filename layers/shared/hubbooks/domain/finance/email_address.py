"""Is this an address QuickBooks can e-mail an invoice to? Checked here so a typo gets a sentence, not a fault."""

from __future__ import annotations

import re

MAX_BILL_EMAIL_LENGTH = 100  # QuickBooks' limit on BillEmail.Address
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def email_problem(address: str) -> str | None:
    """None when the address is usable, else what is wrong with it in words."""
    if len(address) > MAX_BILL_EMAIL_LENGTH:
        return f"The e-mail address is longer than QuickBooks allows ({MAX_BILL_EMAIL_LENGTH} characters)."
    if address.count("@") != 1:
        return "Enter one e-mail address, such as someone@theircompany.co."
    local, domain = address.split("@")
    if not local or len(local) > 64 or not _LOCAL.match(local):
        return "The part before the @ is not valid in an e-mail address."
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return "The part after the @ must be a domain name, such as theircompany.co."
    return None
