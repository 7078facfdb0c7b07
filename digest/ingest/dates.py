"""Published dates as inputs write them -> one form: UTC, ISO 8601.

Feeds write RFC 822 ("Tue, 08 Aug 2017 14:03:00 -0400"), pages and JSON write ISO 8601 with or
without an offset, some only a day. A moment becomes ``YYYY-MM-DDTHH:MM:SSZ`` in UTC; a bare day
stays ``YYYY-MM-DD`` (it has no zone to convert). A time without an offset is taken as UTC: the
input gives nothing better, and a guess from the machine's zone would differ between machines.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import re
import time

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Dates before this are typos or placeholders ("0001-01-01"), not publication dates.
MIN_YEAR = 1900


def to_utc(value: object) -> str | None:
    """The normalised form of ``value`` (a string, a struct_time, a datetime, epoch seconds),
    or None when it is not a date we can trust."""
    moment: dt.datetime | None
    if isinstance(value, str):
        text = value.strip()
        if _DAY.match(text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                return None
            return day.isoformat() if day.year >= MIN_YEAR else None
        moment = _parse(text)
    elif isinstance(value, time.struct_time):
        try:
            moment = dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
        except (OverflowError, ValueError, OSError):
            return None
    elif isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            moment = dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, ValueError, OSError):
            return None
    else:
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        moment = moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None
    if moment.year < MIN_YEAR:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(text: str) -> dt.datetime | None:
    if not text or len(text) > 64:  # no date is longer; do not feed parsers an essay
        return None
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
