"""Administrera tjänstekonsument: call authorisations through the addressee × contract matrix."""
from flask import request
from flask_admin import expose

from forms.orders import MalformedRequest, parse_matrix_changes, resolve_matrix_changes
from models.orders import CONSUMER
from ordering import consumer_order as co
from ordering import order_flow as flow
from ordering import orders
from web_input import RefusedInput

from .order_flow import OrderFlowView, Step


class ConsumerOrderView(OrderFlowView):
    KIND = CONSUMER
    TITLE = "Beställa adresseringsbehörighet för en tjänstekonsument"
    INSTANCE_LABEL = "Ange tjänstekonsument"
    ROLE = "tjänstekonsument"

    def _matrix_step(self, order, step):
        if request.method == "POST":
            try:
                posted = parse_matrix_changes(request.form.get("changes"))
            except MalformedRequest as error:
                raise RefusedInput(str(error)) from None
            changes, problems = resolve_matrix_changes(posted, order.environment_id, order.system_instance_id)
            if problems:
                raise RefusedInput("Ändringarna sparades inte: " + " ".join(problems[:5]))
            orders.save_draft(order, step=step, content=co.save_cells(order, changes))
            return self._after_save(order, step)
        domains = flow.domains_in(order.environment_id)
        cells = order.choices.cells
        # A reopened draft opens at the domain of its changes, with them counted at once.
        pending_domains = {entry.get("domain") for entry in order.choices.contracts}
        chosen = next((domain.id for domain in domains if domain.namespace in pending_domains), None)
        return self._page(order, step, "consumer/matrix.html", domains=domains, domain_label=flow.domain_label,
                          chosen_domain=chosen, pending_added=len(cells["add"]),
                          pending_removed=len(cells["remove"]))

    @expose("/<int:number>/matris/<int:domain_id>")
    def matrix_data(self, number, domain_id):
        order = self._draft(number)
        data = co.matrix(order.environment_id, order.system_instance_id, domain_id)
        cells = order.choices.cells
        data["pending"] = [[c, h, True] for c, h in cells["add"]] + [[c, h, False] for c, h in cells["remove"]]
        return data

    STEPS = [
        Step("miljo", "Miljö och tjänstekonsument", OrderFlowView._environment_step),
        Step("matris", "Tjänstekontrakt och logiska adressater", _matrix_step),
        Step("bestallare", "Övrig information och beställare", OrderFlowView._orderer_step),
        Step("sammanfattning", "Sammanfattning", OrderFlowView._summary_step),
    ]
