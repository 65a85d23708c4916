"""Flask-Admin's private names this tool relies on (admin_views/flask_admin_private.py) are still
there, with the parameters our overrides expect – checked against the installed Flask-Admin, so an
upgrade that renames one fails here rather than in a list page."""
import inspect

import pytest
from flask_admin import BaseView
from flask_admin.contrib.sqla import ModelView

import admin_views
from admin_views.flask_admin_private import OVERRIDDEN, READ


@pytest.mark.parametrize("owner, name, parameters", OVERRIDDEN + READ, ids=lambda value: getattr(value, "__name__", None))
def test_a_relied_on_private_name_is_still_there(app, owner, name, parameters):
    if parameters is None:  # an attribute set on an instance: look at a registered view or the Admin
        instances = [view for view in app.extensions["admin"][0]._views if isinstance(view, owner)] or [
            app.extensions["admin"][0]]
        assert any(hasattr(instance, name) for instance in instances), f"{owner.__name__}.{name} finns inte längre"
        return
    method = getattr(owner, name, None)
    assert method is not None, f"{owner.__name__}.{name} finns inte längre"
    assert list(inspect.signature(method).parameters) == parameters, f"{owner.__name__}.{name} har nya parametrar"


def test_delete_action_keeps_its_registration():
    assert ModelView.action_delete._action[0] == "delete"


def _our_view_classes():
    seen, pending = set(), [BaseView]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                pending.append(subclass)
    return [cls for cls in seen if cls.__module__.startswith(admin_views.__name__)]


def test_every_private_override_is_listed():
    """A new override of a Flask-Admin private method must be added to the table (and so be pinned)."""
    listed = {name for _, name, _ in OVERRIDDEN}
    flask_admin_names = {name for cls in (ModelView, BaseView) for name in dir(cls)
                         if name.startswith("_") and not name.startswith("__")}
    found = {(cls.__name__, name) for cls in _our_view_classes() for name, value in vars(cls).items()
             if inspect.isfunction(value) and name in flask_admin_names and name not in listed}
    assert not found, f"lägg till i admin_views/flask_admin_private.py: {sorted(found)}"
