"""The admin index: per environment, what the catalog mirror holds and when it was imported."""
import datetime as dt

import sqlalchemy as sa
from flask_admin import expose

from extensions import db
from ordering.catalog import live_on
from models import CallAuthorization, Environment, InstalledContract, LogicalAddress, ProducerConnection

from .access import ProtectedIndexView


def environment_figures(today=None):
    today = today or dt.date.today()
    rows = []
    for environment in db.session.scalars(sa.select(Environment).order_by(Environment.platform, Environment.name)):
        rows.append({
            "environment": environment,
            "installed_contracts": _count(InstalledContract, environment),
            "logical_addresses": db.session.scalar(
                sa.select(sa.func.count(sa.distinct(ProducerConnection.logical_address_id)))
                .where(ProducerConnection.environment_id == environment.id, live_on(ProducerConnection, today))
            ),
            "producer_connections": _count(ProducerConnection, environment, today),
            "call_authorizations": _count(CallAuthorization, environment, today),
        })
    return rows


def _count(model, environment, today=None):
    query = sa.select(sa.func.count()).select_from(model).where(model.environment_id == environment.id)
    if today is not None:
        query = query.where(live_on(model, today))
    return db.session.scalar(query)


class DashboardView(ProtectedIndexView):
    @expose("/")
    def index(self):
        return self.render("admin/dashboard.html", figures=environment_figures(),
                           address_total=db.session.scalar(sa.select(sa.func.count()).select_from(LogicalAddress)))
