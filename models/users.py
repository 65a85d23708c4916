"""People who use the tool: orderers (SITHS), customer service and administrators."""
import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

from ._columns import unique_ignoring_case
from .versioned import Versioned

ORDERER = "orderer"
CUSTOMER_SERVICE = "customer_service"
ADMIN = "admin"
# Each role may do everything the roles before it may.
ROLES = (ORDERER, CUSTOMER_SERVICE, ADMIN)
ROLE_LABELS = {ORDERER: "Beställare", CUSTOMER_SERVICE: "Kundservice", ADMIN: "Administratör"}


def utc_now():
    return dt.datetime.now(dt.timezone.utc)


class User(Versioned, UserMixin, db.Model):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    hsa_id: Mapped[str | None] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    role: Mapped[str] = mapped_column(sa.Enum(*ROLES, name="user_role", native_enum=False, length=20),
                                      default=ORDERER)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_login: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utc_now)

    @property
    def is_active(self):
        return self.active

    def has_role(self, role):
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def profile_complete(self):
        return bool(self.name and self.email and self.phone)

    def __str__(self):
        return self.name or self.email or self.hsa_id or f"Användare {self.id}"


unique_ignoring_case(User.__table__.c.hsa_id)
unique_ignoring_case(User.__table__.c.email)
