"""Uppföljning → Katalogkvalitet: each environment's catalogue health report, each finding's rows
(paged, CSV) and the register filtered to them. The definitions live in ordering/catalog_health.py."""
import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from clock import as_utc, swedish_today
from extensions import db
from forms.catalog_health import MAX_ROWS, CleanupForm
from models import (
    CUSTOMER_SERVICE,
    CallAuthorization,
    CatalogHealth,
    Environment,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    SystemInstance,
)
from ordering import catalog_health as health
from ordering import stored_orders
from web_input import database_int

from .access import ProtectedView
from .export import csv_response

PAGE_SIZE = 50


def _valid(row):
    return [row.valid_from, row.valid_to]


# Per register: its list's endpoint and the columns a finding's rows are shown with.
REGISTERS = {
    CallAuthorization: ("callauthorization", ["Tjänstekonsument", "Tjänstekontrakt", "Logisk adressat",
                                              "Giltig från", "Giltig till"],
                        lambda r: [r.consumer.hsa_id, r.contract.namespace, r.logical_address.hsa_id, *_valid(r)]),
    ProducerConnection: ("producerconnection", ["Tjänsteproducent", "Tjänstekontrakt", "Logisk adressat", "URL",
                                                "Giltig från", "Giltig till"],
                         lambda r: [r.producer.hsa_id, r.contract.namespace, r.logical_address.hsa_id, r.url,
                                    *_valid(r)]),
    LogicalAddress: ("logicaladdress", ["HSA-id", "Namn"], lambda r: [r.hsa_id, r.name]),
    InstalledContract: ("installedcontract", ["Tjänstekontrakt", "Miljö"],
                        lambda r: [r.contract.namespace, r.environment.display]),
    SystemInstance: ("systeminstance", ["HSA-id", "Beskrivning"], lambda r: [r.hsa_id, r.description]),
}


def register_link(finding, environment):
    """The register's list filtered to the finding's rows (and to the environment, where it has one)."""
    endpoint = REGISTERS[finding.model][0]
    arguments = {"flt0_katalogkvalitet_r": finding.key}
    if not finding.all_environments and finding.model is not LogicalAddress:
        arguments["flt1_milj_equals"] = environment.id
    return url_for(f"{endpoint}.index_view", **arguments)


def _default_environment(environments):
    """The environment a person most likely came for: the one imported last, else PROD."""
    active = [e for e in environments if e.active] or list(environments)
    imported = [e for e in active if e.imported_at is not None]
    if imported:
        return max(imported, key=lambda e: (as_utc(e.imported_at), e.id))
    return next((e for e in active if e.name.upper() == "PROD"), active[0] if active else None)


class CatalogHealthView(ProtectedView):
    required_role = CUSTOMER_SERVICE

    def _environments(self):
        return db.session.scalars(sa.select(Environment).order_by(Environment.platform, Environment.name)).all()

    @staticmethod
    def _environment(environment_id):
        environment = db.session.get(Environment, environment_id)
        if environment is None:
            abort(404)
        return environment

    @staticmethod
    def _finding(key):
        finding = health.FINDINGS_BY_KEY.get(key)
        if finding is None:
            abort(404)
        return finding

    @expose("/")
    def index(self):
        environments = self._environments()
        try:
            wanted = database_int(request.args.get("miljo", ""))
        except ValueError:
            wanted = None
        chosen = next((e for e in environments if e.id == wanted), None) or _default_environment(environments)
        kept = db.session.get(CatalogHealth, chosen.id) if chosen else None
        return self.render("health/report.html", environments=environments, environment=chosen, kept=kept,
                           findings=health.FINDINGS, register_link=register_link)

    @expose("/<int:environment_id>/berakna", methods=("POST",))
    def compute(self, environment_id):
        environment = self._environment(environment_id)
        health.record(environment)
        flash(f"Katalogkvaliteten för {environment.display} är beräknad.", "success")
        return redirect(url_for(".index", miljo=environment.id))

    @expose("/<int:environment_id>/<key>")
    def rows(self, environment_id, key):
        environment, finding = self._environment(environment_id), self._finding(key)
        try:
            page = max(1, min(database_int(request.args.get("sida", "1")), 100_000))
        except ValueError:
            page = 1
        day = swedish_today()
        rows = health.finding_rows(finding, environment.id, day, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        _, titles, values = REGISTERS[finding.model]
        return self.render("health/rows.html", environment=environment, finding=finding, titles=titles,
                           rows=[(row.id, values(row)) for row in rows[:PAGE_SIZE]], page=page,
                           more=len(rows) > PAGE_SIZE, day=day, register_link=register_link(finding, environment))

    @expose("/<int:environment_id>/<key>/stada", methods=("POST",))
    def cleanup(self, environment_id, key):
        """Skapa städbeställning: a draft removing the chosen rows (or all) of the finding."""
        environment, finding = self._environment(environment_id), self._finding(key)
        if not finding.cleanable:
            abort(404)
        back = url_for(".rows", environment_id=environment.id, key=finding.key)
        form = CleanupForm(request.form)
        if not form.validate():
            flash(form.problem, "error")
            return redirect(back)
        ids = health.chosen_rows(finding, environment.id, swedish_today(), None if form.everything else form.ids)
        if not ids:
            flash("Ingen av de valda raderna finns kvar bland fyndets rader.", "error")
            return redirect(back)
        if len(ids) > MAX_ROWS:
            flash(f"Fyndet har {len(ids)} rader; en städbeställning tar högst {MAX_ROWS}. Välj rader.", "error")
            return redirect(back)
        try:
            draft = stored_orders.create_cleanup(finding, environment, current_user, ids)
        except stored_orders.NotPossible as error:
            flash(str(error), "error")
            return redirect(back)
        flash(f"Utkastet {draft.display_number} tar bort {len(ids)} rader. Granska det innan du beställer.",
              "success")
        return redirect(url_for("cleanup.step", number=draft.number, step=draft.step))

    @expose("/<int:environment_id>/<key>.csv")
    def csv(self, environment_id, key):
        environment, finding = self._environment(environment_id), self._finding(key)
        _, titles, values = REGISTERS[finding.model]
        rows = health.finding_rows(finding, environment.id, swedish_today())
        return csv_response(titles, (values(row) for row in rows),
                            f"katalogkvalitet-{environment.tak_code}-{finding.key}.csv")
