"""Administrera tjänsteproducent: contracts, addressees, RIVTA profile and URL, consumers."""
from flask import request
from flask_admin import expose

from forms.orders import AddressesForm, ConsumersForm, ContractsForm, SettingsForm, profile_names
from models.order_content import ADD, REMOVE, SEPARATE, TOGETHER
from models.orders import PRODUCER
from ordering import order_flow as flow
from ordering import orders
from ordering import producer_order as po

from .order_flow import OrderFlowView, Step

REMOVAL_SKIPS = {"url", "konsumenter"}  # removing addressees needs neither URL nor consumers


class ProducerOrderView(OrderFlowView):
    """Administrera tjänsteproducent: contracts, addressees, URL and profile, consumers."""

    KIND = PRODUCER
    TITLE = "Beställa anslutning för en tjänsteproducent"
    INSTANCE_LABEL = "Ange tjänsteproducent"
    ROLE = "tjänsteproducent"

    def steps_for(self, order):
        removing = order is not None and order.choices.removing
        return [each for each in self.STEPS if not (removing and each.key in REMOVAL_SKIPS)]

    # --- step 2: contracts --------------------------------------------------------------------------

    def _contracts_step(self, order, step):
        errors = {}
        if request.method == "POST":
            form = ContractsForm(request.form, order.environment_id)
            if form.validate():
                chosen = po.chosen_contracts(form.contracts, order.choices.contracts)
                orders.save_draft(order, step=step, content={"contracts": chosen})
                return self._after_save(order, step)
            errors = {"contracts": form.errors_by_name.get("contract_ids")}
        return self._page(order, step, "producer/contracts.html", errors=errors,
                          domains=flow.domains_in(order.environment_id), domain_label=flow.domain_label)

    # --- step 3: addressees to add or remove ---------------------------------------------------------

    def _addresses_step(self, order, step):
        if request.method != "POST":
            return self._addresses_page(order, step, {}, [], kept={})
        form = AddressesForm(request.form, removable=lambda: po.removable_addresses(order)[0])
        valid = form.validate()
        mode = REMOVE if form.removal_mode else ADD
        if form.list_problems:  # a list no page of ours posts: refused whole, the saved one stays
            return self._addresses_page(order, step, form.errors_by_name, form.list_problems + form.problems,
                                        kept={"new_hsa_id": form.new_hsa_id.data, "new_name": form.new_name.data,
                                              "pasted": form.pasted.data})
        # Only checked values are saved; what failed stays on the page, nothing typed is lost.
        orders.save_draft(order, step=step,
                          content={"mode": mode, "add_addresses": form.adding, "remove_addresses": form.removing})
        if form.move == "autosave":
            return "", 204
        if valid and not form.action.data:  # Nästa, Tillbaka, Spara (a typed addressee included)
            return self._after_save(order, step)
        # Lägg till, Klistra in, or a fault: the page again, with what failed still in its field.
        kept = {"new_hsa_id": "" if form.new_added else form.new_hsa_id.data,
                "new_name": "" if form.new_added else form.new_name.data,
                "pasted": "" if form.pasted_added else form.pasted.data}
        return self._addresses_page(order, step, form.errors_by_name, form.problems, kept=kept)

    def _addresses_page(self, order, step, errors, problems, kept):
        adding = order.choices.add_addresses
        # The addressees to remove are worked out only when removing: for ten contracts of a large
        # domain that is a count over 40,000 connections the adding orderer never looks at.
        removable, notes = po.removable_addresses(order) if order.choices.removing else (None, [])
        return self._page(order, step, "producer/addresses.html", errors=errors, problems=problems,
                          kept=kept, warnings=po.already_connected(order, adding), removable=removable,
                          removal_notes=notes, removing={a["hsa_id"].lower() for a in
                                                         order.choices.remove_addresses})

    # --- step 4: RIVTA profile and URL per contract ---------------------------------------------------

    def _settings_step(self, order, step):
        current = po.current_settings(order)
        contracts = [dict(entry) for entry in order.choices.contracts]
        for entry in contracts:  # prefill from the live connection
            url, profile = current.get(entry["id"], ("", ""))
            entry.setdefault("previous_url", url)
            entry.setdefault("previous_profile", profile)
            entry["url"] = entry.get("url") or url
            entry["profile"] = entry.get("profile") or profile
        errors = {}
        if request.method == "POST":
            form = SettingsForm(request.form, contracts)
            valid = form.validate()
            orders.save_draft(order, step=step, content={"contracts": form.saved_contracts()})
            if valid or form.lenient:
                return self._after_save(order, step)
            errors = form.errors_by_name
            # The page shows what was typed, with its error; the draft keeps the last valid value.
            contracts = [{**entry, **form.values.get(entry["id"], {})} for entry in contracts]
        return self._page(order, step, "producer/settings.html", contracts=contracts, errors=errors,
                          profiles=profile_names())

    # --- step 5: consumers on the new addressees ----------------------------------------------------

    def _consumers_step(self, order, step):
        errors = {}
        if request.method == "POST":
            form = ConsumersForm(request.form, order.environment_id)
            if form.validate():
                orders.save_draft(order, step=step, content={
                    "consumer_choice": TOGETHER if form.together else SEPARATE, "consumers": form.consumers})
                return self._after_save(order, step)
            errors = {"consumers": form.errors_by_name.get("consumer_ids")}
        return self._page(order, step, "producer/consumers.html", errors=errors)

    @expose("/<int:number>/doman/<int:domain_id>")
    def domain_contracts(self, number, domain_id):
        order = self._draft(number)
        return {"results": [{"id": c.id, "name": c.name, "major": c.major, "domain": c.domain.namespace,
                             "status": status, "status_text": po.STATUS_TEXT[status]}
                            for c, status in po.domain_contracts(order.environment_id, order.system_instance_id,
                                                                 domain_id)]}

    @expose("/<int:number>/redan-ansluten")
    def already_connected(self, number):
        """When an addressee is picked: the chosen contracts the producer already answers it for."""
        order = self._draft(number)
        hsa_id = request.args.get("hsa", "").strip()[:255]
        connected = po.already_connected(order, [{"hsa_id": hsa_id}]) if hsa_id else {}
        return {"contracts": connected.get(hsa_id.lower(), [])}

    @expose("/sok/adressat")
    def search_addresses(self):
        return {"results": [{"id": a.hsa_id, "label": f"{a.name} - {a.hsa_id}" if a.name else a.hsa_id,
                             "hsa_id": a.hsa_id, "name": a.name}
                            for a in po.search_addresses(request.args.get("q", ""))]}

    @expose("/<int:number>/sok/konsument")
    def search_consumers(self, number):
        order = self._draft(number)
        return {"results": [{"id": instance.id, "label": str(instance)}
                            for instance, connected in flow.search_instances_in(order.environment_id,
                                                                              request.args.get("q", ""))
                            if connected]}

    STEPS = [
        Step("miljo", "Miljö och tjänsteproducent", OrderFlowView._environment_step),
        Step("kontrakt", "Tjänstekontrakt", _contracts_step),
        Step("adressater", "Logiska adressater", _addresses_step),
        Step("url", "RIVTA-profil och URL", _settings_step),
        Step("konsumenter", "Adresseringsbehörighet", _consumers_step),
        Step("bestallare", "Övrig information och beställare", OrderFlowView._orderer_step),
        Step("sammanfattning", "Sammanfattning", OrderFlowView._summary_step),
    ]
