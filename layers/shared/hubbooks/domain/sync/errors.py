"""Errors of the sync settings and engine; the API answers each with its status and code (api/errors.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from hubbooks.domain.errors import ConflictError, HubBooksError, NotFoundError


@dataclass(frozen=True)
class MappingProblem:
    code: str  # stable: property_missing, property_read_only, property_calculated, field_missing, ...
    field: str  # the request field to fix: hubspot_property, qbo_field, transform.value_map, ...
    message: str


class MappingRejectedError(HubBooksError):
    status_code = 422
    code = "mapping_rejected"

    def __init__(self, problems: Sequence[MappingProblem]) -> None:
        super().__init__("The mapping cannot be saved: " + "; ".join(p.message for p in problems),
                         details={"problems": [asdict(p) for p in problems]})
        self.problems = tuple(problems)


class SyncSettingsRejectedError(HubBooksError):
    status_code = 422
    code = "sync_settings_rejected"


class MappingNotFoundError(HubBooksError):
    status_code = 404
    code = "mapping_not_found"


class SyncConfigChangedError(HubBooksError):
    """Someone else saved this object's settings since they were read; read again and retry."""

    status_code = 409
    code = "sync_settings_changed"


class AdminOnlyError(HubBooksError):
    status_code = 403
    code = "admin_only"


class TwoWayOffError(ConflictError):
    """An answer for two-way sync's decision arrived while two-way sync is off for the object."""

    code = "two_way_off"


class DecidedRecordGoneError(NotFoundError):
    """The record a decision is about, or the one picked, was deleted meanwhile."""

    code = "record_gone"


class PickedRecordTakenError(ConflictError):
    """The record picked in a decision was linked to another record meanwhile (one link per QuickBooks record)."""

    code = "record_taken"
