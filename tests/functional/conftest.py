"""Functional tier: handlers called in-process, AWS under moto, resources created from template.yaml itself."""

from __future__ import annotations

import json

import pytest
from moto import mock_aws

from sandbox.aws.provision import ProvisionedStack, provision
from sandbox.cfn_template import load_template, parameter_defaults, resources_of_type
from tests.support import HUBSPOT_APP_ID, HUBSPOT_CLIENT_SECRET, QBO_CLIENT_SECRET, QBO_VERIFIER_TOKEN

TEST_PARAMETERS = {
    "HubSpotAppId": HUBSPOT_APP_ID,
    "HubSpotClientId": "test-hubspot-client-id",
    "QboClientId": "test-qbo-client-id",
    "PublicBaseUrl": "https://api.hubbooks.test",
    "HubSpotApiBaseUrl": "https://hubspot.simulator.test",
    "HubSpotAuthorizeUrl": "https://hubspot.simulator.test/oauth/authorize",
    "QboApiBaseUrl": "https://qbo.simulator.test",
    "QboAuthorizeUrl": "https://qbo.simulator.test/connect/oauth2",
    "QboTokenUrl": "https://qbo.simulator.test/oauth2/v1/tokens/bearer",
    "QboRevokeUrl": "https://qbo.simulator.test/v2/oauth2/tokens/revoke",
}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> ProvisionedStack:
    """moto in-process with the stack's tables, key, queues and secrets; every function's environment applied."""
    template = load_template()
    with mock_aws():
        stack = provision(
            template, {**parameter_defaults(template), **TEST_PARAMETERS},
            secret_values={
                "HubSpotAppSecret": json.dumps({"client_secret": HUBSPOT_CLIENT_SECRET}),
                "QboAppSecret": json.dumps({"client_secret": QBO_CLIENT_SECRET,
                                            "webhook_verifier_token": QBO_VERIFIER_TOKEN}),
            },
        )
        for logical_id in resources_of_type(template, "AWS::Serverless::Function"):
            for name, value in stack.function_environment(logical_id).items():
                monkeypatch.setenv(name, value)
        monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
        yield stack
