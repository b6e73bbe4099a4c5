"""All simulator state: apps, portals, OAuth grants and each portal's CRM records, behind one lock."""

from __future__ import annotations

import itertools
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from sandbox.hubspot.propdefs import DEFAULT_GROUPS, PropertyDef, default_property_sets


@dataclass
class App:
    app_id: int
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    webhook_url: str | None = None
    # None subscribes to every CRM event; otherwise subscription types such as "deal.propertyChange".
    subscriptions: list[dict[str, Any]] | None = None
    name: str = "Sandbox app"

    def to_json(self) -> dict[str, object]:
        return {"app_id": self.app_id, "client_id": self.client_id, "client_secret": self.client_secret,
                "redirect_uris": self.redirect_uris, "webhook_url": self.webhook_url,
                "subscriptions": self.subscriptions, "name": self.name}


@dataclass
class User:
    """A HubSpot user and the owner HubSpot keeps for them (owners API): records and tasks are assigned to the
    owner id, while signed requests name the user id."""

    user_id: int
    email: str
    owner_id: str = ""
    first_name: str = ""
    last_name: str = ""
    archived: bool = False  # a deactivated user: the owner stays, archived, without its userId
    created_ms: int = 0
    updated_ms: int = 0


@dataclass
class CrmObject:
    id: str
    object_type: str
    properties: dict[str, str]
    created_ms: int
    updated_ms: int
    history: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    archived: bool = False
    archived_ms: int | None = None


@dataclass
class PropertyGroup:
    name: str
    label: str
    display_order: int = -1
    archived: bool = False

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "label": self.label, "displayOrder": self.display_order, "archived": self.archived}


@dataclass
class Portal:
    portal_id: int
    company_currency: str
    additional_currencies: list[str]
    time_zone: str
    ui_domain: str
    data_hosting_location: str
    created_ms: int
    users: list[User]
    properties: dict[str, dict[str, PropertyDef]]
    groups: dict[str, dict[str, PropertyGroup]]
    objects: dict[str, dict[str, CrmObject]] = field(default_factory=dict)
    # (from_type, from_id, to_type) -> {to_id: {type_id, ...}}; both directions are stored.
    associations: dict[tuple[str, str, str], dict[str, set[int]]] = field(default_factory=dict)

    @property
    def currencies(self) -> list[str]:
        return [self.company_currency, *[c for c in self.additional_currencies if c != self.company_currency]]


@dataclass
class AuthCode:
    code: str
    app_id: int
    portal_id: int
    user_id: int
    redirect_uri: str
    scopes: list[str]
    expires_at: float
    used: bool = False


@dataclass
class AccessToken:
    token: str
    portal_id: int
    user_id: int
    scopes: list[str] | None  # None: a static sandbox token with every scope
    app_id: int | None
    expires_at: float | None  # None: never expires
    revoked: bool = False


@dataclass
class RefreshToken:
    token: str
    app_id: int
    portal_id: int
    user_id: int
    scopes: list[str]
    revoked: bool = False


class State:
    """Plain containers plus id allocation; callers take `lock` around any read-modify-write."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.apps: dict[int, App] = {}
        self.portals: dict[int, Portal] = {}
        self.codes: dict[str, AuthCode] = {}
        self.access_tokens: dict[str, AccessToken] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.installs: dict[tuple[int, int], str] = {}  # (app_id, portal_id) -> current refresh token
        self.rotate_refresh_tokens = False
        self._app_ids = itertools.count(1_000_001)
        self._portal_ids = itertools.count(90_000_001)
        self._user_ids = itertools.count(7_000_001)
        self._owner_ids = itertools.count(80_000_001)
        self._object_ids = itertools.count(10_001)

    def add_app(self, redirect_uris: list[str], webhook_url: str | None,
                subscriptions: list[dict[str, Any]] | None, name: str) -> App:
        with self.lock:
            app = App(app_id=next(self._app_ids), client_id=str(uuid.uuid4()), client_secret=str(uuid.uuid4()),
                      redirect_uris=redirect_uris, webhook_url=webhook_url, subscriptions=subscriptions, name=name)
            self.apps[app.app_id] = app
            return app

    def app_by_client_id(self, client_id: str) -> App | None:
        with self.lock:
            return next((a for a in self.apps.values() if a.client_id == client_id), None)

    def add_portal(self, company_currency: str, additional_currencies: list[str], time_zone: str,
                   ui_domain: str, data_hosting_location: str, created_ms: int) -> Portal:
        with self.lock:
            portal_id = next(self._portal_ids)
            user = self._user(next(self._user_ids), f"admin@portal{portal_id}.example.com", "Portal", "Admin",
                              created_ms)
            groups = {t: {name: PropertyGroup(name, label, 0) for name, label in DEFAULT_GROUPS[t]}
                      for t in DEFAULT_GROUPS}
            portal = Portal(portal_id=portal_id, company_currency=company_currency,
                            additional_currencies=additional_currencies, time_zone=time_zone, ui_domain=ui_domain,
                            data_hosting_location=data_hosting_location, created_ms=created_ms, users=[user],
                            properties=default_property_sets(), groups=groups)
            self.portals[portal_id] = portal
            return portal

    def next_object_id(self) -> str:
        with self.lock:
            return str(next(self._object_ids))

    def _user(self, user_id: int, email: str, first_name: str, last_name: str, created_ms: int) -> User:
        return User(user_id, email, owner_id=str(next(self._owner_ids)), first_name=first_name, last_name=last_name,
                    created_ms=created_ms, updated_ms=created_ms)

    def new_user(self, portal: Portal, email: str | None = None, first_name: str = "", last_name: str = "",
                 created_ms: int | None = None) -> User:
        with self.lock:
            user_id = next(self._user_ids)
            user = self._user(user_id, email or f"user{user_id}@portal{portal.portal_id}.example.com",
                              first_name or "User", last_name or str(user_id),
                              portal.created_ms if created_ms is None else created_ms)
            portal.users.append(user)
            return user

    @staticmethod
    def opaque_token(prefix: str = "") -> str:
        # Real access tokens are long opaque strings (up to ~300 chars); keep ours comfortably long.
        return prefix + secrets.token_urlsafe(96)
