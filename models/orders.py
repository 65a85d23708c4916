"""Orders: one change request for one environment, as the orderer chose it, and its history."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clock import utc_now
from extensions import db

from .catalog import Environment
from .directory import SystemInstance
from .order_content import OrderContent
from .users import User
from .versioned import Versioned

PRODUCER, CONSUMER, ROLLBACK, CLEANUP = "producer", "consumer", "rollback", "cleanup"
KIND_LABELS = {PRODUCER: "Tjänsteproducent", CONSUMER: "Tjänstekonsument", ROLLBACK: "Återställning",
               CLEANUP: "Städning"}

DRAFT, SUBMITTED, IN_PROGRESS, DONE, REJECTED, CANCELLED = (
    "draft", "submitted", "in_progress", "done", "rejected", "cancelled")
STATUS_LABELS = {DRAFT: "Utkast", SUBMITTED: "Skickad", IN_PROGRESS: "Under handläggning", DONE: "Genomförd",
                 REJECTED: "Avvisad", CANCELLED: "Återkallad"}


def search_words(content, hsa_id):
    """What the back office finds a sent order by (Order.search_text): the system's HSA-id, the
    addressees' and consumers' HSA-ids and names, the contracts – not JSON keys and other noise."""
    content = OrderContent.of(content)
    words = [hsa_id or ""]
    for entry in content.add_addresses + content.remove_addresses + content.consumers:
        words += [entry.get("hsa_id", ""), entry.get("name", "") or entry.get("label", "")]
    for entry in content.contracts:
        words += [entry.get("name", ""), entry.get("namespace", "")]
    for cells in content.cells.values():
        words += [hsa_id_of_cell for _, hsa_id_of_cell in cells]
    return "\n".join(dict.fromkeys(word.lower() for word in words if word))


class Order(Versioned, db.Model):
    __tablename__ = "bs_order"  # "order" is reserved in SQL
    # sqlite_autoincrement: the number is the id, and a deleted newest draft must not give its
    # number to the next order (PostgreSQL's sequence never reuses one anyway).
    __table_args__ = (sa.Index("ix_bs_order_orderer", "orderer_id", "created_at"),
                      sa.Index("ix_bs_order_status", "status", "submitted_at"),
                      # The queue's order (newest sent first), with status so drafts are skipped in the index.
                      sa.Index("ix_bs_order_queue", "submitted_at", "id", "status"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int | None] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(sa.Enum(PRODUCER, CONSUMER, ROLLBACK, CLEANUP, name="order_kind", native_enum=False, length=10))
    status: Mapped[str] = mapped_column(sa.Enum(*STATUS_LABELS, name="order_status", native_enum=False, length=20),
                                        default=DRAFT)
    environment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("environment.id"), index=True)
    change_date: Mapped[dt.date | None] = mapped_column(sa.Date)  # None: ordinarie handläggningstid
    system_instance_id: Mapped[int | None] = mapped_column(sa.ForeignKey("system_instance.id"), index=True)
    orderer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    # Beställare as it was when the order was sent; the user's profile may change later.
    orderer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    orderer_email: Mapped[str] = mapped_column(sa.String(254), default="")
    orderer_phone: Mapped[str] = mapped_column(sa.String(50), default="")
    orderer_role: Mapped[str] = mapped_column(sa.String(200), default="")
    other_info: Mapped[str] = mapped_column(sa.Text, default="")
    content: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # read it as `choices`
    # At Beställ: the environment and system as they were, so a sent order never changes with them.
    # {"environment", "plattform", "hsa_id", "description", "system", "label"}; None while a draft.
    sent_header: Mapped[dict | None] = mapped_column(sa.JSON)
    # What the back office's search looks in (lower case): the system's and the addressees' HSA-ids
    # and names, the consumers and the contracts as sent. Filled at Beställ.
    search_text: Mapped[str | None] = mapped_column(sa.Text)
    step: Mapped[str] = mapped_column(sa.String(30), default="")  # where a draft was left
    case_number: Mapped[str | None] = mapped_column(sa.String(50))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utc_now, onupdate=utc_now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # After a TAK import: when the done order was checked against TAK, and what differed (empty: all there).
    verified_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    verification_differences: Mapped[list | None] = mapped_column(sa.JSON)

    environment: Mapped[Environment | None] = relationship()
    system_instance: Mapped[SystemInstance | None] = relationship()
    orderer: Mapped[User | None] = relationship()
    history: Mapped[list["OrderStatusChange"]] = relationship(
        back_populates="order", order_by="OrderStatusChange.id", cascade="all, delete-orphan")

    @property
    def choices(self):
        """What the orderer chose (contracts, addressees, consumers, matrix cells), typed."""
        return OrderContent.of(self.content)

    @property
    def display_number(self):
        return f"BS-{self.number}" if self.number else "BS-?"

    @property
    def environment_display(self):
        if self.sent_header:
            return self.sent_header["environment"]
        return self.environment.display if self.environment else "–"

    @property
    def instance_hsa_id(self):
        if self.sent_header:
            return self.sent_header["hsa_id"]
        return self.system_instance.hsa_id if self.system_instance else "–"

    @property
    def instance_label(self):
        if self.sent_header:
            return self.sent_header["label"]
        return str(self.system_instance) if self.system_instance else "–"

    @property
    def organisation_name(self):
        """As at Beställ; orders sent before the header kept it show the system's organisation now."""
        if self.sent_header and "organisation" in self.sent_header:
            return self.sent_header["organisation"]
        instance = self.system_instance
        return instance.organisation.name if instance and instance.organisation else "–"

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @classmethod
    def tak_check(cls, result):
        """Done orders as the check after TAK's last import found them: "verifierad", "avviker" or "ej"
        (not yet checked). The differences are a JSON list; "[]" is how an order that matched is stored."""
        found = sa.cast(cls.verification_differences, sa.Text)
        checked = sa.and_(cls.status == DONE, cls.verified_at.is_not(None))
        return {"verifierad": sa.and_(checked, found == "[]"),
                "avviker": sa.and_(checked, found != "[]"),
                "ej": sa.and_(cls.status == DONE, cls.verified_at.is_(None))}.get(result, sa.false())

    @property
    def verified(self):
        return self.verified_at is not None and not self.verification_differences

    @property
    def deviates(self):
        """Checked against TAK after an import, and TAK lacks or differs from some of what it did."""
        return self.verified_at is not None and bool(self.verification_differences)

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)

    def __str__(self):
        return self.display_number


class OrderStatusChange(db.Model):
    __tablename__ = "order_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("bs_order.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    time: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utc_now)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    user_name: Mapped[str] = mapped_column(sa.String(200), default="")
    comment: Mapped[str | None] = mapped_column(sa.Text)

    order: Mapped[Order] = relationship(back_populates="history")

    @property
    def to_label(self):
        return STATUS_LABELS.get(self.to_status, self.to_status)
