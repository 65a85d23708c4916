"""Access control shared by every view: one rule – the user's role must reach the view's."""
from flask import abort, flash, g, redirect, request
from flask_admin import AdminIndexView, BaseView
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.model import template
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from extensions import login_manager
from models import CUSTOMER_SERVICE, ORDERER
from models.versioned import STALE_MESSAGE
from web_input import database_ids

from .export import SwedishCsvExport
from .filters import FilterConverter


def may_open(required_role):
    """Asked for every entry of the menu on every page: answered once per role and request."""
    answers = g.setdefault("may_open", {})
    if required_role not in answers:
        answers[required_role] = current_user.is_authenticated and current_user.has_role(required_role)
    return answers[required_role]


class AccessMixin:
    required_role = ORDERER

    def is_accessible(self):
        return may_open(self.required_role)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        abort(403)


class ProtectedView(AccessMixin, BaseView):
    """A page of the ordering tool; orderers and everyone above may open it."""


MAX_PAGE = 1_000_000
# From this many skipped rows on, a page first finds its rows' keys and then reads those rows.
DEFERRED_JOIN_OFFSET = 1_000


class ProtectedModelView(AccessMixin, SwedishCsvExport, ModelView):
    """A register; customer service and administrators edit it. List defaults every register shares."""

    required_role = CUSTOMER_SERVICE
    page_size = 50
    can_set_page_size = False  # its menu is not translated by Flask-Admin ("20 items")
    named_filter_urls = True
    filter_converter = FilterConverter()
    can_view_details = True
    details_modal = edit_modal = create_modal = False
    # The optimistic-locking version is bookkeeping, never shown or edited as a field.
    column_exclude_list = form_excluded_columns = column_details_exclude_list = ["version"]
    column_export_exclude_list = ["version"]

    def _get_list_extra_args(self):
        # A page number from a hand-edited URL becomes an OFFSET; beyond the last page the list
        # is simply empty, but beyond the database's integers the query would fail.
        args = super()._get_list_extra_args()
        args.page = min(max(args.page or 0, 0), MAX_PAGE)
        return args

    def _apply_sorting(self, query, joins, sort_column, sort_desc):
        """Every order ends with the key. Rows of equal sort values (one environment's name, one
        producer's HSA-id) otherwise come in whatever order the database picks for each query, which
        may differ from one page to the next: a row could show on two pages and another on none. A list
        with no sort order of its own is ordered by the key alone."""
        query, joins = super()._apply_sorting(query, joins, sort_column, sort_desc)
        key = self._single_key()
        if key is None:
            return query, joins
        if sort_column is not None:
            last_field, descending = None, sort_desc
        else:
            order = list(self._get_default_order())
            last_field, descending = (order[-1][0], order[-1][2]) if order else (None, False)
        if last_field is key:
            return query, joins
        # The key runs the same way as the sort before it, so an index on (column, key) serves both.
        return query.order_by(key.desc() if descending else key), joins

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        """A deep page (OFFSET in the tens of thousands) walks every skipped row; with the list's joins
        (environment, system, organisation, …) PostgreSQL joins them all before skipping. So a deep page
        walks only the keys – through the sort order's index where there is one – and reads and joins the
        50 rows it shows by their keys (a "deferred join"). Same filters, same order, same rows."""
        count, query = super().get_list(page, sort_column, sort_desc, search, filters, execute=False,
                                        page_size=page_size)
        size = self.page_size if page_size is None else page_size
        if not execute:
            return count, query
        key = self._single_key()
        if key is None or not size or (page or 0) * size < DEFERRED_JOIN_OFFSET:
            return count, query.all()
        keys = [row[0] for row in query.with_entities(key)]
        position = {value: index for index, value in enumerate(keys)}
        rows = query.limit(None).offset(None).filter(key.in_(keys)).all() if keys else []
        return count, sorted(rows, key=lambda row: position[getattr(row, key.key)])

    def _single_key(self):
        """The model's primary-key column, or None for a composite key (no register has one)."""
        return None if isinstance(self._primary_key, tuple) else getattr(self.model, self._primary_key)

    def get_one(self, id):
        # ?id= from a hand-edited URL; PostgreSQL refuses to compare a number beyond INTEGER.
        return super().get_one(id) if database_ids([id]) else None

    def handle_action(self, return_view=None):
        selected = request.form.getlist("rowid")
        if len(database_ids(selected)) != len(selected):
            flash("De valda posterna finns inte.", "error")
            return redirect(self.get_url(".index_view"))
        return super().handle_action(return_view)

    # Flask-Admin's bundled Swedish names a row's icons "Vy-post" and "Redigera post"; its catalogue
    # wins over ours, so the titles – the icons' only names – are set here.
    ROW_ACTION_TITLES = {template.ViewRowAction: "Visa", template.ViewPopupRowAction: "Visa",
                         template.EditRowAction: "Redigera", template.EditPopupRowAction: "Redigera",
                         template.DeleteRowAction: "Ta bort"}

    def get_list_row_actions(self):
        actions = super().get_list_row_actions()
        for row_action in actions:
            row_action.title = self.ROW_ACTION_TITLES.get(type(row_action), row_action.title)
        return actions

    @action(*ModelView.action_delete._action)
    def action_delete(self, ids):
        # Ta bort valda: the posted ids as numbers – PostgreSQL compares an INTEGER key with text only
        # by refusing ("operator does not exist: integer = character varying").
        return super().action_delete(database_ids(ids))

    def get_edit_form(self):
        """The edit form remembers which version of the row it showed (see update_model)."""
        form_class = super().get_edit_form()
        if not hasattr(self.model, "version"):
            return form_class
        return type(form_class.__name__, (form_class,), {"version_seen": HiddenField()})

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if obj is not None and hasattr(form, "version_seen") and not form.version_seen.data:
            form.version_seen.data = str(obj.version)
        return form

    def update_model(self, form, model):
        """Refuse an edit made on an older version than the row has now; nothing is overwritten."""
        seen = form.version_seen.data if hasattr(form, "version_seen") else None
        if seen and seen != str(model.version):
            flash(STALE_MESSAGE, "error")
            return False
        if hasattr(form, "version_seen"):
            del form["version_seen"]  # not a column: populate_obj must not copy it onto the model
        return super().update_model(form, model)

    def handle_view_exception(self, exc):
        if isinstance(exc, StaleDataError):  # changed between our check and our write
            flash(STALE_MESSAGE, "error")
            return True
        return super().handle_view_exception(exc)


class ReadOnlyView(ProtectedModelView):
    """A list to read and filter, never to edit here (change log, outbox, order queue)."""

    can_create = can_edit = can_delete = False


class ProtectedIndexView(AccessMixin, AdminIndexView):
    """The start page: every logged-in user."""
