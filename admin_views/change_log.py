"""Ändringslogg: a read-only list of every change to master data and users, and the
per-object history shown on each register's details page."""
import sqlalchemy as sa
from flask_admin.contrib.sqla.filters import FilterEqual
from markupsafe import Markup

from extensions import db
from models import ROLE_LABELS, ChangeLog
from models.audit import ACTION_LABELS

from .access import ReadOnlyView
from .filters import SwedishDaysFilter
from .formatting import swedish_time
from .master_data import LABELS, MASTER_DATA_VIEWS

ENTITY_NAMES = {model.__name__: name for _, model, name, _ in MASTER_DATA_VIEWS}
ENTITY_NAMES.update({"User": "Användare", "TakImport": "TAK-import"})
FIELD_LABELS = {**LABELS, "email": "E-postadress", "phone": "Telefon", "role": "Roll", "password_hash": "Lösenord",
                "label": "Post"}


def _value(key, value):
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if key == "role":
        return ROLE_LABELS.get(value, value)
    return str(value)


def changes_table(entry):
    """Fält | Före | Efter, every user-entered value escaped."""
    # An update stores only the fields it changed, so every row here is a change.
    rows = [Markup('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>').format(
        FIELD_LABELS.get(key, key), _value(key, before), _value(key, after)) for key, before, after in entry.changes()]
    if not rows:
        return Markup('<span class="text-muted">Inga fältvärden sparade.</span>')
    return Markup('<table class="table table-sm table-bordered mb-0 change-table"><thead><tr><th>Fält</th>'
                  '<th>Före</th><th>Efter</th></tr></thead><tbody>{}</tbody></table>').format(Markup("").join(rows))


def change_history(model, limit=50):
    """The newest change-log entries of one row, for its details page."""
    return db.session.scalars(
        sa.select(ChangeLog)
        .where(ChangeLog.entity_type == type(model).__name__, ChangeLog.entity_id == str(model.id))
        .order_by(ChangeLog.time.desc(), ChangeLog.id.desc()).limit(limit)
    ).all()


class ChangeLogView(ReadOnlyView):
    can_export = True
    export_types = ["csv"]
    column_list = ["time", "user_name", "action", "entity_type", "label"]
    column_details_list = ["time", "user_name", "action", "entity_type", "entity_id", "label", "comment", "after"]
    column_labels = {"time": "Tidpunkt", "user_name": "Användare", "action": "Händelse", "entity_type": "Register",
                     "entity_id": "Id", "label": "Post", "comment": "Kommentar", "after": "Ändringar",
                     "before": "Före"}
    column_default_sort = [("time", True), ("id", True)]
    column_sortable_list = ["time", "user_name", "action", "entity_type", "label"]
    column_searchable_list = ["label", "user_name", "entity_id"]
    column_filters = [
        FilterEqual(ChangeLog.action, "Händelse", options=list(ACTION_LABELS.items())),
        FilterEqual(ChangeLog.entity_type, "Register", options=sorted(ENTITY_NAMES.items(), key=lambda i: i[1])),
        "user_name",
        SwedishDaysFilter(ChangeLog.time, "Tidpunkt"),
    ]
    column_formatters = {
        "time": lambda view, context, model, name: swedish_time(model.time),
        "action": lambda view, context, model, name: model.action_label,
        "entity_type": lambda view, context, model, name: ENTITY_NAMES.get(model.entity_type, model.entity_type),
    }
    column_formatters_export = column_formatters
    column_formatters_detail = {**column_formatters, "after": lambda view, context, model, name: changes_table(model)}
