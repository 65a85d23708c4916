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
    """A register; customer service and administrators edit it."""

    required_role = CUSTOMER_SERVICE


class ProtectedIndexView(AccessMixin, AdminIndexView):
    """The start page: every logged-in user."""
