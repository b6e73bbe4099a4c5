"""The scheduler fires due schedules by itself and skips disabled ones."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from typing import Any

from sandbox.aws.provision import ScheduleInfo
from sandbox.gateway.expressions import Rate
from sandbox.gateway.scheduler import Scheduler
from sandbox.gateway.workers import InvocationResult


class RecordingInvoker:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, str]] = []
        self.fired = threading.Event()

    def invoke(self, function: str, event: Any, *, trigger: str, source: str) -> InvocationResult:
        self.calls.append((function, event, source))
        self.fired.set()
        return InvocationResult("ok", "req", result=None)


def _info(name: str, state: str) -> ScheduleInfo:
    return ScheduleInfo(name=name, function="Target", physical_name=name, expression="rate(1 hour)",
                        timezone="UTC", state=state, input=json.dumps({"job": name}))


def test_due_schedules_fire_and_disabled_ones_do_not() -> None:
    invoker = RecordingInvoker()
    scheduler = Scheduler({"On": _info("On", "ENABLED"), "Off": _info("Off", "DISABLED")}, invoker)  # type: ignore[arg-type]
    now = datetime.now(UTC)
    for schedule in scheduler.schedules.values():  # a sub-minute rate, which rate() itself cannot express
        schedule.expression = Rate(seconds=1, start=now)
        schedule.next_fire = schedule.expression.next_after(now)
    scheduler.start()
    try:
        assert invoker.fired.wait(timeout=5)
        time.sleep(1.3)
    finally:
        scheduler.stop()
    assert {call[2] for call in invoker.calls} == {"On"}
    assert invoker.calls[0][:2] == ("Target", {"job": "On"})
    assert len(invoker.calls) >= 2
    assert scheduler.schedules["Off"].to_json()["next_fire"] is None
