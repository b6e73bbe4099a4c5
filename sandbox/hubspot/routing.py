"""Route records and the per-request context handed to every API handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from sandbox.hubspot.errors import HubSpotError

if TYPE_CHECKING:
    from sandbox.hubspot.app import Simulator
    from sandbox.hubspot.state import AccessToken, Portal

Handler = Callable[..., Response]

# URL prefixes per API family; the key is the version label handlers use to pick a response shape.
OBJECT_PREFIXES = {"v3": "/crm/v3/objects", "2026-03": "/crm/objects/2026-03", "2026-09": "/crm/objects/2026-09"}
ASSOC_OBJECT_PREFIXES = {"v4": "/crm/v4/objects", "2026-03": "/crm/objects/2026-03",
                         "2026-09": "/crm/objects/2026-09"}
ASSOC_PREFIXES = {"v4": "/crm/v4/associations", "2026-03": "/crm/associations/2026-03",
                  "2026-09": "/crm/associations/2026-09"}
OWNERS_PREFIXES = {"v3": "/crm/v3/owners", "2026-03": "/crm/owners/2026-03"}
PROPERTY_PREFIXES = {"v3": "/crm/v3/properties", "2026-03": "/crm/properties/2026-03",
                     "2026-09": "/crm/properties/2026-09"}


@dataclass(frozen=True)
class Route:
    path: str
    methods: tuple[str, ...]
    handler: Handler
    auth: bool = True
    kind: str = "api"  # api | search | oauth | control
    defaults: dict[str, Any] = field(default_factory=dict)


@dataclass
class Ctx:
    sim: Simulator
    request: Request
    token: AccessToken | None = None
    portal: Portal | None = None

    def need_portal(self) -> Portal:
        if self.portal is None:
            raise HubSpotError(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.")
        return self.portal

    def require_scope(self, scope_stem: str | None, write: bool) -> None:
        """Enforce crm.objects.<type>.read/write for OAuth tokens; static sandbox tokens carry every scope."""
        if scope_stem is None or self.token is None or self.token.scopes is None:
            return
        needed = f"{scope_stem}.{'write' if write else 'read'}"
        granted = set(self.token.scopes)
        if needed in granted or (write is False and f"{scope_stem}.write" in granted):
            return
        if scope_stem in ("crm.objects.products", "crm.objects.line_items") and "e-commerce" in granted:
            return
        raise HubSpotError(403, "MISSING_SCOPES",
                           "This app hasn't been granted all required scopes to make this call. "
                           "Read more about required scopes here: https://developers.hubspot.com/scopes.",
                           errors=[{"message": "One or more of the following scopes are required.",
                                    "context": {"requiredGranularScopes": [needed]}}],
                           context={"requiredGranularScopes": [needed]})

    def query_list(self, name: str) -> list[str]:
        """A list query parameter, given repeated or comma separated (HubSpot takes both)."""
        out: list[str] = []
        for raw in self.request.args.getlist(name):
            out.extend(v.strip() for v in raw.split(",") if v.strip())
        return out

    def query_bool(self, name: str, default: bool = False) -> bool:
        raw = self.request.args.get(name)
        return default if raw is None else raw.lower() == "true"

    def query_int(self, name: str, default: int, maximum: int | None = None) -> int:
        raw = self.request.args.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise HubSpotError(400, "VALIDATION_ERROR", f"{name} must be an integer") from None
        if value < 1 or (maximum is not None and value > maximum):
            raise HubSpotError(400, "VALIDATION_ERROR", f"{name} must be between 1 and {maximum}")
        return value
