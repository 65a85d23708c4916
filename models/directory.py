"""Directory: the tool's own registers of organisations, systems and system instances."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clock import utc_now
from extensions import db

from ._columns import unique_ignoring_case
from .audited import Audited
from .versioned import Versioned

instance_environment = sa.Table(
    "system_instance_environment",
    db.metadata,
    sa.Column("system_instance_id", sa.ForeignKey("system_instance.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("environment_id", sa.ForeignKey("environment.id", ondelete="CASCADE"), primary_key=True),
)


def format_org_number(digits):
    return f"{digits[:6]}-{digits[6:]}" if digits and len(digits) == 10 else (digits or "")


class Organisation(Audited, Versioned, db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_number: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))

    @property
    def org_number_display(self):
        return format_org_number(self.org_number)

    def __str__(self):
        return f"{self.org_number_display} - {self.name}"


class System(Audited, Versioned, db.Model):
    __tablename__ = "system"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255))

    def __str__(self):
        return self.name


unique_ignoring_case(System.__table__.c.name)


class SystemInstance(Audited, Versioned, db.Model):
    """One installed system, identified by the function HSA-id on its SITHS certificate."""

    __tablename__ = "system_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsa_id: Mapped[str] = mapped_column(sa.String(255), index=True)  # the register's sort order
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    system_id: Mapped[int | None] = mapped_column(sa.ForeignKey("system.id"), index=True)
    other_info: Mapped[str | None] = mapped_column(sa.String(255))
    tak_description: Mapped[str | None] = mapped_column(sa.String(1000))

    main_contact_name: Mapped[str | None] = mapped_column(sa.String(255))
    main_contact_email: Mapped[str | None] = mapped_column(sa.String(255))
    main_contact_phone: Mapped[str | None] = mapped_column(sa.String(50))
    tech_contact_name: Mapped[str | None] = mapped_column(sa.String(255))
    tech_contact_email: Mapped[str | None] = mapped_column(sa.String(255))
    tech_contact_phone: Mapped[str | None] = mapped_column(sa.String(50))
    support_email: Mapped[str | None] = mapped_column(sa.String(255))
    support_phone: Mapped[str | None] = mapped_column(sa.String(50))

    organisation: Mapped["Organisation | None"] = relationship(lazy="joined")
    system: Mapped["System | None"] = relationship(lazy="joined")
    environments: Mapped[list["Environment"]] = relationship(  # noqa: F821
        secondary=instance_environment, order_by="Environment.id"
    )

    @property
    def description(self):
        """TAK's form of the instance: 'Organisation -- System -- Övrigt'."""
        if self.organisation is None and self.system is None:
            return self.tak_description or ""
        parts = [
            self.organisation.name if self.organisation else "",
            self.system.name if self.system else "",
            self.other_info or "",
        ]
        return " -- ".join(parts)

    def __str__(self):
        return f"[{self.hsa_id}] {self.description}".rstrip()


unique_ignoring_case(SystemInstance.__table__.c.hsa_id)


PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
REQUEST_STATUS_LABELS = {PENDING: "Väntar på kundservice", APPROVED: "Godkänd", REJECTED: "Avslagen"}


class InstanceChangeRequest(Audited, db.Model):
    """A change to a system instance by an orderer who is neither one of its contacts nor in its
    organisation: nothing changes until customer service approves it."""

    __tablename__ = "instance_change_request"
    __table_args__ = (sa.Index("ix_instance_change_request_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(sa.ForeignKey("system_instance.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    requested_by_name: Mapped[str] = mapped_column(sa.String(200), default="")
    requested_by_email: Mapped[str] = mapped_column(sa.String(254), default="")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utc_now)
    # For people: [[label, before, after]] of the changed fields. For approval: the values to apply.
    changes: Mapped[list] = mapped_column(sa.JSON)
    proposed: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.Enum(*REQUEST_STATUS_LABELS, name="change_request_status",
                                                native_enum=False, length=20), default=PENDING)
    decided_by_name: Mapped[str | None] = mapped_column(sa.String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    decision_comment: Mapped[str | None] = mapped_column(sa.Text)

    instance: Mapped[SystemInstance] = relationship()

    @property
    def status_label(self):
        return REQUEST_STATUS_LABELS.get(self.status, self.status)

    def __str__(self):
        return f"Ändringsförfrågan {self.id}"
