"""Runtime settings, parsed once from the function's environment (set by template.yaml)."""

import os
from functools import lru_cache

from pydantic import ConfigDict, Field, HttpUrl, ValidationError

from hubbooks.domain.errors import ConfigurationError
from hubbooks.models.base import Model


class Settings(Model):
    # URL defaults are built when the settings are first read, not at import: constructing an HttpUrl builds a
    # validator (and scans for pydantic plugins), which every cold start would otherwise pay before any request.
    model_config = ConfigDict(frozen=True, extra="ignore")

    stage: str = "dev"
    app_table_name: str
    idempotency_table_name: str
    token_key_id: str
    hubspot_app_secret_arn: str
    qbo_app_secret_arn: str
    hubspot_app_id: str = ""
    hubspot_client_id: str = ""
    qbo_client_id: str = ""
    allow_qbo_sandbox_companies: bool = False
    public_base_url: HttpUrl
    hubspot_api_base_url: HttpUrl = Field(default_factory=lambda: HttpUrl("https://api.hubapi.com"))
    hubspot_authorize_url: HttpUrl = Field(default_factory=lambda: HttpUrl("https://app.hubspot.com/oauth/authorize"))
    qbo_api_base_url: HttpUrl = Field(default_factory=lambda: HttpUrl("https://quickbooks.api.intuit.com"))
    qbo_authorize_url: HttpUrl = Field(default_factory=lambda: HttpUrl("https://appcenter.intuit.com/connect/oauth2"))
    qbo_token_url: HttpUrl = Field(default_factory=lambda: HttpUrl("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"))
    qbo_revoke_url: HttpUrl = Field(default_factory=lambda: HttpUrl("https://developer.api.intuit.com/v2/oauth2/tokens/revoke"))
    webhook_queue_url: str | None = None
    sync_queue_url: str | None = None
    webhook_dead_letter_queue_url: str | None = None
    sync_dead_letter_queue_url: str | None = None
    signature_max_age_seconds: int = Field(default=300, ge=1)
    # Sandbox only (set by sandbox/gateway, never by template.yaml): the simulators' clock endpoint, which the
    # product's business "now" follows so a demo can move time forward. Signatures and tokens keep the real clock.
    sandbox_clock_url: HttpUrl | None = None

    def public_url(self, path: str) -> str:
        return str(self.public_base_url).rstrip("/") + "/" + path.lstrip("/")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    raw = {key.lower(): value for key, value in os.environ.items()}
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        problems = ", ".join(f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors())
        raise ConfigurationError(f"HubBooks is misconfigured ({problems}); check the function environment") from exc
