"""Write the HubSpot project's per-environment configuration from the deployed stack's outputs.

`make hubspot-config STAGE=prod` (or `python -m scripts.hubspot_config --stage prod`) reads the outputs of the
CloudFormation stack `hubbooks-<stage>` and writes two git-ignored files:

- `hubspot/src/hsprofile.<stage>.json`: the HubSpot config profile (the CLI reads profiles from the source folder)
  that `hs project upload --profile <stage>` applies to the `${VARIABLES}` in the project's `*-hsmeta.json` files
  (redirect URL, permitted URLs, webhook target, support);
- `hubspot/src/app/packages/shared/settings.generated.js`: the UI's settings module (API base URL, support contact).

Only boto3 and the standard library are used, so the SAM virtualenv (.venv-sam) can run it. A missing stack, a stack
that is not deployed, or a missing output stops with a message that says what to do; nothing is written then.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from scripts.check_placeholders import PLACEHOLDER

ROOT = Path(__file__).resolve().parent.parent
HUBSPOT_SOURCE_DIR = ROOT / "hubspot" / "src"  # hsproject.json's srcDir: where the HubSpot CLI looks for profiles
SETTINGS_MODULE = HUBSPOT_SOURCE_DIR / "app" / "packages" / "shared" / "settings.generated.js"

# Profile variable -> the stack output it comes from. Every ${VARIABLE} in hubspot/src/**/*-hsmeta.json is one of
# these (a test checks it), so a profile written here always satisfies the project.
PROFILE_VARIABLES: dict[str, str] = {
    "API_URL": "ApiUrl",
    "HUBSPOT_REDIRECT_URL": "HubSpotRedirectUrl",
    "HUBSPOT_WEBHOOK_URL": "HubSpotWebhookUrl",
    "SUPPORT_EMAIL": "SupportEmail",
    "SUPPORT_URL": "SupportUrl",
    "DOCUMENTATION_URL": "DocumentationUrl",
}
URL_OUTPUTS = ("ApiUrl", "HubSpotRedirectUrl", "HubSpotWebhookUrl", "SupportUrl", "DocumentationUrl")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USABLE_STATUSES = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE")


class ConfigError(Exception):
    """A problem the deployer must fix; the message says how."""


@dataclass(frozen=True)
class StackOutputs:
    stack_name: str
    region: str
    values: dict[str, str]


def read_stack_outputs(stack_name: str, cloudformation: Any) -> StackOutputs:
    region = cloudformation.meta.region_name
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as error:
        message = error.response.get("Error", {}).get("Message", str(error))
        if "does not exist" in message:
            raise ConfigError(
                f"Stack {stack_name} does not exist in {region}. Deploy it first "
                f"(`sam deploy --config-env <stage>`), or pass the region you deployed to (--region, or "
                f"AWS_REGION=... with make).") from error
        raise ConfigError(f"Could not read stack {stack_name} in {region}: {message}") from error
    except BotoCoreError as error:
        raise ConfigError(f"Could not reach CloudFormation in {region}: {error}. Check your AWS credentials "
                          f"(`aws sts get-caller-identity`).") from error
    stack = stacks[0]
    status = stack.get("StackStatus", "")
    if status not in USABLE_STATUSES:
        raise ConfigError(f"Stack {stack_name} is {status}, not deployed. Fix the deploy (see the stack's events in "
                          f"the CloudFormation console) and run this again.")
    values = {o["OutputKey"]: o.get("OutputValue", "") for o in stack.get("Outputs", [])}
    return StackOutputs(stack_name=stack_name, region=region, values=values)


def profile_variables(outputs: StackOutputs) -> dict[str, str]:
    values = outputs.values
    missing = sorted({name for name in PROFILE_VARIABLES.values() if not values.get(name)})
    if missing:
        raise ConfigError(
            f"Stack {outputs.stack_name} has no value for {', '.join(missing)}. "
            + ("Set the SupportEmail, SupportUrl and DocumentationUrl parameters and deploy again. "
               if {"SupportEmail", "SupportUrl", "DocumentationUrl"} & set(missing) else "")
            + "If the outputs themselves are missing, the stack predates this checkout: run `sam deploy` again.")
    variables = {variable: values[output].strip() for variable, output in PROFILE_VARIABLES.items()}
    for output in URL_OUTPUTS:
        variable = next(v for v, o in PROFILE_VARIABLES.items() if o == output)
        url = variables[variable].rstrip("/")
        if not url.startswith("https://"):
            raise ConfigError(f"Output {output} is {url!r}; HubSpot needs an https:// URL.")
        variables[variable] = url
    if not EMAIL.match(variables["SUPPORT_EMAIL"]):
        raise ConfigError(f"Output SupportEmail is {variables['SUPPORT_EMAIL']!r}, which is not an e-mail address.")
    placeholders = [f"{PROFILE_VARIABLES[k]}={v}" for k, v in variables.items() if PLACEHOLDER.search(v)]
    if placeholders:
        raise ConfigError(f"These outputs are placeholders, not real addresses: {', '.join(placeholders)}. "
                          f"Deploy with your own support e-mail and URLs.")
    return variables


def profile_document(account_id: int, variables: Mapping[str, str]) -> str:
    return json.dumps({"accountId": account_id, "variables": dict(variables)}, indent=2) + "\n"


def settings_module(stage: str, variables: Mapping[str, str], stack_name: str) -> str:
    settings = {
        "stage": stage,
        "apiBaseUrl": variables["API_URL"],
        "supportEmail": variables["SUPPORT_EMAIL"],
        "supportUrl": variables["SUPPORT_URL"],
    }
    return (
        f"// Generated by `make hubspot-config STAGE={stage}` from the outputs of stack {stack_name}.\n"
        "// Do not edit (the next run overwrites it) and do not commit (it is git-ignored: one per environment).\n"
        f"export const GENERATED_SETTINGS = Object.freeze({json.dumps(settings, indent=2)});\n"
    )


def existing_account_id(profile_path: Path) -> int | None:
    if not profile_path.exists():
        return None
    try:
        value = json.loads(profile_path.read_text(encoding="utf-8")).get("accountId")
    except (json.JSONDecodeError, AttributeError):
        return None
    return value if isinstance(value, int) and value > 0 else None


def resolve_account_id(given: str | None, profile_path: Path) -> int:
    if given:
        if not given.isdigit() or int(given) <= 0:
            raise ConfigError(f"HubSpot account id {given!r} must be a positive number (see `hs account list`).")
        return int(given)
    kept = existing_account_id(profile_path)
    if kept is None:
        raise ConfigError(
            f"{profile_path.name} does not exist yet, so the HubSpot account to upload to is unknown. Pass it once: "
            f"`make hubspot-config STAGE=<stage> HUBSPOT_ACCOUNT_ID=<id>` (your developer account's id, from "
            f"`hs account list`); later runs keep it.")
    return kept


def write_config(*, stage: str, outputs: StackOutputs, account_id: str | None, source_dir: Path | None = None,
                 settings_path: Path | None = None) -> list[Path]:
    source_dir = source_dir or HUBSPOT_SOURCE_DIR
    settings_path = settings_path or SETTINGS_MODULE
    profile_path = source_dir / f"hsprofile.{stage}.json"
    variables = profile_variables(outputs)
    account = resolve_account_id(account_id, profile_path)
    profile_path.write_text(profile_document(account, variables), encoding="utf-8")
    settings_path.parent.mkdir(parents=True, exist_ok=True)
    settings_path.write_text(settings_module(stage, variables, outputs.stack_name), encoding="utf-8")
    return [profile_path, settings_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, help="dev or prod: the samconfig.toml environment you deployed")
    parser.add_argument("--stack-name", help="default: hubbooks-<stage>, as in samconfig.toml")
    parser.add_argument("--region", help="default: your AWS CLI/SDK region (AWS_DEFAULT_REGION or ~/.aws/config)")
    parser.add_argument("--hubspot-account-id", help="HubSpot account `hs project upload` targets (kept after once)")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z0-9-]+", args.stage):
        print(f"error: stage {args.stage!r} must be lower-case letters, digits or dashes", file=sys.stderr)
        return 2
    stack_name = args.stack_name or f"hubbooks-{args.stage}"
    try:
        cloudformation = boto3.client("cloudformation", region_name=args.region) if args.region \
            else boto3.client("cloudformation")
        outputs = read_stack_outputs(stack_name, cloudformation)
        written = write_config(stage=args.stage, outputs=outputs, account_id=args.hubspot_account_id)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BotoCoreError as error:  # e.g. no region configured at all
        print(f"error: {str(error).rstrip('.')}. Pass --region (make: AWS_REGION=...) or set AWS_DEFAULT_REGION.",
              file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    missing = outputs.values.get("MissingConfiguration")
    if missing:
        print(f"\nThe stack is not fully configured yet: {missing}")
    if outputs.values.get("NextStep"):
        print(f"Next step: {outputs.values['NextStep']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
