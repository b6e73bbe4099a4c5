"""A tiny narrated-scenario runner: numbered steps, each told in plain words and marked ✓ or ✗."""

from __future__ import annotations

import importlib
import json
import pkgutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, TextIO, TypeVar

from sandbox.stack import StackControl

T = TypeVar("T")


class StepFailed(Exception):
    """Raised by a step (or `Demo.check`) to fail with a plain-words reason."""


@dataclass
class Demo:
    """What steps share: the running stack, facts earlier steps learnt, and the narration."""

    stack: StackControl
    out: TextIO
    facts: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str) -> None:
        """One line of narration under the current step."""
        self.out.write(f"      {text}\n")
        self.out.flush()

    def check(self, condition: bool, failure: str) -> None:
        if not condition:
            raise StepFailed(failure)

    def require(self, value: T | None, failure: str) -> T:
        """The value, or a failed step when it is missing."""
        if value is None:
            raise StepFailed(failure)
        return value


@dataclass(frozen=True)
class Step:
    title: str
    run: Callable[[Demo], str]  # returns the one-line result shown after ✓
    needs: tuple[str, ...] = ()  # facts earlier steps must have set, else this step is skipped as failed


def short_json(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def discover_steps(package: ModuleType) -> list[Step]:
    """Every `steps_*` module of `package`, ordered by its ORDER, steps in their listed order."""
    modules = [importlib.import_module(f"{package.__name__}.{info.name}")
               for info in pkgutil.iter_modules(package.__path__) if info.name.startswith("steps_")]
    steps: list[Step] = []
    for module in sorted(modules, key=lambda found: (getattr(found, "ORDER", 100), found.__name__)):
        steps.extend(module.STEPS)
    return steps


def run_steps(demo: Demo, steps: list[Step]) -> int:
    """Run every step; answers the number that failed."""
    failed = 0
    for number, step in enumerate(steps, start=1):
        demo.out.write(f"{number:>3}. {step.title}\n")
        demo.out.flush()
        missing = [need for need in step.needs if need not in demo.facts]
        if missing:
            failed += 1
            demo.out.write(f"    ✗ skipped: an earlier step did not provide {', '.join(missing)}\n")
            continue
        try:
            summary = step.run(demo)
        except StepFailed as exc:
            failed += 1
            demo.out.write(f"    ✗ {exc}\n")
        except Exception as exc:  # an unexpected error is a failed step, not a crashed demo
            failed += 1
            demo.out.write(f"    ✗ unexpected {type(exc).__name__}: {exc}\n")
            demo.out.write("".join(f"        {line}" for line in traceback.format_exc().splitlines(True)[-6:]))
        else:
            demo.out.write(f"    ✓ {summary}\n")
        demo.out.flush()
    return failed
