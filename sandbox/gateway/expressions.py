"""EventBridge Scheduler expressions: rate(...), cron(...) in a time zone, and at(...), as "next fire time" rules."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

_MONTHS = {name: index for index, name in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
_WEEKDAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_RATE_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}
_SEARCH_DAYS = 366 * 5  # a valid cron fires within a few years; "30 FEB" never does


class ExpressionError(ValueError):
    """The schedule expression is not one EventBridge Scheduler accepts."""


class Expression(Protocol):
    def next_after(self, moment: datetime) -> datetime | None:
        """The first fire time strictly after `moment` (aware), or None if the schedule never fires again."""


@dataclass(frozen=True)
class Rate:
    seconds: int
    start: datetime  # rate schedules count from their creation

    def next_after(self, moment: datetime) -> datetime:
        elapsed = (moment - self.start).total_seconds()
        periods = int(elapsed // self.seconds) + 1 if elapsed >= 0 else 1
        return self.start + timedelta(seconds=periods * self.seconds)


@dataclass(frozen=True)
class At:
    when: datetime

    def next_after(self, moment: datetime) -> datetime | None:
        return self.when if self.when > moment else None


def _parse_number(token: str, names: dict[str, int]) -> int:
    upper = token.upper()
    if upper in names:
        return names[upper]
    if not token.isdigit():
        raise ExpressionError(f"{token!r} is not a number")
    return int(token)


def _parse_set(field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    values: set[int] = set()
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = _parse_number(step_text, {})
            if step < 1:
                raise ExpressionError("a step must be at least 1")
        if part == "*":
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = _parse_number(first, names or {}), _parse_number(last, names or {})
        else:
            start = _parse_number(part, names or {})
            end = high if step > 1 else start
        if not (low <= start <= high and low <= end <= high) or start > end:
            raise ExpressionError(f"{part!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


def _nearest_weekday(year: int, month: int, day: int) -> int:
    last = calendar.monthrange(year, month)[1]
    day = min(day, last)
    weekday = date(year, month, day).weekday()  # Monday 0
    if weekday == 5:
        return day - 1 if day > 1 else day + 2
    if weekday == 6:
        return day + 1 if day < last else day - 2
    return day


@dataclass(frozen=True)
class _DayOfMonth:
    field: str

    def matches(self, day: date) -> bool:
        text = self.field.upper()
        if text in ("*", "?"):
            return True
        last = calendar.monthrange(day.year, day.month)[1]
        if text == "L":
            return day.day == last
        if text == "LW":
            return day.day == _nearest_weekday(day.year, day.month, last)
        if text.endswith("W"):
            return day.day == _nearest_weekday(day.year, day.month, int(text[:-1]))
        return day.day in _parse_set(text, 1, 31)


@dataclass(frozen=True)
class _DayOfWeek:
    field: str

    def matches(self, day: date) -> bool:
        text = self.field.upper()
        if text in ("*", "?"):
            return True
        cron_weekday = (day.weekday() + 1) % 7 + 1  # SUN=1 ... SAT=7
        if "#" in text:
            weekday_text, nth = text.split("#", 1)
            wanted = _parse_number(weekday_text, _WEEKDAYS)
            return cron_weekday == wanted and (day.day - 1) // 7 + 1 == int(nth)
        if text.endswith("L"):
            wanted = _parse_number(text[:-1] or "7", _WEEKDAYS)
            return cron_weekday == wanted and day.day + 7 > calendar.monthrange(day.year, day.month)[1]
        return cron_weekday in _parse_set(text, 1, 7, _WEEKDAYS)


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    day_of_month: _DayOfMonth
    months: frozenset[int]
    day_of_week: _DayOfWeek
    years: frozenset[int]
    timezone: ZoneInfo

    def next_after(self, moment: datetime) -> datetime | None:
        local = moment.astimezone(self.timezone)
        day = local.date()
        for _ in range(_SEARCH_DAYS):
            if day.year in self.years and day.month in self.months and self._day_matches(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.timezone)
                        if candidate > local:
                            return candidate
            day += timedelta(days=1)
        return None

    def _day_matches(self, day: date) -> bool:
        return self.day_of_month.matches(day) and self.day_of_week.matches(day)


def parse_cron(body: str, timezone: str = "UTC") -> Cron:
    fields = body.split()
    if len(fields) != 6:
        raise ExpressionError("cron() takes six fields: minutes hours day-of-month month day-of-week year")
    minutes, hours, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise ExpressionError("exactly one of day-of-month and day-of-week must be '?'")
    _DayOfMonth(dom).matches(date(2024, 1, 1))  # validate eagerly
    _DayOfWeek(dow).matches(date(2024, 1, 1))
    return Cron(minutes=_parse_set(minutes, 0, 59), hours=_parse_set(hours, 0, 23), day_of_month=_DayOfMonth(dom),
                months=_parse_set(month, 1, 12, _MONTHS), day_of_week=_DayOfWeek(dow),
                years=_parse_set(year, 1970, 2199), timezone=ZoneInfo(timezone))


def parse_expression(expression: str, timezone: str = "UTC", *, start: datetime | None = None) -> Expression:
    """Parse a ScheduleExpression; `start` anchors rate() schedules (default: now)."""
    match = re.fullmatch(r"\s*(rate|cron|at)\((.*)\)\s*", expression)
    if not match:
        raise ExpressionError(f"{expression!r} is not rate(...), cron(...) or at(...)")
    kind, body = match.group(1), match.group(2).strip()
    if kind == "rate":
        rate = re.fullmatch(r"(\d+)\s+([a-z]+)", body)
        if not rate or rate.group(2) not in _RATE_UNITS or int(rate.group(1)) < 1:
            raise ExpressionError(f"rate({body}) needs a positive number and minute(s), hour(s) or day(s)")
        anchor = start or datetime.now(ZoneInfo("UTC"))
        return Rate(seconds=int(rate.group(1)) * _RATE_UNITS[rate.group(2)], start=anchor)
    if kind == "cron":
        return parse_cron(body, timezone)
    try:
        when = datetime.fromisoformat(body).replace(tzinfo=ZoneInfo(timezone))
    except ValueError as exc:
        raise ExpressionError(f"at({body}) needs yyyy-mm-ddThh:mm:ss") from exc
    return At(when=when)
