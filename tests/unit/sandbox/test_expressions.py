"""EventBridge Scheduler expressions: rate(), cron() with time zones and AWS's special characters, at()."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sandbox.gateway.expressions import ExpressionError, parse_expression

START = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)  # a Friday


def _next(expression: str, after: datetime, timezone: str = "UTC") -> datetime | None:
    return parse_expression(expression, timezone, start=START).next_after(after)


@pytest.mark.parametrize(("expression", "seconds"), [
    ("rate(1 minute)", 60), ("rate(5 minutes)", 300), ("rate(1 hour)", 3600), ("rate(2 days)", 172800)])
def test_rate_counts_from_the_start(expression: str, seconds: int) -> None:
    assert _next(expression, START) == START + timedelta(seconds=seconds)
    assert _next(expression, START + timedelta(seconds=seconds)) == START + timedelta(seconds=2 * seconds)
    assert _next(expression, START + timedelta(seconds=seconds * 1.5)) == START + timedelta(seconds=2 * seconds)


def test_daily_cron_in_a_time_zone_follows_daylight_saving() -> None:
    new_york = ZoneInfo("America/New_York")
    first = _next("cron(0 7 * * ? *)", START, "America/New_York")
    assert first == datetime(2026, 3, 7, 7, 0, tzinfo=new_york)
    assert first is not None and first.utcoffset() == timedelta(hours=-5)
    after_switch = _next("cron(0 7 * * ? *)", datetime(2026, 3, 8, 13, 0, tzinfo=UTC), "America/New_York")
    assert after_switch is not None and after_switch.astimezone(UTC) == datetime(2026, 3, 9, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(("expression", "expected"), [
    ("cron(*/15 * * * ? *)", datetime(2026, 3, 6, 12, 15, tzinfo=UTC)),
    ("cron(0 9 ? * MON-FRI *)", datetime(2026, 3, 9, 9, 0, tzinfo=UTC)),
    ("cron(30 8 1 * ? *)", datetime(2026, 4, 1, 8, 30, tzinfo=UTC)),
    ("cron(0 0 L * ? *)", datetime(2026, 3, 31, 0, 0, tzinfo=UTC)),
    ("cron(0 0 ? * 6L *)", datetime(2026, 3, 27, 0, 0, tzinfo=UTC)),
    ("cron(0 0 ? * 2#1 *)", datetime(2026, 4, 6, 0, 0, tzinfo=UTC)),
    ("cron(0 0 15W * ? *)", datetime(2026, 3, 16, 0, 0, tzinfo=UTC)),
    ("cron(0 10 ? JAN,JUN SUN 2027)", datetime(2027, 1, 3, 10, 0, tzinfo=UTC)),
])
def test_cron_next_fire(expression: str, expected: datetime) -> None:
    assert _next(expression, START) == expected


def test_cron_that_never_fires_again() -> None:
    assert _next("cron(0 0 1 1 ? 2020)", START) is None


def test_at_fires_once() -> None:
    assert _next("at(2026-03-07T10:00:00)", START) == datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    assert _next("at(2026-03-01T10:00:00)", START) is None


@pytest.mark.parametrize("expression", [
    "rate(0 minutes)", "rate(5 weeks)", "every 5 minutes", "cron(0 7 * * *)", "cron(0 7 * * * *)",
    "cron(0 7 ? * ? *)", "cron(61 7 * * ? *)", "cron(0 7 * FOO ? *)", "at(tomorrow)"])
def test_invalid_expressions_are_rejected(expression: str) -> None:
    with pytest.raises(ExpressionError):
        parse_expression(expression)
