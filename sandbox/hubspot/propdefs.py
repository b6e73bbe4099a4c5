"""Property definitions: HubSpot's default properties per object type, and typed value checks on write."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

Options = tuple[tuple[str, str], ...]  # (value, label)

FIELD_TYPE_FOR = {"string": "text", "number": "number", "date": "date", "datetime": "date",
                  "enumeration": "select", "bool": "booleancheckbox", "phone_number": "phonenumber"}


@dataclass
class PropertyDef:
    name: str
    label: str
    type: str
    group: str
    field_type: str = ""
    options: Options = ()
    description: str = ""
    read_only: bool = False
    unique: bool = False
    hubspot_defined: bool = True
    external_options: bool = False  # options come from elsewhere (owners, portal currencies)
    number_hint: str | None = None
    display_order: int = -1
    created_at: str = "2019-08-06T02:43:01.930Z"
    updated_at: str = "2019-08-06T02:43:01.930Z"
    archived: bool = False
    calculated: bool = False  # HubSpot computes the value (and so refuses writes)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.field_type:
            self.field_type = FIELD_TYPE_FOR.get(self.type, "text")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "label": self.label, "type": self.type, "fieldType": self.field_type,
            "description": self.description, "groupName": self.group,
            "options": [{"label": label, "value": value, "displayOrder": i, "hidden": False}
                        for i, (value, label) in enumerate(self.options)],
            "displayOrder": self.display_order, "calculated": self.calculated, "externalOptions": self.external_options,
            "hasUniqueValue": self.unique, "hidden": False, "hubspotDefined": self.hubspot_defined,
            "modificationMetadata": {"archivable": not self.hubspot_defined, "readOnlyDefinition": self.hubspot_defined,
                                     "readOnlyValue": self.read_only},
            "formField": not self.read_only, "dataSensitivity": "non_sensitive",
            "createdAt": self.created_at, "updatedAt": self.updated_at, "archived": self.archived,
        }
        if self.number_hint:
            out["numberDisplayHint"] = self.number_hint
        out.update(self.extra)
        return out


def _opts(*values: str) -> Options:
    return tuple((v, v.replace("_", " ").title()) for v in values)


def _common(modified_name: str = "hs_lastmodifieddate") -> list[PropertyDef]:
    return [
        PropertyDef("hs_object_id", "Record ID", "number", "", read_only=True),
        PropertyDef("createdate", "Create Date", "datetime", "", read_only=True),
        PropertyDef(modified_name, "Last Modified Date", "datetime", "", read_only=True),
        PropertyDef("hubspot_owner_id", "Owner", "enumeration", "", field_type="select", external_options=True),
    ]


DEAL_STAGES = _opts("appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin",
                    "contractsent", "closedwon", "closedlost")
QUOTE_STATUSES = _opts("DRAFT", "APPROVAL_NOT_NEEDED", "PENDING_APPROVAL", "APPROVED", "REJECTED")
PUBLISHED_QUOTE_STATUSES = {"APPROVAL_NOT_NEEDED", "APPROVED"}


def _defaults() -> dict[str, list[PropertyDef]]:
    s, n, d, dt, e, b = "string", "number", "date", "datetime", "enumeration", "bool"
    return {
        "contacts": [*_common("lastmodifieddate"),
            PropertyDef("email", "Email", s, "contactinformation", unique=True),
            PropertyDef("firstname", "First Name", s, "contactinformation"),
            PropertyDef("lastname", "Last Name", s, "contactinformation"),
            PropertyDef("phone", "Phone Number", "string", "contactinformation", field_type="phonenumber"),
            PropertyDef("mobilephone", "Mobile Phone Number", "string", "contactinformation",
                        field_type="phonenumber"),
            PropertyDef("company", "Company Name", s, "contactinformation"),
            PropertyDef("website", "Website URL", s, "contactinformation"),
            PropertyDef("address", "Street Address", s, "contactinformation"),
            PropertyDef("city", "City", s, "contactinformation"),
            PropertyDef("state", "State/Region", s, "contactinformation"),
            PropertyDef("zip", "Postal Code", s, "contactinformation"),
            PropertyDef("country", "Country/Region", s, "contactinformation"),
            PropertyDef("lifecyclestage", "Lifecycle Stage", e, "contactinformation", field_type="radio",
                        options=_opts("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
                                      "opportunity", "customer", "evangelist", "other")),
        ],
        "companies": [*_common(),
            PropertyDef("name", "Company name", s, "companyinformation"),
            PropertyDef("domain", "Company Domain Name", s, "companyinformation"),
            PropertyDef("website", "Website URL", s, "companyinformation"),
            PropertyDef("phone", "Phone Number", s, "companyinformation", field_type="phonenumber"),
            PropertyDef("address", "Street Address", s, "companyinformation"),
            PropertyDef("city", "City", s, "companyinformation"),
            PropertyDef("state", "State/Region", s, "companyinformation"),
            PropertyDef("zip", "Postal Code", s, "companyinformation"),
            PropertyDef("country", "Country/Region", s, "companyinformation"),
            PropertyDef("industry", "Industry", s, "companyinformation"),
            PropertyDef("numberofemployees", "Number of Employees", n, "companyinformation"),
            PropertyDef("annualrevenue", "Annual Revenue", n, "companyinformation", number_hint="currency"),
            PropertyDef("num_associated_contacts", "Number of Associated Contacts", n, "companyinformation",
                        read_only=True, calculated=True),
        ],
        "deals": [*_common(),
            PropertyDef("dealname", "Deal Name", s, "dealinformation"),
            PropertyDef("amount", "Amount", n, "dealinformation", number_hint="currency"),
            PropertyDef("dealstage", "Deal Stage", e, "dealinformation", field_type="radio", options=DEAL_STAGES),
            PropertyDef("pipeline", "Pipeline", e, "dealinformation", options=(("default", "Sales Pipeline"),)),
            PropertyDef("closedate", "Close Date", dt, "dealinformation"),
            PropertyDef("deal_currency_code", "Currency", e, "dealinformation", external_options=True),
            PropertyDef("description", "Deal Description", s, "dealinformation", field_type="textarea"),
            PropertyDef("hs_deal_stage_probability", "Deal Stage Probability", n, "dealinformation", read_only=True),
        ],
        "products": [*_common(),
            PropertyDef("name", "Name", s, "productinformation"),
            PropertyDef("price", "Unit price", n, "productinformation", number_hint="currency"),
            PropertyDef("hs_sku", "SKU", s, "productinformation"),
            PropertyDef("description", "Description", s, "productinformation", field_type="textarea"),
            PropertyDef("hs_cost_of_goods_sold", "Unit cost", n, "productinformation", number_hint="currency"),
            PropertyDef("hs_recurring_billing_period", "Term", s, "productinformation"),
            PropertyDef("hs_product_type", "Product type", e, "productinformation",
                        options=_opts("inventory", "non_inventory", "service")),
        ],
        "line_items": [*_common(),
            PropertyDef("name", "Name", s, "lineiteminformation"),
            PropertyDef("description", "Description", s, "lineiteminformation", field_type="textarea"),
            PropertyDef("hs_product_id", "Product ID", n, "lineiteminformation"),
            PropertyDef("hs_sku", "SKU", s, "lineiteminformation"),
            PropertyDef("quantity", "Quantity", n, "lineiteminformation"),
            PropertyDef("price", "Unit price", n, "lineiteminformation", number_hint="currency"),
            PropertyDef("amount", "Net price", n, "lineiteminformation", number_hint="currency"),
            PropertyDef("discount", "Unit discount", n, "lineiteminformation", number_hint="currency"),
            PropertyDef("hs_discount_percentage", "Discount Percentage", n, "lineiteminformation",
                        number_hint="percentage"),
            PropertyDef("hs_line_item_currency_code", "Currency", e, "lineiteminformation", external_options=True),
            PropertyDef("hs_tax_rate_group_id", "Tax rate group", s, "lineiteminformation"),
            PropertyDef("hs_recurring_billing_period", "Term", s, "lineiteminformation"),
            PropertyDef("hs_position_on_quote", "Position on quote", n, "lineiteminformation"),
        ],
        "quotes": [*_common(),
            PropertyDef("hs_title", "Quote Name", s, "quoteinformation"),
            PropertyDef("hs_expiration_date", "Expiration Date", d, "quoteinformation"),
            PropertyDef("hs_status", "Quote approval status", e, "quoteinformation", options=QUOTE_STATUSES),
            PropertyDef("hs_quote_amount", "Quote Amount", n, "quoteinformation", number_hint="currency"),
            PropertyDef("hs_currency", "Currency", e, "quoteinformation", external_options=True),
            PropertyDef("hs_quote_number", "Quote Number", s, "quoteinformation"),
            PropertyDef("hs_language", "Language", s, "quoteinformation"),
            PropertyDef("hs_comments", "Comments", s, "quoteinformation", field_type="textarea"),
            PropertyDef("hs_terms", "Terms", s, "quoteinformation", field_type="textarea"),
            PropertyDef("hs_quote_link", "Quote link", s, "quoteinformation", read_only=True),
            PropertyDef("hs_pdf_download_link", "PDF download link", s, "quoteinformation", read_only=True),
            PropertyDef("hs_locked", "Locked", b, "quoteinformation", read_only=True,
                        options=(("true", "Yes"), ("false", "No"))),
        ],
        "invoices": [*_common(),
            PropertyDef("hs_currency", "Currency", e, "invoiceinformation", external_options=True),
            PropertyDef("hs_invoice_status", "Invoice status", e, "invoiceinformation",
                        options=_opts("draft", "open", "paid", "voided")),
            PropertyDef("hs_invoice_date", "Invoice date", dt, "invoiceinformation"),
            PropertyDef("hs_due_date", "Due date", dt, "invoiceinformation"),
            PropertyDef("hs_number", "Number", s, "invoiceinformation", read_only=True),
            PropertyDef("hs_tax_id", "Tax ID", s, "invoiceinformation"),
            PropertyDef("hs_amount_billed", "Amount billed", n, "invoiceinformation", number_hint="currency"),
            PropertyDef("hs_balance_due", "Balance due", n, "invoiceinformation", number_hint="currency"),
            PropertyDef("hs_purchase_order_number", "PO number", s, "invoiceinformation"),
            PropertyDef("hs_comments", "Comments", s, "invoiceinformation", field_type="textarea"),
        ],
        "notes": [*_common(),
            PropertyDef("hs_note_body", "Note body", s, "engagement", field_type="html"),
            PropertyDef("hs_timestamp", "Activity date", dt, "engagement"),
            PropertyDef("hs_attachment_ids", "Attachment IDs", s, "engagement"),
        ],
        "tasks": [*_common(),
            PropertyDef("hs_task_subject", "Task Title", s, "task"),
            PropertyDef("hs_task_body", "Notes", s, "task", field_type="html"),
            PropertyDef("hs_timestamp", "Due date", dt, "task"),
            PropertyDef("hs_task_status", "Task Status", e, "task",
                        options=_opts("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED")),
            PropertyDef("hs_task_priority", "Priority", e, "task", options=_opts("NONE", "LOW", "MEDIUM", "HIGH")),
            PropertyDef("hs_task_type", "Task Type", e, "task", options=_opts("TODO", "CALL", "EMAIL")),
        ],
    }


# Group names for the hubspot-defined groups; the common properties go to each type's main group.
DEFAULT_GROUPS = {
    "contacts": [("contactinformation", "Contact information")],
    "companies": [("companyinformation", "Company information")],
    "deals": [("dealinformation", "Deal information")],
    "products": [("productinformation", "Product information")],
    "line_items": [("lineiteminformation", "Line item information")],
    "quotes": [("quoteinformation", "Quote information")],
    "invoices": [("invoiceinformation", "Invoice information")],
    "notes": [("engagement", "Engagement")],
    "tasks": [("task", "Task information")],
}

# What a read without `properties=` returns, per object type (HubSpot's per-type default sets).
DEFAULT_READ = {
    "contacts": ("createdate", "email", "firstname", "lastname", "hs_object_id", "lastmodifieddate"),
    "companies": ("createdate", "domain", "name", "hs_lastmodifieddate", "hs_object_id"),
    "deals": ("amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id",
              "pipeline"),
    "products": ("createdate", "description", "hs_lastmodifieddate", "hs_object_id", "name", "price"),
    "line_items": ("createdate", "hs_lastmodifieddate", "hs_object_id", "hs_product_id", "name", "price", "quantity",
                   "amount"),
    "quotes": ("createdate", "hs_expiration_date", "hs_lastmodifieddate", "hs_object_id", "hs_title", "hs_status"),
    "invoices": ("createdate", "hs_lastmodifieddate", "hs_object_id", "hs_currency", "hs_invoice_status"),
    "notes": ("createdate", "hs_lastmodifieddate", "hs_object_id", "hs_timestamp"),
    "tasks": ("createdate", "hs_lastmodifieddate", "hs_object_id", "hs_timestamp", "hs_task_subject"),
}

MODIFIED_PROPERTY = {"contacts": "lastmodifieddate"}


def modified_property(object_type: str) -> str:
    return MODIFIED_PROPERTY.get(object_type, "hs_lastmodifieddate")


def default_property_sets() -> dict[str, dict[str, PropertyDef]]:
    out: dict[str, dict[str, PropertyDef]] = {}
    for object_type, defs in _defaults().items():
        main_group = DEFAULT_GROUPS[object_type][0][0]
        out[object_type] = {p.name: replace(p, group=p.group or main_group, display_order=i)
                            for i, p in enumerate(defs)}
    return out


# ---- value checks -------------------------------------------------------------------------------------------------

class InvalidValue(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_instant_ms(value: str) -> int | None:
    """Epoch ms for an ISO date/datetime or an ms string; None when it is neither."""
    text = value.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    try:
        if _ISO_DATE.match(text):
            return int(datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC).timestamp() * 1000)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


def iso_ms(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def coerce_input(value: Any) -> str | None:
    """HubSpot takes property values as strings but tolerates JSON numbers and booleans; None clears."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value
    raise InvalidValue("INVALID_TYPE", f"{value!r} is not a valid property value")


def normalize(prop: PropertyDef, raw: str, allowed_options: list[str] | None = None) -> str:
    """Check one value against its property type and return it as HubSpot stores it."""
    if raw == "":
        return raw
    if prop.type == "number":
        try:
            number = float(raw)
        except ValueError:
            raise InvalidValue("INVALID_DECIMAL", f"{raw} was not a valid number.") from None
        if math.isnan(number) or math.isinf(number):
            raise InvalidValue("INVALID_DECIMAL", f"{raw} was not a valid number.")
        return raw.strip()
    if prop.type == "bool":
        if raw.lower() not in ("true", "false"):
            raise InvalidValue("INVALID_BOOLEAN", f"{raw} was not a valid boolean.")
        return raw.lower()
    if prop.type in ("date", "datetime"):
        ms = parse_instant_ms(raw)
        if ms is None:
            raise InvalidValue("INVALID_DATE", f"{raw} was not a valid {prop.type}.")
        if prop.type == "date":
            if ms % 86_400_000:
                raise InvalidValue("INVALID_DATE", f"{raw} is not at midnight UTC; date properties take a date only.")
            return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d")
        return iso_ms(ms)
    if prop.type == "enumeration":
        options = allowed_options if allowed_options is not None else [v for v, _ in prop.options]
        if prop.external_options and allowed_options is None:
            return raw
        chosen = raw.split(";") if prop.field_type == "checkbox" else [raw]
        for item in chosen:
            if item not in options:
                raise InvalidValue("INVALID_OPTION",
                                   f"{item!r} was not one of the allowed options: {sorted(options)}")
        return raw
    return raw
