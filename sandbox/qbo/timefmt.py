"""Timestamps as QBO writes them: in the company's local offset, seconds in MetaData, milliseconds in envelopes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# Where a sandbox company of each country is assumed to be; QBO reports times in the company's zone.
COUNTRY_ZONES = {
    "US": "America/Los_Angeles",
    "GB": "Europe/London",
    "CA": "America/Toronto",
    "AU": "Australia/Sydney",
}


def zone_for(country: str) -> ZoneInfo:
    return ZoneInfo(COUNTRY_ZONES.get(country, "UTC"))


def _offset(moment: datetime) -> str:
    text = moment.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def meta_time(epoch: float, zone: ZoneInfo) -> str:
    moment = datetime.fromtimestamp(int(epoch), tz=zone)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + _offset(moment)


def envelope_time(epoch: float, zone: ZoneInfo) -> str:
    moment = datetime.fromtimestamp(epoch, tz=zone)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}" + _offset(moment)


def local_date(epoch: float, zone: ZoneInfo) -> date:
    return datetime.fromtimestamp(epoch, tz=zone).date()


def utc_millis(epoch: float) -> str:
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_datetime(text: str, zone: ZoneInfo) -> float:
    """Parse the timestamps clients send (changedSince, MetaData filters); a missing offset means company time."""
    cleaned = text.strip()
    if cleaned.endswith("Z"):
        cleaned = cleaned[:-1] + "+00:00"
    moment = datetime.fromisoformat(cleaned)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.timestamp()
