"""EventBridge Scheduler stand-in: fires the template's ScheduleV2 events on their expression, and on demand."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.aws.provision import ScheduleInfo
from sandbox.gateway.expressions import Expression, parse_expression
from sandbox.gateway.invoker import Invoker
from sandbox.gateway.workers import InvocationResult
from sandbox.procs import log_line

UTC = ZoneInfo("UTC")


@dataclass
class Schedule:
    info: ScheduleInfo
    expression: Expression
    next_fire: datetime | None

    @property
    def enabled(self) -> bool:
        return self.info.state.upper() != "DISABLED"

    def payload(self) -> Any:
        # With an Input, Scheduler's Lambda target receives exactly that JSON as the event.
        return json.loads(self.info.input) if self.info.input else {}

    def to_json(self) -> dict[str, Any]:
        return {"name": self.info.name, "function": self.info.function, "physical_name": self.info.physical_name,
                "expression": self.info.expression, "timezone": self.info.timezone, "state": self.info.state,
                "enabled": self.enabled, "input": self.info.input,
                "next_fire": self.next_fire.astimezone(UTC).isoformat() if self.enabled and self.next_fire else None}


class Scheduler:
    def __init__(self, schedules: dict[str, ScheduleInfo], invoker: Invoker) -> None:
        now = datetime.now(UTC)
        self._invoker = invoker
        self.schedules: dict[str, Schedule] = {}
        for name, info in schedules.items():
            expression = parse_expression(info.expression, info.timezone, start=now)
            self.schedules[name] = Schedule(info, expression, expression.next_after(now))
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scheduler", daemon=True)
        self._firing: list[threading.Thread] = []

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=timeout)
        for thread in self._firing:
            thread.join(timeout=timeout)

    def fire(self, name: str, *, trigger: str = "schedule") -> InvocationResult:
        """Invoke the schedule's target now, as Scheduler would (the on-demand path ignores State)."""
        schedule = self.schedules[name]
        return self._invoker.invoke(schedule.info.function, schedule.payload(), trigger=trigger, source=name)

    def _run(self) -> None:
        while not self._stop.is_set():
            now = datetime.now(UTC)
            due = [s for s in self.schedules.values() if s.enabled and s.next_fire and s.next_fire <= now]
            for schedule in due:
                schedule.next_fire = schedule.expression.next_after(now)
                self._fire_in_background(schedule)
            upcoming = [s.next_fire for s in self.schedules.values() if s.enabled and s.next_fire]
            wait = min((moment - now).total_seconds() for moment in upcoming) if upcoming else 60.0
            self._wake.wait(timeout=min(max(wait, 0.05), 60.0))
            self._wake.clear()

    def _fire_in_background(self, schedule: Schedule) -> None:
        def fire() -> None:
            result = self.fire(schedule.info.name)
            if not result.ok:
                log_line("scheduler", f"{schedule.info.name} -> {schedule.info.function} {result.outcome}: "
                                      f"{result.error}")

        self._firing = [thread for thread in self._firing if thread.is_alive()]
        thread = threading.Thread(target=fire, name=f"fire-{schedule.info.name}", daemon=True)
        self._firing.append(thread)
        thread.start()
