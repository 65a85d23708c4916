"""Access control shared by every view: one rule – the user's role must reach the view's."""
from flask import abort
from flask_admin import AdminIndexView, BaseView
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user

from extensions import login_manager
from models import CUSTOMER_SERVICE, ORDERER


def may_open(required_role):
    return current_user.is_authenticated and current_user.has_role(required_role)


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


class ProtectedModelView(AccessMixin, ModelView):
    """A register; customer service and administrators edit it. List defaults every register shares."""

    required_role = CUSTOMER_SERVICE
    page_size = 50
    can_set_page_size = False  # its menu is not translated by Flask-Admin ("20 items")
    named_filter_urls = True
    can_view_details = True
    details_modal = edit_modal = create_modal = False


class ReadOnlyView(ProtectedModelView):
    """A list to read and filter, never to edit here (change log, outbox, order queue)."""

    can_create = can_edit = can_delete = False


class ProtectedIndexView(AccessMixin, AdminIndexView):
    """The start page: every logged-in user."""
