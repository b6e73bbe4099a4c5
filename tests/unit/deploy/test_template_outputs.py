"""The deploy story in template.yaml's outputs: a half-configured stack says what is missing and what to do next."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from sandbox.cfn_template import Resolver, load_template, parameter_defaults

COMPLETE = {"HubSpotAppId": "4242", "HubSpotClientId": "0b0c5a8e-1111-2222-3333-444455556666",
            "QboClientId": "ABqbo", "SupportEmail": "help@books.acme.test",
            "SupportUrl": "https://books.acme.test/help"}


def outputs(**parameters: str) -> dict[str, Any]:
    """The outputs CloudFormation would show for these parameters (conditional outputs left out when false)."""
    template = load_template()
    resolver = Resolver(parameters={**parameter_defaults(template), **parameters},
                        refs={**{name: f"{name}-ref" for name in template["Resources"]}, "HttpApi": "abc123"},
                        conditions=template["Conditions"])
    shown = {}
    for name, output in template["Outputs"].items():
        if "Condition" in output and not resolver.condition(output["Condition"]):
            continue
        shown[name] = resolver.resolve(output["Value"])
    return shown


def test_a_first_deploy_with_nothing_set_lists_everything_missing() -> None:
    shown = outputs()
    assert shown["MissingConfiguration"].split() == [
        "HubSpotAppId", "HubSpotClientId", "QboClientId", "SupportEmail", "SupportUrl"]
    assert "SupportEmail" in shown["NextStep"]
    assert "SupportEmail" not in shown and "DocumentationUrl" not in shown  # no empty outputs


def test_before_the_hubspot_upload_the_next_step_is_the_upload() -> None:
    shown = outputs(**{**COMPLETE, "HubSpotAppId": "", "HubSpotClientId": ""})
    assert shown["MissingConfiguration"].split() == ["HubSpotAppId", "HubSpotClientId"]
    assert "make hubspot-config" in shown["NextStep"] and "hs project upload --profile" in shown["NextStep"]
    assert shown["SupportEmail"] == "help@books.acme.test"
    assert shown["DocumentationUrl"] == "https://books.acme.test/help"  # falls back to the support page


def test_a_complete_stack_has_nothing_missing_and_says_to_install() -> None:
    shown = outputs(**COMPLETE, DocumentationUrl="https://books.acme.test/docs")
    assert "MissingConfiguration" not in shown
    assert shown["NextStep"] == "Open HubSpotInstallUrl to install HubBooks into a HubSpot account."
    assert shown["DocumentationUrl"] == "https://books.acme.test/docs"
    assert shown["ApiUrl"] == "https://abc123.execute-api.us-east-1.amazonaws.com"


@pytest.mark.parametrize(("parameter", "pattern"), [
    ("HubSpotAppId", "^[0-9]*$"), ("SupportEmail", "@"), ("SupportUrl", "https://"),
])
def test_malformed_values_are_refused_by_the_parameters(parameter: str, pattern: str) -> None:
    assert pattern in load_template()["Parameters"][parameter]["AllowedPattern"]


def test_the_dev_environment_runs_the_schedules_against_intuit_sandbox_companies() -> None:
    config = tomllib.loads((Path(__file__).resolve().parents[3] / "samconfig.toml").read_text())
    for env in ("default", "prod"):
        overrides = config[env]["deploy"]["parameters"]["parameter_overrides"]
        assert "SchedulesState=ENABLED" in overrides
    dev = config["default"]["deploy"]["parameters"]["parameter_overrides"]
    assert "AllowQboSandboxCompanies=true" in dev
    assert "QboApiBaseUrl=https://sandbox-quickbooks.api.intuit.com" in dev
