"""End-to-end fixtures: the sandbox stack on free loopback ports, reached over HTTP only.

`stack` (session-scoped) runs the real template.yaml with both provider simulators. It is a
`sandbox.stack.StackProcess` (`python -m sandbox` as a child process: an in-process `mock_aws()` in another test
would otherwise capture the stack's own AWS calls). What tests use:

    stack.gateway_url, stack.qbo_url, stack.hubspot_url, stack.aws_url   base URLs (http://127.0.0.1:<port>)
    stack.hubspot_app -> {"app_id", "client_id"};  stack.qbo_app -> {"client_id"}
    stack.secret("HubSpotAppSecret") -> the secret's JSON (client secrets, for signing requests by hand)
    stack.fire_schedule("SyncSchedule") -> {"function", "payload", "status", "result", ...}
    stack.drain_queues(timeout=30) -> {"drained": bool, "queues": {...}}
    stack.invocations(function="SyncWorkerFunction", trigger="sqs") -> [{"status", "duration_ms", "details"...}]
    stack.invoke("SomeFunction", event), stack.routes(), stack.schedules(), stack.describe()
    stack.aws_session().client("dynamodb")                              boto3 on the stack's moto server

`gateway_stack` runs tests/e2e/fixtures/template.yaml (tiny test functions, no simulators) for the gateway's tests.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.stack import StackConfig, StackProcess

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STACK_START_TIMEOUT_S = 60.0


def _simulators_missing() -> list[str]:
    return [name for name in ("sandbox.qbo.__main__", "sandbox.hubspot.__main__")
            if importlib.util.find_spec(name) is None]


def _start(config: StackConfig) -> StackProcess:
    process = StackProcess(config)
    try:
        process.start(timeout=STACK_START_TIMEOUT_S)
    except BaseException:
        log = process.log_tail()
        process.stop()
        pytest.fail(f"the sandbox did not start; its log ends with:\n{log}", pytrace=False)
    return process


@pytest.fixture(scope="session")
def stack() -> Iterator[StackProcess]:
    """The whole integration (template.yaml, moto, QBO and HubSpot simulators) on free ports."""
    missing = _simulators_missing()
    if missing:
        pytest.skip(f"the provider simulators are not there yet: {', '.join(missing)}")
    running = _start(StackConfig(gateway_port=0, aws_port=0, qbo_port=0, hubspot_port=0, sqs_retry_delay_s=1))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def gateway_stack() -> Iterator[StackProcess]:
    """The gateway over the fixture template: echo/slow HTTP functions, an SQS consumer, two schedules."""
    running = _start(StackConfig(gateway_port=0, aws_port=0, qbo_port=0, hubspot_port=0,
                                 template_path=FIXTURES / "template.yaml", simulators=False, sqs_retry_delay_s=1,
                                 parameters={"SchedulesState": "DISABLED"}))
    yield running
    running.stop()
