"""The apps' secrets are read from Secrets Manager once per five minutes, not on every request (a warm card request
used to read them three times)."""

from __future__ import annotations

from typing import Any

from hubbooks.adapters.aws.app_secrets import hubspot_app_credentials, qbo_app_credentials
from hubbooks.adapters.aws.clients import aws_client
from sandbox.aws.provision import ProvisionedStack
from tests.support import HUBSPOT_CLIENT_SECRET, QBO_CLIENT_SECRET


def test_warm_reads_come_from_the_cache(aws: ProvisionedStack) -> None:
    reads: list[str] = []

    def count(**kwargs: Any) -> None:
        reads.append(kwargs["params"]["SecretId"])

    aws_client("secretsmanager").meta.events.register("provide-client-params.secrets-manager.GetSecretValue", count)
    for _ in range(3):
        assert hubspot_app_credentials().client_secret == HUBSPOT_CLIENT_SECRET
        assert qbo_app_credentials().client_secret == QBO_CLIENT_SECRET
    assert sorted(reads) == sorted([aws.secrets["HubSpotAppSecret"], aws.secrets["QboAppSecret"]])
