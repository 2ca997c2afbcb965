"""Time in one place: UTC-aware datetimes for storage, the city's local date for deadlines."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def local_today() -> date:
    """Deadlines and 'overdue' are judged by the calendar date in the city (UTC+8)."""
    return utcnow().astimezone(LOCAL_TZ).date()


def local_datetime(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(LOCAL_TZ)
