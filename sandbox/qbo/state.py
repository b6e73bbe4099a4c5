"""Everything the simulator remembers, behind one re-entrant lock because werkzeug serves requests in threads."""

from __future__ import annotations

import secrets
import threading
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.qbo.company import Company
from sandbox.qbo.seed import seed_company
from sandbox.qbo.timefmt import zone_for
from sandbox.simkit.clock import SimClock
from sandbox.simkit.faults import FaultInjector
from sandbox.simkit.ratelimit import ConcurrencyLimiter, SlidingWindowLimiter
from sandbox.simkit.stats import RequestStats

ACCESS_TOKEN_SECONDS = 3600
REFRESH_ROLLING_SECONDS = 8_726_400  # the x_refresh_token_expires_in Intuit reports (about 101 days)
REFRESH_HARD_CAP_SECONDS = 5 * 365 * 86_400
WEBHOOK_RETRY_DELAYS = [10.0, 20.0, 30.0, 300.0, 1200.0, 7200.0, 14400.0, 21600.0]


@dataclass
class SimConfig:
    """Knobs for behaviour the docs leave open ([U] in api-facts) or that tests need to shrink."""

    token_rotation: str = "every"  # "every": new refresh token value per refresh; "daily": at most once per 24 h
    old_refresh_token: str = "grace"  # "grace": a superseded refresh token still works; "strict": invalid_grant
    grace_seconds: float = 86_400.0
    code_ttl_seconds: float = 300.0
    rate_limit_per_minute: int = 500  # per realm (api-facts Q9)
    # Intuit: 10 requests/s per realm + app (api-facts Q9: production always, sandbox from 2025-09-15); 0 = off.
    rate_limit_per_second: int = 10
    concurrency_limit: int = 10
    batch_limit_per_minute_app: int = 40  # batch requests per realm + app (api-facts Q5/Q9)
    batch_limit_per_minute: int = 120  # batch requests per realm, all apps (api-facts Q5/Q9)
    throttle_retry_after: bool = False
    webhook_timeout_seconds: float = 3.0
    webhook_retry_delays: list[float] = field(default_factory=lambda: list(WEBHOOK_RETRY_DELAYS))
    # Intuit keeps retrying every 6 h after the listed delays (api-facts Q11): the last delay repeats. 0 = no cap;
    # a positive number gives up (state "failed") after that many attempts in all.
    webhook_max_attempts: int = 0
    sandbox_email_cap_per_day: int = 40
    # How far a line's Amount may be from Qty x UnitPrice (both rounded half-up to cents) before fault 6070. Intuit
    # documents no tolerance, so none by default; a decimal string such as "0.01" loosens it.
    line_amount_tolerance: str = "0"

    def update(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if not hasattr(self, key):
                raise KeyError(key)
            current = getattr(self, key)
            if key == "token_rotation" and value not in ("every", "daily"):
                raise ValueError("token_rotation must be 'every' or 'daily'")
            if key == "old_refresh_token" and value not in ("grace", "strict"):
                raise ValueError("old_refresh_token must be 'grace' or 'strict'")
            if key == "line_amount_tolerance":
                try:
                    tolerance = Decimal(str(value))
                except InvalidOperation as exc:
                    raise ValueError("line_amount_tolerance must be a decimal number such as \"0.01\"") from exc
                if not tolerance.is_finite() or tolerance < 0:
                    raise ValueError("line_amount_tolerance must be a non-negative decimal number")
                value = str(tolerance)
            elif isinstance(current, list):
                value = [float(v) for v in value]
            elif isinstance(current, bool):
                value = bool(value)
            elif isinstance(current, (int, float)):
                value = type(current)(value)
            setattr(self, key, value)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def line_amount_tolerance_decimal(self) -> Decimal:
        return Decimal(self.line_amount_tolerance)


@dataclass
class App:
    client_id: str
    client_secret: str
    verifier_token: str
    redirect_uris: list[str]
    webhook_url: str | None = None
    webhook_format: str = "cloudevents"
    webhook_content_type: str | None = None
    name: str = "Sandbox app"

    def public(self) -> dict[str, Any]:
        return {"client_id": self.client_id, "client_secret": self.client_secret,
                "verifier_token": self.verifier_token, "redirect_uris": self.redirect_uris,
                "webhook_url": self.webhook_url, "webhook_format": self.webhook_format,
                "webhook_content_type": self.content_type, "name": self.name}

    @property
    def content_type(self) -> str:
        if self.webhook_content_type:
            return self.webhook_content_type
        return "application/cloudevents+json" if self.webhook_format == "cloudevents" else "application/json"


@dataclass
class AuthCode:
    client_id: str
    redirect_uri: str
    realm_id: str | None
    scopes: list[str]
    expires_at: float
    used: bool = False


@dataclass
class Grant:
    """One consent: an app connected to one company (or to no company, for OpenID-only scopes)."""

    grant_id: str
    client_id: str
    realm_id: str | None
    scopes: list[str]
    created_at: float
    hard_expires_at: float
    current_refresh_token: str = ""
    revoked: bool = False


@dataclass
class RefreshToken:
    grant_id: str
    issued_at: float
    expires_at: float
    superseded_at: float | None = None


@dataclass
class AccessToken:
    grant_id: str
    expires_at: float


class SimState:
    def __init__(self, clock: SimClock | None = None) -> None:
        self.lock = threading.RLock()
        self.clock = clock or SimClock()
        self.config = SimConfig()
        self.faults = FaultInjector()
        self.stats = RequestStats()
        self._build_limiters()
        self.apps: dict[str, App] = {}
        self.companies: dict[str, Company] = {}
        self.codes: dict[str, AuthCode] = {}
        self.grants: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.access_tokens: dict[str, AccessToken] = {}
        self._next_realm = 9341450000000001
        # The webhook dispatcher attaches itself here; entity writes call `emit`.
        self.webhooks: Any = None

    def apply_config(self, values: dict[str, Any]) -> None:
        with self.lock:
            self.config.update(values)
            self._build_limiters()

    def _build_limiters(self) -> None:
        self.rate_limiter = SlidingWindowLimiter(self.config.rate_limit_per_minute, 60.0, self.clock)
        self.second_limiter = SlidingWindowLimiter(max(self.config.rate_limit_per_second, 0), 1.0, self.clock)
        self.batch_app_limiter = SlidingWindowLimiter(self.config.batch_limit_per_minute_app, 60.0, self.clock)
        self.batch_realm_limiter = SlidingWindowLimiter(self.config.batch_limit_per_minute, 60.0, self.clock)
        self.concurrency = ConcurrencyLimiter(self.config.concurrency_limit)

    # -- apps and companies ---------------------------------------------------------------------------------------
    def create_app(self, redirect_uris: list[str], webhook_url: str | None = None,
                   webhook_format: str = "cloudevents", name: str = "Sandbox app",
                   webhook_content_type: str | None = None) -> App:
        if webhook_format not in ("legacy", "cloudevents"):
            raise ValueError("webhook_format must be 'legacy' or 'cloudevents'")
        app = App(client_id="AB" + secrets.token_urlsafe(33).replace("-", "x").replace("_", "y")[:48],
                  client_secret=secrets.token_urlsafe(30).replace("-", "x").replace("_", "y")[:40],
                  verifier_token=secrets.token_hex(18), redirect_uris=list(redirect_uris),
                  webhook_url=webhook_url, webhook_format=webhook_format, name=name,
                  webhook_content_type=webhook_content_type)
        with self.lock:
            self.apps[app.client_id] = app
        return app

    def create_company(self, name: str, country: str = "US", home_currency: str | None = None,
                       multicurrency: bool = False, custom_txn_numbers: bool = False, sandbox: bool = False,
                       realm_id: str | None = None) -> Company:
        country = country.upper()
        home = (home_currency or {"US": "USD", "GB": "GBP", "CA": "CAD", "AU": "AUD"}.get(country, "USD")).upper()
        with self.lock:
            if realm_id is None:
                realm_id = str(self._next_realm)
                self._next_realm += 1
            if realm_id in self.companies:
                raise ValueError(f"realm {realm_id} already exists")
            now = self.clock.now()
            company = Company(realm_id=realm_id, name=name, sandbox=sandbox, zone=zone_for(country), created_at=now)
            seed_company(company, country=country, home_currency=home, multicurrency=multicurrency,
                         custom_txn_numbers=custom_txn_numbers, now=now)
            self.companies[realm_id] = company
        return company

    def connected_apps(self, realm_id: str) -> list[App]:
        """Apps holding a live refresh token for the realm: only those receive its webhooks."""
        now = self.clock.now()
        with self.lock:
            live = {grant.client_id for grant in self.grants.values()
                    if grant.realm_id == realm_id and not grant.revoked and grant.hard_expires_at > now
                    and self._grant_has_live_refresh(grant, now)}
            return [self.apps[client_id] for client_id in sorted(live) if client_id in self.apps]

    def _grant_has_live_refresh(self, grant: Grant, now: float) -> bool:
        record = self.refresh_tokens.get(grant.current_refresh_token)
        return record is not None and record.expires_at > now

    def emit(self, realm_id: str, entity: str, entity_id: str, operation: str, deleted_id: str | None = None) -> None:
        if self.webhooks is not None:
            self.webhooks.enqueue(realm_id, entity, entity_id, operation, deleted_id)

    def reset(self) -> None:
        with self.lock:
            self.apps.clear()
            self.companies.clear()
            self.codes.clear()
            self.grants.clear()
            self.refresh_tokens.clear()
            self.access_tokens.clear()
            self.faults.clear()
            self.stats.reset()
            self.config = SimConfig()
            self.apply_config({})
            if self.webhooks is not None:
                self.webhooks.clear()
