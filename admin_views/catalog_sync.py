"""Uppföljning → TAK-synkronisering: every run of `flask tak sync` that read a new snapshot or failed,
per environment – when, TAK's snapshot time, rows added, started and ended, how long it took, and the
reason of a failure."""
from flask_admin.contrib.sqla.filters import FilterEqual
from markupsafe import Markup

from models import CatalogSync

from .access import ReadOnlyView
from .filters import environment_filter
from .formatting import swedish_time


def _outcome(view, context, model, name):
    if model.succeeded:
        return Markup('<span class="badge badge-success">Lyckades</span>')
    return Markup('<span class="badge badge-danger">Misslyckades</span>')


class CatalogSyncView(ReadOnlyView):
    column_list = ["started_at", "environment", "succeeded", "snapshot_time", "added", "changed", "ended",
                   "duration", "message"]
    column_details_list = column_list
    column_labels = {"started_at": "Start", "environment": "Miljö", "succeeded": "Utfall",
                     "snapshot_time": "TAK:s ögonblicksbild", "added": "Nya rader", "changed": "Startade rader",
                     "ended": "Avslutade rader", "duration": "Tid (s)", "message": "Orsak"}
    column_default_sort = [("started_at", True), ("id", True)]
    column_sortable_list = ["started_at", "snapshot_time"]
    column_searchable_list = ["message"]
    column_filters = [environment_filter(CatalogSync.environment_id),
                      FilterEqual(CatalogSync.succeeded, "Utfall", options=[("1", "Lyckades"), ("0", "Misslyckades")])]
    column_formatters = {
        "started_at": lambda view, context, model, name: swedish_time(model.started_at),
        "environment": lambda view, context, model, name: model.environment.display if model.environment else "",
        "succeeded": _outcome,
        "duration": lambda view, context, model, name: f"{model.duration_seconds:.1f}",
    }
    column_formatters_detail = column_formatters
