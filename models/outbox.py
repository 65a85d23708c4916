"""The outbox: every e-mail is first a row, written in the same transaction as its cause."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clock import utc_now
from extensions import db

PENDING, SENT = "pending", "sent"
STATUS_LABELS = {PENDING: "Väntar på att skickas", SENT: "Skickat"}


class OutboundEmail(db.Model):
    __tablename__ = "outbound_email"
    __table_args__ = (sa.Index("ix_outbound_email_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utc_now, index=True)
    recipients: Mapped[list] = mapped_column(sa.JSON)
    subject: Mapped[str] = mapped_column(sa.String(500))
    # What caused the mail, e.g. "SystemInstance:12" or "BS-1042", to find it from either side.
    reference: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    status: Mapped[str] = mapped_column(sa.Enum(PENDING, SENT, name="outbound_email_status", native_enum=False,
                                                length=10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(2000))
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True), default=utc_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The bodies come last: SQLite reads through a column to reach the ones after it, and an order's
    # mail carries megabytes of TAK JSON (migration 7c5a175d2e92 moved them there on SQLite).
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    # [{"filename", "content_type", "data" (text)}]; the TAK JSON order is text.
    attachments: Mapped[list | None] = mapped_column(sa.JSON)

    @classmethod
    def failing(cls):
        """Still waiting after at least one failed delivery."""
        return sa.and_(cls.status == PENDING, cls.attempts > 0)

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)
