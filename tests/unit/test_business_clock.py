"""The business clock: the system's in a deployed stack, the simulators' in the sandbox, and never configurable from
template.yaml (SANDBOX_CLOCK_URL exists only in the sandbox gateway's function environment)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hubbooks.adapters.business_clock import SimulatorClock, business_clock, system_now
from hubbooks.config import get_settings
from sandbox.cfn_template import Resolver, function_environment, load_template, parameter_defaults, serverless_functions

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"


def test_no_deployed_function_can_follow_a_simulator_clock() -> None:
    assert "SANDBOX_CLOCK" not in TEMPLATE.read_text()
    template = load_template()
    resolver = Resolver(parameters=parameter_defaults(template), conditions=template.get("Conditions", {}))
    resolver.refs.update({name: name for name in template["Resources"]})
    resolver.attributes.update({(name, attribute): name for name in template["Resources"]
                                for attribute in ("Arn", "QueueUrl", "QueueName", "ApiEndpoint")})
    for logical_id in serverless_functions(template):
        assert not any(name.startswith("SANDBOX") for name in function_environment(template, resolver, logical_id))


def test_without_the_sandbox_setting_now_is_the_system_clock(monkeypatch: pytest.MonkeyPatch,
                                                             settings_env: None) -> None:
    monkeypatch.delenv("SANDBOX_CLOCK_URL", raising=False)
    get_settings.cache_clear()
    assert business_clock() is system_now


class _Session:
    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.reads = 0

    def get(self, url: str, timeout: float) -> Any:
        self.reads += 1
        now = self.now

        class Answer:
            @staticmethod
            def raise_for_status() -> None: ...

            @staticmethod
            def json() -> dict[str, float]:
                return {"now": now, "offset_seconds": 0.0}
        return Answer()


def test_the_simulator_clock_follows_the_simulators_time_and_rereads_it_rarely() -> None:
    session, ticks = _Session(), [0.0]
    clock = SimulatorClock("http://sim/_sandbox/clock", session=session,  # type: ignore[arg-type]
                           refresh_seconds=1.0, monotonic=lambda: ticks[0], wall=lambda: 999_000.0)
    assert clock() == datetime.fromtimestamp(1_000_000.0, tz=UTC)
    session.now += 31 * 86400  # the demo moves the simulator forward
    assert clock() == datetime.fromtimestamp(1_000_000.0, tz=UTC)  # within the refresh interval: one read
    ticks[0] = 5.0
    assert clock() == datetime.fromtimestamp(1_000_000.0 + 31 * 86400, tz=UTC)
    assert session.reads == 2


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("APP_TABLE_NAME", "AppTable"), ("IDEMPOTENCY_TABLE_NAME", "IdempotencyTable"),
                        ("TOKEN_KEY_ID", "key"), ("HUBSPOT_APP_SECRET_ARN", "arn:hs"),
                        ("QBO_APP_SECRET_ARN", "arn:qbo"),
                        ("PUBLIC_BASE_URL", "https://api.example.com")):
        monkeypatch.setenv(name, value)
