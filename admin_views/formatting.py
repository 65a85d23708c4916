"""Jinja filters for Swedish presentation."""
import datetime as dt

from clock import SWEDISH_TIME


def swedish_time(value):
    """A stored instant as Swedish local time; SQLite hands timestamps back without a zone (UTC)."""
    if not value:
        return "–"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(SWEDISH_TIME).strftime("%Y-%m-%d %H:%M")
