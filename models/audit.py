"""The change log: who created, changed or removed which master-data row, with before/after."""
import contextlib
import datetime as dt

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.interfaces import MANYTOONE

from clock import utc_now
from extensions import db

from .audited import Audited

CREATE, UPDATE, DELETE = "create", "update", "delete"
ACTION_LABELS = {CREATE: "Skapad", UPDATE: "Ändrad", DELETE: "Borttagen"}


class ChangeLog(db.Model):
    __tablename__ = "change_log"
    __table_args__ = (sa.Index("ix_change_log_entity", "entity_type", "entity_id", "time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    time: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utc_now, index=True)
    # Kept when the user is removed: the name snapshot still says who it was.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"),
                                                index=True)
    user_name: Mapped[str] = mapped_column(sa.String(200), default="")
    action: Mapped[str] = mapped_column(sa.Enum(CREATE, UPDATE, DELETE, name="change_action",
                                                native_enum=False, length=10))
    entity_type: Mapped[str] = mapped_column(sa.String(50))
    entity_id: Mapped[str] = mapped_column(sa.String(50))
    label: Mapped[str] = mapped_column(sa.String(500), default="")
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    comment: Mapped[str | None] = mapped_column(sa.String(1000))

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)

    def changes(self):
        """(field, before, after) for every field the entry mentions, in a stable order."""
        before, after = self.before or {}, self.after or {}
        keys = list(before) + [key for key in after if key not in before]
        return [(key, before.get(key), after.get(key)) for key in keys]


# --- Recording -------------------------------------------------------------------------------
# One mechanism for every audited model: SQLAlchemy's after_flush sees each flushed object's
# attribute history (before and after) and its primary key, whichever view or command changed it.

# Bookkeeping that changes on every login is not a change anyone made to the register.
NOT_LOGGED = {"failed_logins", "locked_until", "last_login", "created_at", "imported_at", "version",
              "session_generation"}
SECRET = {"password_hash"}
SECRET_MARKS = {"before": "(dolt)", "after": "(ändrat)"}
_PAUSED = "change_log_paused"


@contextlib.contextmanager
def change_log_paused(session):
    """Bulk loads (TAK import, demo data) record one summary row instead of one per row."""
    session.info[_PAUSED] = True
    try:
        yield
    finally:
        session.info.pop(_PAUSED, None)


ACTOR = "change_log_actor"  # session.info: a callable giving the acting user, set per request by the web layer


def acting_user(session):
    """(user id, name) of whoever causes the change: the user the web layer names, or the command line."""
    source = session.info.get(ACTOR)
    actor = source() if source is not None else None
    if actor is None:
        return None, "System (kommandorad)"
    return actor.id, str(actor)


def record(session, action, entity_type, entity_id, label, before=None, after=None, comment=None):
    """Write one change-log row in the same transaction as the change itself."""
    user_id, user_name = acting_user(session)
    session.connection().execute(sa.insert(ChangeLog.__table__), [{
        "time": utc_now(), "user_id": user_id, "user_name": user_name[:200], "action": action,
        "entity_type": entity_type, "entity_id": str(entity_id), "label": label[:500],
        "before": before, "after": after, "comment": comment,
    }])


@event.listens_for(Session, "after_flush")
def _record_flushed_changes(session, flush_context):
    if session.info.get(_PAUSED):
        return
    with session.no_autoflush:
        rows = list(_changes(session))
    for action, obj, before, after in rows:
        record(session, action, type(obj).__name__, inspect(obj).mapper.primary_key_from_instance(obj)[0],
               _label(obj), before, after)


def _changes(session):
    for obj in session.new:
        if isinstance(obj, Audited):
            yield CREATE, obj, None, _snapshot(obj, "after")
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj):
            after = _snapshot(obj, "after", changed_only=True)
            if after:  # changes only to bookkeeping columns are not logged
                yield UPDATE, obj, _snapshot(obj, "before", changed_only=True), after
    for obj in session.deleted:
        if isinstance(obj, Audited):
            yield DELETE, obj, _snapshot(obj, "before"), None


def _label(obj):
    try:
        return str(obj)
    except Exception:  # a label must never stop a save
        return f"{type(obj).__name__} {inspect(obj).identity}"


def _snapshot(obj, side, changed_only=False):
    state = inspect(obj)
    mapper = state.mapper
    values = {}
    hidden_columns = set()
    for relationship in mapper.relationships:
        if relationship.direction is MANYTOONE:
            hidden_columns.update(column.key for column in relationship.local_columns)
            _put(values, relationship.key, state.attrs[relationship.key].history, side, changed_only, _related_label)
        elif relationship.secondary is not None:
            _put(values, relationship.key, state.attrs[relationship.key].history, side, changed_only, _collection)
    for attribute in mapper.column_attrs:
        key = attribute.key
        if key in NOT_LOGGED or key in hidden_columns:
            continue
        convert = _secret(side) if key in SECRET else _json_value
        _put(values, key, state.attrs[key].history, side, changed_only, convert)
    return values


def _put(values, key, history, side, changed_only, convert):
    # An empty history means the attribute was never loaded: its value is unknown, not None.
    if history.empty() or (changed_only and not history.has_changes()):
        return
    kept = list(history.unchanged)
    side_items = list(history.deleted if side == "before" else history.added)
    if convert is _collection:
        values[key] = _collection(kept + side_items)
        return
    chosen = side_items or kept
    values[key] = convert(chosen[0]) if chosen else None


def _secret(side):
    """A secret is logged as changed, never with its value (not even hashed)."""
    return lambda value: SECRET_MARKS[side] if value else None


def _related_label(obj):
    return None if obj is None else _label(obj)


def _collection(items):
    return sorted(_label(item) for item in items if item is not None)


def _json_value(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
