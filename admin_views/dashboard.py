"""The start page: the manual's introduction and menu choices; for customer service also, per
environment, what the catalog mirror holds and when it was imported.

Counting a national catalog's live rows takes a few hundred milliseconds however it is indexed,
so the figures are a page of their own that the start page fetches after it is shown."""

import sqlalchemy as sa
from flask import current_app, url_for
from flask_admin import expose
from flask_login import current_user

from clock import swedish_today
from extensions import db
from models import (
    CUSTOMER_SERVICE,
    CallAuthorization,
    Environment,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
)
from models.catalog import live_on, rows_in_environment
from ordering.work_overview import work_overview

from .access import ProtectedIndexView, ProtectedView


def environment_figures(today=None):
    """Per environment what the mirror holds today; each count is one scan of a covering index."""
    today = today or swedish_today()
    rows = []
    for environment in db.session.scalars(sa.select(Environment).order_by(Environment.platform, Environment.name)):
        connections, addresses = db.session.execute(
            sa.select(sa.func.count(), sa.func.count(sa.distinct(ProducerConnection.logical_address_id)))
            .where(ProducerConnection.environment_id == environment.id, live_on(ProducerConnection, today))
        ).one()
        rows.append({
            "environment": environment,
            "installed_contracts": rows_in_environment(InstalledContract, environment.id),
            "logical_addresses": addresses,
            "producer_connections": connections,
            "call_authorizations": rows_in_environment(CallAuthorization, environment.id, today),
        })
    return rows


# The manual's menu choices, each with the endpoint that serves it (once that flow exists).
MENU_CHOICES = [
    ("Administrera systeminformation", "systeminfo.index",
     "Verifiera och uppdatera information om befintligt system och dess kontaktuppgifter, eller registrera ett nytt."),
    ("Administrera tjänsteproducent", "producer.index",
     "Ny eller uppdaterad tjänsteproducentanslutning (etablera samverkan, nya logiska adressater), "
     "eller ta bort logiska adressater."),
    ("Administrera tjänstekonsument", "consumer.index",
     "Anropsbehörighet för en tjänstekonsument till befintliga logiska adressater, eller ta bort anropsbehörighet."),
    ("Lägg till organisation eller systemnamn", "directory.index",
     "När organisationen eller systemets produktnamn saknas i listorna."),
    ("Mina beställningar", "orders.index", "Dina utkast och skickade beställningar."),
]


def menu_choices():
    return [{"title": title, "text": text,
             "url": url_for(endpoint) if endpoint in current_app.view_functions else None}
            for title, endpoint, text in MENU_CHOICES]


class DashboardView(ProtectedIndexView):
    @expose("/")
    def index(self):
        officer = current_user.has_role(CUSTOMER_SERVICE)
        return self.render("admin/dashboard.html", choices=menu_choices(), show_figures=officer,
                           overview=work_overview(current_app.config.get("TAK_SYNC_ENVIRONMENTS")) if officer else None)


class EnvironmentFiguresView(ProtectedView):
    required_role = CUSTOMER_SERVICE

    def is_visible(self):
        return False

    @expose("/")
    def index(self):
        return self.render(
            "admin/environment_figures.html", figures=environment_figures(),
            address_total=db.session.scalar(sa.select(sa.func.count()).select_from(LogicalAddress)),
        )
