"""Jinja filters for Swedish presentation."""
from clock import SWEDISH_TIME, as_utc


def swedish_time(value):
    """A stored instant as Swedish local time; SQLite hands timestamps back without a zone (UTC)."""
    if not value:
        return "–"
    return as_utc(value).astimezone(SWEDISH_TIME).strftime("%Y-%m-%d %H:%M")
