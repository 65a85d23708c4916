"""Administrera tjänsteproducent: the producer order, step by step, every step saved to a draft."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from forms.orders import (
    AddressesForm,
    ConsumersForm,
    ContractsForm,
    EnvironmentStepForm,
    OrdererForm,
    SettingsForm,
    profile_names,
)
from models.orders import DRAFT, PRODUCER
from ordering import lifecycle, orders
from ordering import order_kinds as kinds
from ordering import producer_order as po
from ordering.catalog import orderable_environments
from web_input import database_int

from .access import ProtectedView
from .links import public_url

STEPS = [
    ("miljo", "Miljö och tjänsteproducent"),
    ("kontrakt", "Tjänstekontrakt"),
    ("adressater", "Logiska adressater"),
    ("url", "RIVTA-profil och URL"),
    ("konsumenter", "Adresseringsbehörighet"),
    ("bestallare", "Övrig information och beställare"),
    ("sammanfattning", "Sammanfattning"),
]
HANDLERS = {"miljo": "_environment_step", "kontrakt": "_contracts_step", "adressater": "_addresses_step",
            "url": "_settings_step", "konsumenter": "_consumers_step", "bestallare": "_orderer_step",
            "sammanfattning": "_summary_step"}
REMOVAL_SKIPS = {"url", "konsumenter"}  # removing addressees needs neither URL nor consumers


class OrderFlowView(ProtectedView):
    """The steps every order shares: miljö and system (creating the draft), beställare, summary
    and Beställ, drafts saved at every step. Each kind adds its own steps between."""

    KIND = None
    TITLE = INSTANCE_LABEL = ROLE = ""
    STEPS, HANDLERS, INITIAL_CONTENT = [], {}, {}

    def steps_for(self, order):
        return self.STEPS

    def neighbour(self, order, step, offset):
        keys = [key for key, _ in self.steps_for(order)]
        index = keys.index(step) + offset
        return keys[max(0, min(index, len(keys) - 1))]

    # --- step 1: environment, date, the producer or consumer (creates the draft) --------------------

    @expose("/", methods=("GET", "POST"))
    def index(self):
        return self._environment_step(None)

    @expose("/<int:number>/<step>", methods=("GET", "POST"))
    def step(self, number, step):
        order = self._draft(number)
        if step not in dict(self.steps_for(order)):
            abort(404)
        return getattr(self, self.HANDLERS[step])(order)

    def _draft(self, number):
        order = orders.own_order(number, current_user)
        if order is None or order.kind != self.KIND:
            abort(404)
        if order.status != DRAFT:  # sent orders are read-only
            abort(redirect(url_for("orders.details", number=number)))
        return order

    def _page(self, order, step, template, **context):
        return self.render(template, order=order, step=step, steps=self.steps_for(order), flow_title=self.TITLE,
                           **context)

    def _after_save(self, order, step):
        go = request.form.get("go", "next")
        if go == "autosave":  # the page saved itself after a change; the user stays on it
            return "", 204
        if go == "save":
            flash(f"Utkastet {order.display_number} är sparat. Du hittar det under Mina beställningar.", "success")
            return redirect(url_for(".step", number=order.number, step=step))
        target = self.neighbour(order, step, -1 if go == "back" else 1)
        return redirect(url_for(".step", number=order.number, step=target))

    def _environment_step(self, order):
        environments = orderable_environments(also=[order.environment_id] if order else [])
        values = {"environment_id": order.environment_id if order else None,
                  "change_date": order.change_date.isoformat() if order and order.change_date else "",
                  "producer": order.system_instance if order else None}
        errors = {}
        if request.method == "POST":
            form = EnvironmentStepForm(request.form, environments, self.ROLE)
            valid = form.validate()
            values = {"environment_id": form.environment.id if form.environment else None,
                      "change_date": form.change_date.data or "", "producer": form.instance}
            errors = form.errors_by_name
            if valid:
                fields = dict(environment_id=form.environment.id, change_date=form.date,
                              system_instance_id=form.instance.id)
                if order is None:
                    order = orders.create_draft(self.KIND, current_user, step="miljo", **fields)
                    orders.save_draft(order, content=dict(self.INITIAL_CONTENT),
                                      orderer_name=current_user.name or "", orderer_email=current_user.email or "",
                                      orderer_phone=current_user.phone or "")
                else:
                    if form.environment.id != order.environment_id or form.instance.id != order.system_instance_id:
                        # Contracts and addressees belong to one environment and producer.
                        orders.save_draft(order, content={"contracts": [], "add_addresses": [], "cells": {},
                                                          "remove_addresses": [], "consumers": []})
                    orders.save_draft(order, step="miljo", **fields)
                return self._after_save(order, "miljo")
        return self._page(order, "miljo", "producer/environment.html", environments=environments, values=values,
                          errors=errors, instance_label=self.INSTANCE_LABEL,
                          search_url=url_for(".search_instances"))

    # --- step 6: övrig information and Beställare ----------------------------------------------------

    def _orderer_step(self, order):
        if request.method == "POST":
            form = OrdererForm(request.form)
            valid = form.validate()
            # What fits is saved; an overlong value stays on the page with its error, unsaved.
            orders.save_draft(order, step="bestallare", **form.savable())
            if valid or (form.lenient and form.only_missing) or form.move == "autosave":
                return self._after_save(order, "bestallare")
            return self._page(order, "bestallare", "producer/orderer.html", errors=form.errors_by_name,
                              values=form.values())
        return self._page(order, "bestallare", "producer/orderer.html", errors={}, values={})

    # --- step 7: summary, print, send ------------------------------------------------------------

    def _summary_step(self, order):
        changes = kinds.change_set(order)
        orders.save_draft(order, step="sammanfattning")
        return self._page(order, "sammanfattning", "producer/summary.html", summary=kinds.summary(order, changes),
                          problems=kinds.send_problems(order, changes))

    @expose("/<int:number>/bestall", methods=("POST",))
    def send(self, number):
        order = orders.own_order(number, current_user)
        if order is None or order.kind != self.KIND:
            abort(404)
        if order.status == DRAFT:
            problems = kinds.send_problems(order)
            if problems:
                for problem in problems:
                    flash(problem, "error")
                return redirect(url_for(".step", number=number, step="sammanfattning"))
            lifecycle.submit(order, current_user, public_url("orders.details", number=order.number),
                             public_url("casework.page", number=order.number))
        # Sent now or by an earlier click of the same button: either way the same confirmation.
        return redirect(url_for("orders.sent", number=number))

    # --- searches while typing ----------------------------------------------------------------

    @expose("/sok/system")
    def search_instances(self):
        """The order's system: instances connected to the chosen environment first."""
        environment_id = request.args.get("miljo", type=database_int)
        results = []
        for instance, connected in po.search_instances_in(environment_id, request.args.get("q", "")):
            results.append({"id": instance.id, "label": str(instance) + ("" if connected else " (ej ansluten till miljön)"),
                            "connected": connected})
        return {"results": results}

    @expose("/<int:number>/sok/kontrakt")
    def search_contracts(self, number):
        order = self._draft(number)
        return {"results": [{"id": c.id, "label": f"{po.contract_label(c)} – {po.domain_label(c.domain)}",
                             "name": c.name, "major": c.major, "domain": c.domain.namespace,
                             "domain_id": c.domain_id}
                            for c in po.search_contracts(order.environment_id, request.args.get("q", ""))]}



class ProducerOrderView(OrderFlowView):
    """Administrera tjänsteproducent: contracts, addressees, URL and profile, consumers."""

    KIND = PRODUCER
    TITLE = "Beställa anslutning för en tjänsteproducent"
    INSTANCE_LABEL = "Ange tjänsteproducent"
    ROLE = "tjänsteproducent"
    STEPS = STEPS
    HANDLERS = HANDLERS
    INITIAL_CONTENT = {"mode": "add", "consumer_choice": "separate"}

    def steps_for(self, order):
        removing = order is not None and (order.content or {}).get("mode") == "remove"
        return [(key, title) for key, title in self.STEPS if not (removing and key in REMOVAL_SKIPS)]

    # --- step 2: contracts --------------------------------------------------------------------------

    def _contracts_step(self, order):
        errors = {}
        if request.method == "POST":
            form = ContractsForm(request.form, order.environment_id)
            if form.validate():
                chosen = po.chosen_contracts(form.contracts, order.content.get("contracts", []))
                orders.save_draft(order, step="kontrakt", content={"contracts": chosen})
                return self._after_save(order, "kontrakt")
            errors = {"contracts": form.errors_by_name.get("contract_ids")}
        return self._page(order, "kontrakt", "producer/contracts.html", errors=errors,
                          domains=po.domains_in(order.environment_id), domain_label=po.domain_label)

    # --- step 3: addressees to add or remove ---------------------------------------------------------

    def _addresses_step(self, order):
        if request.method != "POST":
            return self._addresses_page(order, {}, [], kept={})
        form = AddressesForm(request.form, removable=lambda: po.removable_addresses(order)[0])
        valid = form.validate()
        mode = "remove" if form.removal_mode else "add"
        if form.list_problems:  # a list no page of ours posts: refused whole, the saved one stays
            return self._addresses_page(order, form.errors_by_name, form.list_problems + form.problems,
                                        kept={"new_hsa_id": form.new_hsa_id.data, "new_name": form.new_name.data,
                                              "pasted": form.pasted.data})
        # Only checked values are saved; what failed stays on the page, nothing typed is lost.
        orders.save_draft(order, step="adressater",
                          content={"mode": mode, "add_addresses": form.adding, "remove_addresses": form.removing})
        if form.move == "autosave":
            return "", 204
        if valid and not form.action.data:  # Nästa, Tillbaka, Spara (a typed addressee included)
            return self._after_save(order, "adressater")
        # Lägg till, Klistra in, or a fault: the page again, with what failed still in its field.
        kept = {"new_hsa_id": form.new_hsa_id.data if form.errors else "",
                "new_name": form.new_name.data if form.errors else "",
                "pasted": form.pasted.data if form.problems and form.action.data == "paste" else ""}
        return self._addresses_page(order, form.errors_by_name, form.problems, kept=kept)

    def _addresses_page(self, order, errors, problems, kept):
        adding = order.content.get("add_addresses", [])
        # The addressees to remove are worked out only when removing: for ten contracts of a large
        # domain that is a count over 40,000 connections the adding orderer never looks at.
        removable, notes = po.removable_addresses(order) if order.content.get("mode") == "remove" else (None, [])
        return self._page(order, "adressater", "producer/addresses.html", errors=errors, problems=problems,
                          kept=kept, warnings=po.already_connected(order, adding), removable=removable,
                          removal_notes=notes, removing={a["hsa_id"].lower() for a in
                                                         order.content.get("remove_addresses", [])})

    # --- step 4: RIVTA profile and URL per contract ---------------------------------------------------

    def _settings_step(self, order):
        current = po.current_settings(order)
        contracts = [dict(entry) for entry in order.content.get("contracts", [])]
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
            orders.save_draft(order, step="url", content={"contracts": form.saved_contracts()})
            if valid or form.lenient:
                return self._after_save(order, "url")
            errors = form.errors_by_name
            # The page shows what was typed, with its error; the draft keeps the last valid value.
            contracts = [{**entry, **form.values.get(entry["id"], {})} for entry in contracts]
        return self._page(order, "url", "producer/settings.html", contracts=contracts, errors=errors,
                          profiles=profile_names())

    # --- step 5: consumers on the new addressees ----------------------------------------------------

    def _consumers_step(self, order):
        errors = {}
        if request.method == "POST":
            form = ConsumersForm(request.form, order.environment_id)
            if form.validate():
                orders.save_draft(order, step="konsumenter", content={
                    "consumer_choice": "together" if form.together else "separate", "consumers": form.consumers})
                return self._after_save(order, "konsumenter")
            errors = {"consumers": form.errors_by_name.get("consumer_ids")}
        return self._page(order, "konsumenter", "producer/consumers.html", errors=errors)

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
                            for instance, connected in po.search_instances_in(order.environment_id,
                                                                              request.args.get("q", ""))
                            if connected]}
