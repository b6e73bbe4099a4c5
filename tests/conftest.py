"""Test-wide setup. The environment is fixed before anything builds a boto3 client (see architecture.md §5)."""

from __future__ import annotations

import os

os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.update(
    AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
    AWS_SECURITY_TOKEN="testing", AWS_SESSION_TOKEN="testing",
    POWERTOOLS_SERVICE_NAME="hubbooks", POWERTOOLS_METRICS_NAMESPACE="HubBooks", POWERTOOLS_TRACE_DISABLED="true",
    POWERTOOLS_LOG_LEVEL="WARNING",
)
import moto  # noqa: F401 - before anything that builds a boto3 client
import pytest
from aws_lambda_powertools.utilities import parameters

from hubbooks.adapters.aws import idempotency
from hubbooks.adapters.aws.clients import reset_clients
from hubbooks.adapters.hubspot.factory import WARM_HUBSPOT_GRANTS
from hubbooks.adapters.hubspot.rate_budget import shared_budget, sync_budget
from hubbooks.adapters.qbo.factory import WARM_QBO_GRANTS
from hubbooks.adapters.storage.currency_cache import forget_remembered_currencies
from hubbooks.config import get_settings
from hubbooks.observability import metrics


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Caches must not leak between tests: settings, secrets, boto3 clients, rate windows and buffered metrics."""
    _clear()
    yield
    _clear()
    metrics.clear_metrics()


def _clear() -> None:
    WARM_QBO_GRANTS.clear()
    WARM_HUBSPOT_GRANTS.clear()
    shared_budget().forget()  # portal ids repeat across tests' simulators; their HubSpot windows must not
    sync_budget().forget()
    forget_remembered_currencies()
    get_settings.cache_clear()
    parameters.clear_caches()
    reset_clients()
    idempotency.reset()
