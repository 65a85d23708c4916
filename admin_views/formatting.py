"""Jinja filters for Swedish presentation."""
from markupsafe import Markup

from clock import SWEDISH_TIME, as_utc, utc_now
from models.orders import IN_PROGRESS, SUBMITTED


def swedish_time(value):
    """A stored instant as Swedish local time; SQLite hands timestamps back without a zone (UTC)."""
    if not value:
        return "–"
    return as_utc(value).astimezone(SWEDISH_TIME).strftime("%Y-%m-%d %H:%M")


def status_badge(order):
    """An order's status as a badge of its own colour; the text says it, the colour helps scanning."""
    return Markup('<span class="badge status-{}">{}</span>').format(order.status, order.status_label)


def waited(order):
    """How long a waiting order (Skickad, Under handläggning) has waited since it was sent."""
    if order.status not in (SUBMITTED, IN_PROGRESS) or order.submitted_at is None:
        return "–"
    hours = int((utc_now() - as_utc(order.submitted_at)).total_seconds() // 3600)
    if hours >= 48:
        return f"{hours // 24} dagar"
    return f"{hours} tim" if hours >= 1 else "under 1 tim"
