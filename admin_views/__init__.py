"""Flask-Admin: the dashboard and the master-data registers."""
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from extensions import db

from .dashboard import DashboardView
from .formatting import swedish_time
from .master_data import MASTER_DATA_VIEWS


def init_admin(app):
    app.add_template_filter(swedish_time)
    admin = Admin(
        app,
        name="Beställningsstöd",
        url="/admin",
        index_view=DashboardView(name="Översikt", url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/base_bs.html", fluid=True),
    )
    for view_class, model, name, category in MASTER_DATA_VIEWS:
        admin.add_view(view_class(model, db, name=name, category=category))
    return admin
