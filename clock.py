"""Time as the platform counts it: instants are stored in UTC, days are Swedish days."""
import datetime as dt
import zoneinfo

SWEDISH_TIME = zoneinfo.ZoneInfo("Europe/Stockholm")


def start_of_swedish_day(day):
    """00:00 in Sweden on that date, as an aware instant."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=SWEDISH_TIME)
