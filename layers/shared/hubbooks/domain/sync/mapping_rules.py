"""Whether a field mapping can work: the HubSpot property exists and is writable, the types convert, and every
QuickBooks option value has a HubSpot option. Refusals name the problem so the admin knows what to change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from hubbooks.domain.sync.errors import MappingProblem, MappingRejectedError
from hubbooks.domain.sync.qbo_fields import CUSTOM_FIELD_PREFIX, QboField, find_field
from hubbooks.models.sync import FieldKind, FieldMapping, FieldOwner, HubSpotField, SyncObject

# Which HubSpot property types each kind of QuickBooks value converts into without losing meaning.
COMPATIBLE: dict[FieldKind, frozenset[str]] = {
    FieldKind.TEXT: frozenset({"string", "phone_number", "enumeration"}),
    FieldKind.EMAIL: frozenset({"string"}),
    FieldKind.URL: frozenset({"string"}),
    FieldKind.PHONE: frozenset({"string", "phone_number"}),
    FieldKind.NUMBER: frozenset({"number", "string"}),
    FieldKind.MONEY: frozenset({"number", "string"}),
    FieldKind.DATE: frozenset({"date", "datetime", "string"}),
    FieldKind.BOOLEAN: frozenset({"bool", "string", "enumeration"}),
    FieldKind.ENUM: frozenset({"enumeration", "string"}),
}
_TYPE_WORDS = {"string": "text", "phone_number": "phone number", "enumeration": "option list", "number": "number",
               "date": "date", "datetime": "date and time", "bool": "yes/no"}


def _option_problems(mapping: FieldMapping, field: QboField, prop: HubSpotField) -> list[MappingProblem]:
    if prop.type != "enumeration":
        return []
    problems = [MappingProblem("value_map_target_not_an_option", "transform.value_map",
                               f"the value map sends '{source}' to '{target}', which is not an option of the "
                               f"HubSpot property {prop.label} ({', '.join(prop.options) or 'no options'})")
                for source, target in mapping.transform.value_map.items() if target not in prop.options]
    if field.kind is FieldKind.BOOLEAN:
        values: Sequence[str] = (mapping.transform.true_value or "true", mapping.transform.false_value or "false")
    else:
        values = field.options
    for value in values:
        target = mapping.transform.value_map.get(value, value)
        if target not in prop.options and value not in mapping.transform.value_map:
            problems.append(MappingProblem(
                "enum_value_without_option", "transform.value_map",
                f"QuickBooks value '{value}' of {field.label} has no option in the HubSpot property {prop.label}; "
                f"map it to one of: {', '.join(prop.options) or '(the property has no options)'}"))
    return problems


def mapping_problems(sync_object: SyncObject, mapping: FieldMapping, properties: Mapping[str, HubSpotField],
                     custom_fields: Iterable[QboField] = (),
                     others: Iterable[FieldMapping] = ()) -> list[MappingProblem]:
    """Everything wrong with one mapping, given the portal's properties of the object's type; [] when it can work.

    `others` are the object's other mappings: two mappings may not write the same HubSpot property."""
    problems: list[MappingProblem] = []
    prop = properties.get(mapping.hubspot_property)
    field = find_field(sync_object, mapping.qbo_field, custom_fields)
    if prop is None:
        problems.append(MappingProblem(
            "property_missing", "hubspot_property",
            f"HubSpot has no {sync_object.hubspot_type} property named '{mapping.hubspot_property}' (it may have "
            "been deleted); pick an existing property or create it in HubSpot first"))
    elif prop.calculated or prop.field_type == "calculation_equation":
        problems.append(MappingProblem("property_calculated", "hubspot_property",
                                       f"HubSpot calculates {prop.label} ({prop.name}) itself; pick a property "
                                       "you can write"))
    elif prop.read_only:
        problems.append(MappingProblem("property_read_only", "hubspot_property",
                                       f"{prop.label} ({prop.name}) is read-only in HubSpot; pick a property you "
                                       "can write"))
    if field is None:
        problems.append(MappingProblem(
            "field_missing", "qbo_field",
            f"QuickBooks {sync_object.qbo_entity} has no field '{mapping.qbo_field}'; pick one from the field "
            "catalogue"))
    if any(other.id != mapping.id and other.hubspot_property == mapping.hubspot_property for other in others):
        problems.append(MappingProblem("property_already_mapped", "hubspot_property",
                                       f"another mapping already writes {mapping.hubspot_property}; edit that one "
                                       "instead"))
    if prop is None or field is None or problems:
        return problems
    if prop.type not in COMPATIBLE[field.kind]:
        accepted = ", ".join(sorted(_TYPE_WORDS.get(t, t) for t in COMPATIBLE[field.kind]))
        problems.append(MappingProblem(
            "types_incompatible", "hubspot_property",
            f"QuickBooks {field.label} ({field.kind.value}) cannot become HubSpot {prop.label} "
            f"({_TYPE_WORDS.get(prop.type, prop.type)}); it can feed these property types: {accepted}"))
        return problems
    return problems + _option_problems(mapping, field, prop) + _owner_problems(mapping, field, prop)


def _owner_problems(mapping: FieldMapping, field: QboField, prop: HubSpotField) -> list[MappingProblem]:
    """A field HubSpot may own (alone, or when its change is the latest) must convert back into QuickBooks."""
    if mapping.owner is FieldOwner.QUICKBOOKS:
        return []

    def problem(why: str) -> list[MappingProblem]:
        return [MappingProblem("owner_not_possible", "owner", f"{why}; set the owner to quickbooks")]

    if field.calculated:
        return problem(f"QuickBooks calculates {field.label} itself, so HubSpot cannot change it")
    if field.path.startswith(CUSTOM_FIELD_PREFIX):
        return problem(f"{field.label} is a QuickBooks custom field, which HubBooks only reads")
    if field.kind in (FieldKind.NUMBER, FieldKind.MONEY) and prop.type != "number":
        return problem(f"QuickBooks {field.label} needs a number, and HubSpot {prop.label} is not a number property")
    reverse: dict[str, str] = {}
    for source, target in mapping.transform.value_map.items():
        if target in reverse:
            return problem(f"the value map sends both '{reverse[target]}' and '{source}' to '{target}', so a HubSpot "
                           "value could not be turned back into one QuickBooks value")
        reverse[target] = source
    return []


def check_mapping(sync_object: SyncObject, mapping: FieldMapping, properties: Mapping[str, HubSpotField],
                  custom_fields: Iterable[QboField] = (), others: Iterable[FieldMapping] = ()) -> None:
    problems = mapping_problems(sync_object, mapping, properties, custom_fields, others)
    if problems:
        raise MappingRejectedError(problems)
