"""Administrera tjänstekonsument: call authorisations through the addressee × contract matrix."""
import json

from flask import abort, request
from flask_admin import expose

from models.orders import CONSUMER
from ordering import consumer_order as co
from ordering import orders
from ordering import producer_order as po
from web_input import DATABASE_INT

from .producer_order import OrderFlowView

STEPS = [
    ("miljo", "Miljö och tjänstekonsument"),
    ("matris", "Tjänstekontrakt och logiska adressater"),
    ("bestallare", "Övrig information och beställare"),
    ("sammanfattning", "Sammanfattning"),
]
HANDLERS = {"miljo": "_environment_step", "matris": "_matrix_step", "bestallare": "_orderer_step",
            "sammanfattning": "_summary_step"}


class ConsumerOrderView(OrderFlowView):
    KIND = CONSUMER
    TITLE = "Beställa adresseringsbehörighet för en tjänstekonsument"
    INSTANCE_LABEL = "Ange tjänstekonsument"
    STEPS = STEPS
    HANDLERS = HANDLERS
    INITIAL_CONTENT = {"cells": {"add": [], "remove": []}, "contracts": []}

    def _matrix_step(self, order):
        if request.method == "POST":
            try:
                changes = json.loads(request.form.get("changes") or "[]")
                valid = all(len(change) == 4 and str(change[0]).isdigit() and int(change[0]) <= DATABASE_INT
                            for change in changes)
            except (ValueError, TypeError):
                valid = False
            if not valid:
                abort(400)
            orders.save_draft(order, step="matris", content=co.save_cells(order, changes))
            return self._after_save(order, "matris")
        return self._page(order, "matris", "consumer/matrix.html", domains=po.domains_in(order.environment_id),
                          domain_label=po.domain_label)

    @expose("/<int:number>/matris/<int:domain_id>")
    def matrix_data(self, number, domain_id):
        order = self._draft(number)
        data = co.matrix(order.environment_id, order.system_instance_id, domain_id)
        cells = order.content.get("cells", {})
        data["pending"] = ([[c, h, True] for c, h in cells.get("add", [])]
                           + [[c, h, False] for c, h in cells.get("remove", [])])
        return data
