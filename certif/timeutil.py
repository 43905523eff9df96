"""Time helpers: store UTC, show Europe/Paris the French way."""
import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet",
           "août", "septembre", "octobre", "novembre", "décembre")


# How far `clock_set_to` moved the clock back (zero but while the demo builds past days).
_offset = timedelta(0)


def utcnow() -> datetime:
    """Naive UTC timestamp, the form stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None) + _offset


@contextmanager
def clock_set_to(moment: datetime) -> Iterator[None]:
    """Within the block, the clock reads `moment` (naive UTC) and runs on from there: every
    `utcnow()`, column defaults included, and so `paris_today()`. For the demo, which
    builds a past session day through the services; the CLI only (one thread), never a
    request."""
    global _offset
    previous = _offset
    _offset = moment - datetime.now(UTC).replace(tzinfo=None)
    try:
        yield
    finally:
        _offset = previous


def paris_to_utc(day: date, at: time) -> datetime:
    """A Paris wall-clock time as the naive UTC value stored."""
    return datetime.combine(day, at, PARIS).astimezone(UTC).replace(tzinfo=None)


def to_paris(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(PARIS)


def paris_today() -> date:
    """The organisation's day (Europe/Paris), not the machine's: at 00:30 in Paris the
    server's UTC date is still yesterday. Modules import it by name, so a test can patch
    `module.paris_today` to set the day that module sees."""
    return to_paris(utcnow()).date()


def paris_day(moment: datetime) -> date:
    """The Paris calendar day of a stored (naive UTC) moment."""
    return to_paris(moment).date()


def french_date(value: date | datetime | None) -> str:
    """1er décembre 2026"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_paris(value).date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


def french_time(value: datetime | None) -> str:
    """14 h 30"""
    if value is None:
        return ""
    local = to_paris(value)
    return f"{local.hour} h {local.minute:02d}"


def french_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{french_date(value)} à {french_time(value)}"


def french_timestamp(value: datetime | None) -> str:
    """22/11/2026 17:24:05, for audit trails."""
    if value is None:
        return ""
    return to_paris(value).strftime("%d/%m/%Y %H:%M:%S")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or that month's last day when it has no such
    day: 31 January + 1 month = 28 or 29 February, 30 November + 3 = 28 February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
