"""Delivering the outbox over SMTP: due mails are sent, failures retried with back-off.

A mail is a row before it is anything else, so no failure can lose it; with no SMTP server
configured (the demo) rows simply wait, readable in the admin.
"""
import datetime as dt
import smtplib
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import sqlalchemy as sa
from flask import current_app

from clock import utc_now
from extensions import db
from models.outbox import PENDING, SENT, OutboundEmail

# Minutes to wait after the 1st, 2nd, … failure; the last step repeats.
BACKOFF_MINUTES = [1, 5, 15, 60, 240]


def smtp_configured():
    return bool(current_app.config.get("MAIL_SERVER"))


def backoff(attempts):
    return dt.timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def due_query(now, ids=None, ignore_backoff=False, skip=()):
    query = sa.select(OutboundEmail).where(OutboundEmail.status == PENDING).order_by(OutboundEmail.id).limit(1)
    if not ignore_backoff:
        query = query.where(OutboundEmail.next_attempt_at <= now)
    if ids is not None:
        query = query.where(OutboundEmail.id.in_(ids))
    if skip:
        query = query.where(OutboundEmail.id.not_in(list(skip)))
    # Several workers may run this at once: a row is locked by the one sending it until its status is
    # committed, and the others pass it by (PostgreSQL; SQLite has a single writer).
    return query.with_for_update(skip_locked=True)


def deliver_due(now=None, ids=None, ignore_backoff=False):
    """Send what is due (or the given rows if due), one row and one commit at a time; returns
    (sent, failed). ignore_backoff: try every pending mail now – the SMTP server is back."""
    if not smtp_configured():
        return 0, 0
    sent = failed = 0
    tried = set()
    while True:
        email = db.session.scalars(due_query(now or utc_now(), ids, ignore_backoff, skip=tried)).first()
        if email is None:
            break
        tried.add(email.id)
        if _send(email, now or utc_now()):
            sent += 1
        else:
            failed += 1
        db.session.commit()  # releases this row's lock with its new status
    db.session.commit()
    return sent, failed


def _smtp_connection():
    """Like Flask-Mail's connection, but with a timeout: a hanging server must not hang a request."""
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    host = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    if config["MAIL_USE_TLS"]:
        host.starttls()
    if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
        host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return host


def mime_message(email, sender):
    """The outbox row as a MIME message in which no line exceeds SMTP's 998 octets (RFC 5321):
    text and HTML quoted-printable, attachments base64, long subjects folded."""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = email.subject
    message["From"] = sender
    message["To"] = ", ".join(email.recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message.set_content(email.text_body or "", charset="utf-8", cte="quoted-printable")
    if email.html_body:
        message.add_alternative(email.html_body, subtype="html", charset="utf-8", cte="quoted-printable")
    for attachment in email.attachments or []:
        maintype, _, subtype = attachment["content_type"].partition("/")
        message.add_attachment(attachment["data"].encode("utf-8"), maintype=maintype, subtype=subtype,
                               filename=attachment["filename"])
    return message


def _send(email, now):
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    message = mime_message(email, sender)
    email.attempts = (email.attempts or 0) + 1
    try:
        with _smtp_connection() as host:
            host.sendmail(parseaddr(sender)[1], list(email.recipients), message.as_bytes())
    except Exception as error:  # any SMTP or network failure: keep the row, try again later
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        email.next_attempt_at = now + backoff(email.attempts)
        return False
    email.status, email.sent_at, email.last_error = SENT, now, None
    return True


def resend(email):
    """Customer service asks for another delivery (also of a sent mail)."""
    email.status = PENDING
    email.next_attempt_at = utc_now()
    db.session.commit()
    remember_for_delivery(email)


def remember_for_delivery(email):
    """Queued mails are tried right after the request that caused them has committed."""
    db.session.info.setdefault("outbox_to_deliver", []).append(email)


def take_remembered():
    emails = db.session.info.pop("outbox_to_deliver", [])
    return [email.id for email in emails if email.id is not None]
