"""Kundservice's back office: the order queue, each order's page with its change set and TAK
JSON, and the actions that move it on (Under handläggning, Genomförd, Avvisad, ärendenummer)."""

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from markupsafe import Markup

from extensions import db
from forms.back_office import CaseNumberForm, StatusForm
from models import CUSTOMER_SERVICE, Order
from models.orders import DONE, DRAFT, IN_PROGRESS, KIND_LABELS, REJECTED, STATUS_LABELS
from ordering import instance_changes as changes_of_instances
from ordering import lifecycle, orders
from ordering import order_kinds as kinds
from ordering.catalog import like_pattern
from ordering.tak_json import tak_json_text

from .access import ProtectedView, ReadOnlyView
from .filters import SwedishDaysFilter, TakCheckFilter, environment_filter, organisation_filter
from .formatting import status_badge, swedish_time, waited
from .links import public_url


class OrderQueueView(ReadOnlyView):
    """Sent orders, newest first; drafts are the orderers' own business."""

    can_view_details = False
    column_list = ["number", "submitted_at", "waited", "status", "kind", "environment", "organisation",
                   "system_instance", "orderer_name", "case_number"]
    column_labels = {"number": "Nummer", "submitted_at": "Skickad", "waited": "Väntat", "status": "Status", "kind": "Typ",
                     "environment": "Miljö", "organisation": "Organisation", "system_instance": "System",
                     "orderer_name": "Beställare", "case_number": "Ärendenummer"}
    column_sortable_list = ["number", "submitted_at", "status", "kind", "orderer_name", "case_number"]
    column_default_sort = [("submitted_at", True), ("id", True)]
    column_searchable_list = ["orderer_name", "case_number"]
    column_filters = [
        FilterEqual(Order.status, "Status", options=[(k, v) for k, v in STATUS_LABELS.items() if k != DRAFT]),
        environment_filter(Order.environment_id),
        FilterEqual(Order.kind, "Typ", options=list(KIND_LABELS.items())),
        organisation_filter("system_instance.organisation.name"),
        SwedishDaysFilter(Order.submitted_at, "Skickad"),
        TakCheckFilter(),
    ]
    column_formatters = {
        "number": lambda view, context, model, name: Markup('<a href="{}">{}</a>').format(
            url_for("casework.page", number=model.number), model.display_number),
        "submitted_at": lambda view, context, model, name: swedish_time(model.submitted_at),
        "waited": lambda view, context, model, name: waited(model),
        "status": lambda view, context, model, name: status_badge(model),
        "organisation": lambda view, context, model, name: model.organisation_name,
        "kind": lambda view, context, model, name: model.kind_label,
        "environment": lambda view, context, model, name: model.environment_display,
        "system_instance": lambda view, context, model, name: model.instance_hsa_id,
    }

    def get_query(self):
        # Orders sent before the header kept the organisation read it from the system: Flask-Admin joins
        # system_instance (a column of the list) and the instance joins its organisation, so no query per row.
        return super().get_query().where(Order.status != DRAFT)

    def get_count_query(self):
        return super().get_count_query().where(Order.status != DRAFT)

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """Number (BS-12), HSA-id of the system, an addressee in the order, or orderer/case number."""
        term = search.strip()
        number = orders.parse_number(term)
        if number is not None:
            condition = Order.number == number
        else:
            pattern = like_pattern(term)  # % and _ are searched for, not wildcards
            condition = sa.or_(
                Order.search_text.like(pattern, escape="\\"),
                sa.func.lower(Order.orderer_name).like(pattern, escape="\\"),
                sa.func.lower(sa.func.coalesce(Order.case_number, "")).like(pattern, escape="\\"),
            )
        return query.where(condition), count_query.where(condition), joins, count_joins


class CaseworkView(ProtectedView):
    """One order as customer service handles it."""

    required_role = CUSTOMER_SERVICE

    def is_visible(self):
        return False

    def _order(self, number):
        order = db.session.scalar(sa.select(Order).where(Order.number == number, Order.status != DRAFT))
        if order is None:
            abort(404)
        return order

    @expose("/")
    def index(self):
        return redirect(url_for("backoffice.index_view"))

    @expose("/<int:number>")
    def page(self, number):
        order = self._order(number)
        changes = kinds.change_set(order)
        orderer = order.orderer
        relation = changes_of_instances.relation(order.system_instance, orderer)
        return self.render("backoffice/order.html", order=order, changes=changes, relation=relation,
                           summary=kinds.summary(order, changes), tak_json=tak_json_text(order, changes),
                           STATUS=dict(IN_PROGRESS=IN_PROGRESS, DONE=DONE, REJECTED=REJECTED))

    @expose("/<int:number>/tak.json")
    def download(self, number):
        order = self._order(number)
        return Response(tak_json_text(order, kinds.change_set(order)), mimetype="application/json", headers={
            "Content-Disposition": f'attachment; filename="{order.display_number}.json"'})

    @expose("/<int:number>/status", methods=("POST",))
    def change_status(self, number):
        order = self._order(number)
        form = StatusForm(request.form)
        if not form.validate():
            flash(form.first_error(), "error")
            return redirect(url_for(".page", number=number))
        try:
            lifecycle.change_status(order, form.to.data, current_user, form.comment.data, self._orderer_link(order))
        except orders.TransitionError as error:
            flash(str(error), "error")
        else:
            flash(f"{order.display_number} har status {order.status_label}.", "success")
        return redirect(url_for(".page", number=number))

    @staticmethod
    def _orderer_link(order):
        return public_url("orders.details", number=order.number)

    @expose("/<int:number>/arendenummer", methods=("POST",))
    def case_number(self, number):
        order = self._order(number)
        form = CaseNumberForm(request.form)
        if not form.validate():
            flash(form.first_error(), "error")
            return redirect(url_for(".page", number=number))
        try:
            lifecycle.record_case_number(order, form.case_number.data, current_user, self._orderer_link(order))
        except orders.TransitionError as error:
            flash(str(error), "error")
        else:
            flash(f"Ärendenummer {order.case_number} är registrerat och beställaren har fått det via mail.",
                  "success")
        return redirect(url_for(".page", number=number))
