"""Entity kinds the simulator serves; each module builds and validates one family of QBO objects."""

from sandbox.qbo.entities.base import KINDS, EntityKind, kind_by_name, kind_by_url

__all__ = ["KINDS", "EntityKind", "kind_by_name", "kind_by_url"]

# Importing the modules registers their kinds.
from sandbox.qbo.entities import names, payment, purchases, sales, settings  # noqa: F401
