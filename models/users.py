"""People who use the tool: orderers (SITHS), customer service and administrators."""
import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.attributes import NO_VALUE

from clock import utc_now
from extensions import db

from ._columns import unique_ignoring_case
from .audited import Audited
from .versioned import Versioned

ORDERER = "orderer"
CUSTOMER_SERVICE = "customer_service"
ADMIN = "admin"
# Each role may do everything the roles before it may.
ROLES = (ORDERER, CUSTOMER_SERVICE, ADMIN)
ROLE_LABELS = {ORDERER: "Beställare", CUSTOMER_SERVICE: "Kundservice", ADMIN: "Administratör"}


class User(Audited, Versioned, UserMixin, db.Model):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    hsa_id: Mapped[str | None] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # The address the user proved they read, by opening a link mailed to it. Only a proven address
    # makes anyone a system's contact; the typed `email` alone never does.
    verified_email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(50))
    role: Mapped[str] = mapped_column(sa.Enum(*ROLES, name="user_role", native_enum=False, length=20),
                                      default=ORDERER)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_login: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utc_now)
    # Part of every session's user id: raising it ends every session of the user at once (logout,
    # a new password, deactivation, another role).
    session_generation: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """Flask-Login's alternative token: id and session generation (see `session_generation`)."""
        return f"{self.id}:{self.session_generation or 0}"

    def end_sessions(self):
        self.session_generation = (self.session_generation or 0) + 1

    def has_role(self, role):
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def proven_email(self):
        """The account's e-mail when the user has proved they read it, else None."""
        if self.email and self.verified_email and self.email.strip().lower() == self.verified_email.strip().lower():
            return self.email
        return None

    @property
    def profile_complete(self):
        return bool(self.name and self.email and self.phone)

    def __str__(self):
        return self.name or self.email or self.hsa_id or f"Användare {self.id}"


unique_ignoring_case(User.__table__.c.hsa_id)
unique_ignoring_case(User.__table__.c.email)


class KeptForm(db.Model):
    """What a user had typed into a form they left to add something it needed (Lägg till
    organisation eller system), kept on the server until they come back – not in the cookie."""

    __tablename__ = "kept_form"
    __table_args__ = (sa.UniqueConstraint("user_id", "key", name="uq_kept_form_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(50))
    fields: Mapped[list] = mapped_column(sa.JSON)  # [[name, value], …] as posted
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utc_now, onupdate=utc_now)


def _end_sessions_on_change(target, value, oldvalue, initiator):
    """A new password, deactivation or another role ends the user's existing sessions."""
    if target.id is not None and oldvalue is not NO_VALUE and value != oldvalue:
        target.end_sessions()


for _attribute in (User.password_hash, User.active, User.role):
    sa.event.listen(_attribute, "set", _end_sessions_on_change, active_history=True)
