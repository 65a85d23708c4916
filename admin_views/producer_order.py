"""Administrera tjänsteproducent: the producer order, step by step, every step saved to a draft."""
import datetime as dt

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from extensions import db
from forms.identifiers import hsa_id_problem, url_problem
from models import Environment, Order, SystemInstance
from models.orders import DRAFT, PRODUCER
from ordering import notifications, orders
from ordering import order_kinds as kinds
from ordering import producer_order as po
from ordering.catalog import orderable_environments
from ordering.tak_json import tak_json_text
from web_input import database_ids, database_int

from .access import ProtectedView

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
# Moves that save what is there without insisting that the step is complete.
LENIENT = ("back", "save", "autosave")
# The columns' own lengths: PostgreSQL refuses longer values.
ORDERER_LIMITS = {name: getattr(Order, name).type.length
                  for name in ("orderer_name", "orderer_phone", "orderer_email", "orderer_role")}


def on_submit(order):
    """In Beställ's transaction: freeze what the order was judged against, queue its mails."""
    kinds.freeze_facts(order)
    changes = kinds.change_set(order)
    notifications.order_submitted(order, kinds.summary(order, changes), tak_json_text(order, changes),
                                  url_for("orders.details", number=order.number, _external=True),
                                  url_for("casework.page", number=order.number, _external=True))


def parse_date(text):
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return "invalid"


def int_list(name):
    return database_ids(request.form.getlist(name))


class OrderFlowView(ProtectedView):
    """The steps every order shares: miljö and system (creating the draft), beställare, summary
    and Beställ, drafts saved at every step. Each kind adds its own steps between."""

    KIND = None
    TITLE = INSTANCE_LABEL = ""
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
        environments = orderable_environments()
        values = {"environment_id": order.environment_id if order else None,
                  "change_date": order.change_date.isoformat() if order and order.change_date else "",
                  "producer": order.system_instance if order else None}
        errors = {}
        if request.method == "POST":
            environment = db.session.get(Environment, request.form.get("environment_id", type=database_int) or 0)
            change_date = parse_date(request.form.get("change_date", "").strip())
            producer = db.session.get(SystemInstance, request.form.get("producer_id", type=database_int) or 0)
            values = {"environment_id": environment.id if environment else None,
                      "change_date": request.form.get("change_date", ""), "producer": producer}
            if environment is None:
                errors["environment_id"] = "Välj miljö."
            if change_date == "invalid":
                errors["change_date"] = "Ange datum som ÅÅÅÅ-MM-DD."
            elif orders.change_date_problem(change_date):
                errors["change_date"] = orders.change_date_problem(change_date)
            if producer is None:
                errors["producer_id"] = "Sök fram och välj tjänsteproducent."
            elif environment is not None and environment not in producer.environments:
                errors["producer_id"] = (f"Systemet är inte anslutet till {environment.display}. Lägg till "
                                         "driftmiljön under Administrera systeminformation först.")
            if not errors:
                fields = dict(environment_id=environment.id, change_date=change_date or None,
                              system_instance_id=producer.id)
                if order is None:
                    order = orders.create_draft(self.KIND, current_user, step="miljo", **fields)
                    orders.save_draft(order, content=dict(self.INITIAL_CONTENT),
                                      orderer_name=current_user.name or "", orderer_email=current_user.email or "",
                                      orderer_phone=current_user.phone or "")
                else:
                    if environment.id != order.environment_id or producer.id != order.system_instance_id:
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
        errors = {}
        if request.method == "POST":
            fields = {name: request.form.get(name, "").strip() for name in (
                "other_info", "orderer_name", "orderer_phone", "orderer_email", "orderer_role")}
            for name, message in (("orderer_name", "Ange namn."), ("orderer_phone", "Ange telefon."),
                                  ("orderer_email", "Ange e-post.")):
                if not fields[name]:
                    errors[name] = message
            if fields["orderer_email"] and "@" not in fields["orderer_email"]:
                errors["orderer_email"] = "Ange en giltig e-postadress."
            too_long = {name: f"Högst {limit} tecken." for name, limit in ORDERER_LIMITS.items()
                        if len(fields[name]) > limit}
            errors.update(too_long)
            # What fits is saved; an overlong value stays on the page with its error, unsaved.
            orders.save_draft(order, step="bestallare", **{k: v for k, v in fields.items() if k not in too_long})
            if not too_long and (not errors or request.form.get("go") in LENIENT):
                return self._after_save(order, "bestallare")
            return self._page(order, "bestallare", "producer/orderer.html", errors=errors, values=fields)
        return self._page(order, "bestallare", "producer/orderer.html", errors=errors, values={})

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
            orders.submit(order, current_user, {"name": order.orderer_name, "email": order.orderer_email,
                                                "phone": order.orderer_phone, "role": order.orderer_role},
                          on_submit=on_submit)
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
            chosen = po.chosen_contracts(order.environment_id, int_list("contract_ids"),
                                         order.content.get("contracts", []))
            orders.save_draft(order, step="kontrakt", content={"contracts": chosen})
            if not chosen and request.form.get("go", "next") == "next":
                errors["contracts"] = "Välj minst ett tjänstekontrakt."
            else:
                return self._after_save(order, "kontrakt")
        return self._page(order, "kontrakt", "producer/contracts.html", errors=errors,
                          domains=po.domains_in(order.environment_id), domain_label=po.domain_label)

    # --- step 3: addressees to add or remove ---------------------------------------------------------

    def _addresses_step(self, order):
        errors, problems = {}, []
        if request.method == "POST":
            mode = "remove" if request.form.get("mode") == "remove" else "add"
            current = [{"hsa_id": h, "name": n, "new": new == "1"} for h, n, new in zip(
                request.form.getlist("add_hsa_id"), request.form.getlist("add_name"), request.form.getlist("add_new"))]
            action = request.form.get("action")
            if action == "add_new":
                hsa_id = request.form.get("new_hsa_id", "").strip()
                name = request.form.get("new_name", "").strip()
                if not hsa_id:
                    errors["new_hsa_id"] = "Ange adressidentitet (HSA-ID)."
                elif hsa_id_problem(hsa_id):
                    errors["new_hsa_id"] = hsa_id_problem(hsa_id)
                if not name:
                    errors["new_name"] = "Ange namn på den logiska adressaten."
                elif len(name) > po.MAX_ADDRESS_NAME:
                    errors["new_name"] = f"Namnet får vara högst {po.MAX_ADDRESS_NAME} tecken."
                if not errors:
                    resolved, problems = po.resolve_addresses([(hsa_id.upper(), name)])
                    current = po.merge_addresses(current, resolved)
            elif action == "paste":
                entries, problems = po.parse_address_lines(request.form.get("pasted", ""))
                resolved, more = po.resolve_addresses(entries)
                problems += more
                current = po.merge_addresses(current, resolved)
            removals = [{"hsa_id": h, "name": n} for h, n in zip(request.form.getlist("remove_hsa_id"),
                                                                 request.form.getlist("remove_name"))]
            orders.save_draft(order, step="adressater",
                              content={"mode": mode, "add_addresses": current, "remove_addresses": removals})
            if action or errors:
                return self._addresses_page(order, errors, problems, kept={
                    "new_hsa_id": request.form.get("new_hsa_id", "") if errors else "",
                    "new_name": request.form.get("new_name", "") if errors else "",
                    "pasted": request.form.get("pasted", "") if problems and action == "paste" else ""})
            return self._after_save(order, "adressater")
        return self._addresses_page(order, errors, problems, kept={})

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
            for entry in contracts:
                entry["url"] = request.form.get(f"url_{entry['id']}", "").strip()
                entry["profile"] = request.form.get(f"profile_{entry['id']}", "")
                if entry["profile"] not in po.profiles():
                    errors[f"profile_{entry['id']}"] = "Välj RIVTA-profil."
                problem = url_problem(entry["url"]) if entry["url"] else "Ange URL till producentens tjänst."
                if problem:
                    errors[f"url_{entry['id']}"] = problem
            orders.save_draft(order, step="url", content={"contracts": contracts})
            if not errors or request.form.get("go") in LENIENT:
                return self._after_save(order, "url")
        return self._page(order, "url", "producer/settings.html", contracts=contracts, errors=errors,
                          profiles=po.profiles())

    # --- step 5: consumers on the new addressees ----------------------------------------------------

    def _consumers_step(self, order):
        errors = {}
        if request.method == "POST":
            choice = "together" if request.form.get("consumer_choice") == "together" else "separate"
            ids = int_list("consumer_ids")
            instances = {i.id: i for i in db.session.scalars(db.select(SystemInstance)
                                                              .where(SystemInstance.id.in_(ids)))}
            consumers = [{"id": i, "hsa_id": instances[i].hsa_id, "description": instances[i].description,
                          "label": str(instances[i])} for i in dict.fromkeys(ids) if i in instances]
            orders.save_draft(order, step="konsumenter", content={"consumer_choice": choice, "consumers": consumers})
            if choice == "together" and not consumers and request.form.get("go", "next") == "next":
                errors["consumers"] = "Sök fram och lägg till minst en tjänstekonsument."
            else:
                return self._after_save(order, "konsumenter")
        return self._page(order, "konsumenter", "producer/consumers.html", errors=errors)

    @expose("/<int:number>/doman/<int:domain_id>")
    def domain_contracts(self, number, domain_id):
        order = self._draft(number)
        return {"results": [{"id": c.id, "name": c.name, "major": c.major, "domain": c.domain.namespace,
                             "status": status, "status_text": po.STATUS_TEXT[status]}
                            for c, status in po.domain_contracts(order.environment_id, order.system_instance_id,
                                                                 domain_id)]}

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
