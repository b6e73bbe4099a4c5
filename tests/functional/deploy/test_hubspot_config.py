"""`make hubspot-config`: the HubSpot profile and UI settings module come from a real CloudFormation stack's
outputs (moto), with a clear error for every way the stack can be missing or incomplete."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from sandbox.cfn_template import load_template
from scripts import hubspot_config
from scripts.hubspot_config import PROFILE_VARIABLES, ConfigError, read_stack_outputs, write_config

ROOT = Path(__file__).resolve().parents[3]
OUTPUTS = {
    "ApiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com",
    "HubSpotRedirectUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/oauth/hubspot/callback",
    "HubSpotWebhookUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/hubspot",
    "SupportEmail": "help@books.acme.test",
    "SupportUrl": "https://books.acme.test/help/",
    "DocumentationUrl": "https://books.acme.test/docs",
    "MissingConfiguration": "HubSpotAppId HubSpotClientId ",
}


def stack_template(outputs: dict[str, str]) -> str:
    """A plain template moto can create: one queue, and the outputs as literal values."""
    return json.dumps({
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    })


@pytest.fixture
def cloudformation() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("cloudformation", region_name="eu-west-1")


@pytest.fixture
def hubspot_dir(tmp_path: Path) -> Path:
    return tmp_path / "hubspot"


def deploy(cloudformation: Any, outputs: dict[str, str], name: str = "hubbooks-prod") -> None:
    cloudformation.create_stack(StackName=name, TemplateBody=stack_template(outputs))


def run(hubspot_dir: Path, cloudformation: Any, account_id: str | None = "4411223",
        stack_name: str = "hubbooks-prod") -> list[Path]:
    (hubspot_dir / "src").mkdir(parents=True, exist_ok=True)
    outputs = read_stack_outputs(stack_name, cloudformation)
    return write_config(stage="prod", outputs=outputs, account_id=account_id, source_dir=hubspot_dir / "src",
                        settings_path=hubspot_dir / "src/app/packages/shared/settings.generated.js")


def test_writes_the_profile_and_the_settings_module_from_the_stack_outputs(cloudformation: Any,
                                                                           hubspot_dir: Path) -> None:
    deploy(cloudformation, OUTPUTS)
    profile_path, settings_path = run(hubspot_dir, cloudformation)

    assert profile_path == hubspot_dir / "src" / "hsprofile.prod.json"
    assert json.loads(profile_path.read_text()) == {"accountId": 4411223, "variables": {
        "API_URL": "https://abc123.execute-api.eu-west-1.amazonaws.com",
        "HUBSPOT_REDIRECT_URL": "https://abc123.execute-api.eu-west-1.amazonaws.com/oauth/hubspot/callback",
        "HUBSPOT_WEBHOOK_URL": "https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/hubspot",
        "SUPPORT_EMAIL": "help@books.acme.test",
        "SUPPORT_URL": "https://books.acme.test/help",  # trailing slash dropped
        "DOCUMENTATION_URL": "https://books.acme.test/docs",
    }}
    module = settings_path.read_text()
    settings = json.loads(re.search(r"Object\.freeze\((\{.*\})\);", module, re.S).group(1))  # type: ignore[union-attr]
    assert settings == {"stage": "prod", "apiBaseUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com",
                        "supportEmail": "help@books.acme.test", "supportUrl": "https://books.acme.test/help"}
    assert "make hubspot-config STAGE=prod" in module and "hubbooks-prod" in module


def test_a_second_run_keeps_the_hubspot_account_and_follows_a_redeploy(cloudformation: Any,
                                                                        hubspot_dir: Path) -> None:
    deploy(cloudformation, OUTPUTS)
    run(hubspot_dir, cloudformation)
    cloudformation.update_stack(StackName="hubbooks-prod", TemplateBody=stack_template(
        {**OUTPUTS, "ApiUrl": "https://api.books.acme.test"}))

    profile_path, _ = run(hubspot_dir, cloudformation, account_id=None)

    profile = json.loads(profile_path.read_text())
    assert profile["accountId"] == 4411223 and profile["variables"]["API_URL"] == "https://api.books.acme.test"


def test_the_first_run_needs_the_hubspot_account(cloudformation: Any, hubspot_dir: Path) -> None:
    deploy(cloudformation, OUTPUTS)
    with pytest.raises(ConfigError, match=r"HUBSPOT_ACCOUNT_ID=<id>.*hs account list"):
        run(hubspot_dir, cloudformation, account_id=None)
    with pytest.raises(ConfigError, match="positive number"):
        run(hubspot_dir, cloudformation, account_id="my-account")
    assert not (hubspot_dir / "src" / "hsprofile.prod.json").exists()


def test_a_missing_stack_says_to_deploy_first(cloudformation: Any, hubspot_dir: Path) -> None:
    with pytest.raises(ConfigError, match=r"Stack hubbooks-prod does not exist in eu-west-1\. Deploy it first"):
        run(hubspot_dir, cloudformation)


@pytest.mark.parametrize(("missing", "advice"), [
    ("ApiUrl", "predates this checkout"),
    ("SupportEmail", "Set the SupportEmail, SupportUrl and DocumentationUrl parameters"),
])
def test_a_missing_output_is_named_and_nothing_is_written(cloudformation: Any, hubspot_dir: Path,
                                                          missing: str, advice: str) -> None:
    deploy(cloudformation, {k: v for k, v in OUTPUTS.items() if k != missing})
    with pytest.raises(ConfigError, match=rf"no value for {missing}\..*{advice}"):
        run(hubspot_dir, cloudformation)
    assert not hubspot_dir.joinpath("src", "hsprofile.prod.json").exists()


@pytest.mark.parametrize(("output", "value", "problem"), [
    ("SupportEmail", "help@example.com", "placeholders"),
    ("SupportUrl", "https://REPLACE-WITH-your-site", "placeholders"),
    ("ApiUrl", "http://abc123.execute-api.eu-west-1.amazonaws.com", "needs an https:// URL"),
    ("SupportEmail", "not-an-address", "not an e-mail address"),
])
def test_placeholder_or_malformed_outputs_are_refused(cloudformation: Any, hubspot_dir: Path, output: str,
                                                      value: str, problem: str) -> None:
    deploy(cloudformation, {**OUTPUTS, output: value})
    with pytest.raises(ConfigError, match=problem):
        run(hubspot_dir, cloudformation)


def test_the_command_line_reports_errors_without_a_traceback(cloudformation: Any,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert hubspot_config.main(["--stage", "prod", "--region", "eu-west-1"]) == 1
    assert capsys.readouterr().err.startswith("error: Stack hubbooks-prod does not exist")
    assert hubspot_config.main(["--stage", "Prod!"]) == 2


def test_the_command_line_prints_what_the_stack_still_misses(
        cloudformation: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    deploy(cloudformation, OUTPUTS)
    monkeypatch.setattr(hubspot_config, "HUBSPOT_SOURCE_DIR", tmp_path)
    monkeypatch.setattr(hubspot_config, "SETTINGS_MODULE", tmp_path / "settings.generated.js")
    assert hubspot_config.main(["--stage", "prod", "--region", "eu-west-1", "--hubspot-account-id", "7"]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "not fully configured yet: HubSpotAppId HubSpotClientId" in out
    assert json.loads((tmp_path / "hsprofile.prod.json").read_text())["accountId"] == 7
    assert (tmp_path / "settings.generated.js").exists()


def test_the_template_has_every_output_the_command_reads() -> None:
    outputs = load_template()["Outputs"]
    assert set(PROFILE_VARIABLES.values()) <= set(outputs)
    assert {"MissingConfiguration", "NextStep"} <= set(outputs)


def test_every_variable_in_the_hubspot_project_comes_from_the_profile() -> None:
    used = set()
    for meta in (ROOT / "hubspot" / "src").rglob("*-hsmeta.json"):
        used |= set(re.findall(r"\$\{([^}]+)\}", meta.read_text()))
    assert used == set(PROFILE_VARIABLES)
    # The profile the offline project check (hubspot/scripts/check-project.mjs) translates with has the same keys.
    fixture = json.loads((ROOT / "hubspot" / "tests" / "fixtures" / "hsprofile.ci.json").read_text())
    assert set(fixture["variables"]) == set(PROFILE_VARIABLES)
