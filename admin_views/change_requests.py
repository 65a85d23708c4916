"""Kundservice → Ändringsförfrågningar: changes to system instances by orderers who are neither
contacts nor in the organisation, waiting for approval."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from markupsafe import Markup

from extensions import db
from forms.back_office import DecisionForm
from models import InstanceChangeRequest
from models.directory import PENDING, REQUEST_STATUS_LABELS
from ordering import instance_changes

from .access import ReadOnlyView
from .formatting import swedish_time


def _changes_table(view, context, model, name):
    """Each requested field: its value when the request was made, what is asked – and, while it waits,
    a warning where the system has changed since (approving would then be refused)."""
    stale = {label: now for label, _, now in instance_changes.stale_fields(model)} if model.status == PENDING else {}
    rows = Markup("").join(
        Markup("<tr><td>{}</td><td>{}{}</td><td>{}</td></tr>").format(
            label, before or "–",
            Markup(' <strong class="text-danger">(ändrat sedan, nu: {})</strong>').format(stale[label] or "–")
            if label in stale else "", after or "–")
        for label, before, after in model.changes)
    return Markup('<table class="table table-sm mb-0" id="requested-changes"><thead><tr><th>Fält</th>'
                  "<th>När förfrågan gjordes</th><th>Begärt</th></tr></thead><tbody>{}</tbody></table>").format(rows)


class InstanceChangeRequestView(ReadOnlyView):
    can_view_details = True
    details_template = "backoffice/change_request.html"
    column_list = ["created_at", "instance", "requested_by_name", "status", "decided_by_name"]
    column_details_list = ["created_at", "instance", "requested_by_name", "requested_by_email", "changes", "status",
                           "decided_by_name", "decided_at", "decision_comment"]
    column_labels = {"created_at": "Skapad", "instance": "Systeminstans", "requested_by_name": "Begärd av",
                     "requested_by_email": "E-post", "changes": "Ändringar", "status": "Status",
                     "decided_by_name": "Avgjord av", "decided_at": "Avgjord", "decision_comment": "Motivering"}
    column_default_sort = [("created_at", True), ("id", True)]  # newest first; the start page links to the waiting
    column_searchable_list = ["requested_by_name", "requested_by_email"]
    column_filters = [FilterEqual(InstanceChangeRequest.status, "Status", options=list(REQUEST_STATUS_LABELS.items()))]
    column_formatters = {
        "created_at": lambda view, context, model, name: swedish_time(model.created_at),
        "decided_at": lambda view, context, model, name: swedish_time(model.decided_at) if model.decided_at else "",
        "status": lambda view, context, model, name: model.status_label,
        "instance": lambda view, context, model, name: str(model.instance),
        "changes": _changes_table,
    }
    column_formatters_detail = column_formatters

    @expose("/avgor/<int:request_id>", methods=("POST",))
    def decide(self, request_id):
        change = db.session.get(InstanceChangeRequest, request_id)
        if change is None:
            flash("Förfrågan finns inte.", "error")
            return redirect(url_for(".index_view"))
        form = DecisionForm(request.form)
        if not form.validate():
            flash(form.first_error(), "error")
            return redirect(url_for(".details_view", id=request_id))
        approve = form.decision.data == "approve"
        try:
            instance_changes.decide(change, approve, current_user._get_current_object(), form.comment.data or "")
        except instance_changes.DecisionError as error:
            flash(str(error), "error")
        else:
            flash("Ändringen är godkänd och gjord; kontaktpersonerna har fått besked." if approve else
                  "Ändringen är avslagen; kontaktpersonerna har fått besked.", "success")
        return redirect(url_for(".details_view", id=request_id))
