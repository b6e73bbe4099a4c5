"""The apps' client secrets, read from Secrets Manager through Powertools Parameters (cached for 5 minutes)."""

from typing import Any

from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parameters.base import DEFAULT_PROVIDERS
from pydantic import ValidationError

from hubbooks.adapters.aws.clients import aws_client
from hubbooks.config import get_settings
from hubbooks.domain.errors import ConfigurationError
from hubbooks.models.base import Model

_MAX_AGE_SECONDS = 300


class HubSpotAppCredentials(Model):
    client_secret: str


class QboAppCredentials(Model):
    client_secret: str
    webhook_verifier_token: str = ""


def _secrets_provider() -> parameters.SecretsProvider:
    """Powertools' shared provider, so its 5-minute cache survives between calls (parameters.clear_caches() empties
    it); built on our client for its timeouts and retries."""
    if "secrets" not in DEFAULT_PROVIDERS:
        DEFAULT_PROVIDERS["secrets"] = parameters.SecretsProvider(boto3_client=aws_client("secretsmanager"))
    provider: parameters.SecretsProvider = DEFAULT_PROVIDERS["secrets"]
    return provider


def _read_secret(arn: str, label: str) -> dict[str, Any]:
    value = _secrets_provider().get(arn, transform="json", max_age=_MAX_AGE_SECONDS)
    if not isinstance(value, dict):
        raise ConfigurationError(f"the {label} secret must be a JSON object")
    return value


def hubspot_app_credentials() -> HubSpotAppCredentials:
    raw = _read_secret(get_settings().hubspot_app_secret_arn, "HubSpot app")
    try:
        credentials = HubSpotAppCredentials.model_validate(raw)
    except ValidationError as exc:
        raise ConfigurationError('the HubSpot app secret must be JSON {"client_secret": "..."}') from exc
    if not credentials.client_secret:
        raise ConfigurationError("the HubSpot app secret has no client_secret yet; put it in Secrets Manager")
    return credentials


def qbo_app_credentials() -> QboAppCredentials:
    raw = _read_secret(get_settings().qbo_app_secret_arn, "QuickBooks app")
    try:
        credentials = QboAppCredentials.model_validate(raw)
    except ValidationError as exc:
        raise ConfigurationError('the QuickBooks app secret must be JSON {"client_secret": "...", '
                                 '"webhook_verifier_token": "..."}') from exc
    if not credentials.client_secret:
        raise ConfigurationError("the QuickBooks app secret has no client_secret yet; put it in Secrets Manager")
    return credentials
