"""Time as the platform counts it: instants are stored in UTC, days are Swedish days."""
import datetime as dt
import zoneinfo

SWEDISH_TIME = zoneinfo.ZoneInfo("Europe/Stockholm")


def utc_now():
    """Now, as stored: an aware UTC instant."""
    return dt.datetime.now(dt.timezone.utc)


def as_utc(value):
    """A stored or read instant as an aware UTC instant: SQLite hands timestamps back without a zone,
    and a time written without one is UTC on this platform. None stays None."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def swedish_today():
    """Today as the platform counts days (TAK's validity dates are Swedish dates), whatever the
    server's own time zone."""
    return dt.datetime.now(SWEDISH_TIME).date()


def start_of_swedish_day(day):
    """00:00 in Sweden on that date, as an aware instant."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=SWEDISH_TIME)


def tak_time(value):
    """An instant as TAK writes it: UTC with the offset written +0000, no colon – TAK's parser
    insists, whatever the schema says."""
    return as_utc(value).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")
