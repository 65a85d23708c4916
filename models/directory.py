"""Directory: the tool's own registers of organisations, systems and system instances."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

from ._columns import unique_ignoring_case
from .versioned import Versioned

instance_environment = sa.Table(
    "system_instance_environment",
    db.metadata,
    sa.Column("system_instance_id", sa.ForeignKey("system_instance.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("environment_id", sa.ForeignKey("environment.id", ondelete="CASCADE"), primary_key=True),
)


def format_org_number(digits):
    return f"{digits[:6]}-{digits[6:]}" if digits and len(digits) == 10 else (digits or "")


class Organisation(Versioned, db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_number: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))

    @property
    def org_number_display(self):
        return format_org_number(self.org_number)

    def __str__(self):
        return f"{self.org_number_display} - {self.name}"


class System(Versioned, db.Model):
    __tablename__ = "system"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255))

    def __str__(self):
        return self.name


unique_ignoring_case(System.__table__.c.name)


class SystemInstance(Versioned, db.Model):
    """One installed system, identified by the function HSA-id on its SITHS certificate."""

    __tablename__ = "system_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    hsa_id: Mapped[str] = mapped_column(sa.String(255))
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
