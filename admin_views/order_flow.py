"""The order flow both kinds share: miljö and system (creating the draft), beställare, summary and
Beställ, every step saved to a draft. Each kind lists its steps – key, title and handler – once."""
from typing import Callable, NamedTuple

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from forms.orders import EnvironmentStepForm, OrdererForm, StepForm
from models.orders import DRAFT
from ordering import lifecycle, orders
from ordering import order_flow as flow
from ordering import order_kinds as kinds
from ordering.catalog import orderable_environments
from web_input import database_int

from .access import ProtectedView
from .links import public_url


class Step(NamedTuple):
    key: str        # in the URL: /producent/<n>/<key>
    title: str      # in the step list, as the manual names it
    handler: Callable  # handler(view, order, key) → response; the key names the step in saves and redirects


class OrderFlowView(ProtectedView):
    """The steps every order shares: miljö and system (creating the draft), beställare, summary
    and Beställ, drafts saved at every step. Each kind adds its own steps between."""

    KIND = None
    TITLE = INSTANCE_LABEL = ROLE = ""
    STEPS: list[Step] = []

    def steps_for(self, order):
        return self.STEPS

    def neighbour(self, order, step, offset):
        keys = [each.key for each in self.steps_for(order)]
        index = keys.index(step) + offset
        return keys[max(0, min(index, len(keys) - 1))]

    # --- step 1: environment, date, the producer or consumer (creates the draft) --------------------

    @expose("/", methods=("GET", "POST"))
    def index(self):
        return self._environment_step(None, self.STEPS[0].key)

    @expose("/<int:number>/<step>", methods=("GET", "POST"))
    def step(self, number, step):
        order = self._draft(number)
        chosen = next((each for each in self.steps_for(order) if each.key == step), None)
        if chosen is None:
            abort(404)
        return chosen.handler(self, order, chosen.key)

    def _draft(self, number):
        order = orders.own_order(number, current_user)
        if order is None or order.kind != self.KIND:
            abort(404)
        if order.status != DRAFT:  # sent orders are read-only
            abort(redirect(url_for("orders.details", number=number)))
        return order

    def _page(self, order, step, template, **context):
        return self.render(template, order=order, step=step, flow_title=self.TITLE,
                           steps=[(each.key, each.title) for each in self.steps_for(order)], **context)

    def _after_save(self, order, step):
        go = StepForm(request.form).move  # next, back, save or autosave; anything else is next
        if go == "autosave":  # the page saved itself after a change; the user stays on it
            return "", 204
        if go == "save":
            flash(f"Utkastet {order.display_number} är sparat. Du hittar det under Mina beställningar.", "success")
            return redirect(url_for(".step", number=order.number, step=step))
        target = self.neighbour(order, step, -1 if go == "back" else 1)
        return redirect(url_for(".step", number=order.number, step=target))

    def _environment_step(self, order, step):
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
                    order = orders.create_draft(self.KIND, current_user, step=step, **fields)
                    orders.save_draft(order, orderer_name=current_user.name or "", orderer_email=current_user.email or "",
                                      orderer_phone=current_user.phone or "")
                else:
                    if form.environment.id != order.environment_id or form.instance.id != order.system_instance_id:
                        orders.start_choices_over(order)
                    orders.save_draft(order, step=step, **fields)
                return self._after_save(order, step)
        return self._page(order, step, "order_flow/environment.html", environments=environments, values=values,
                          errors=errors, instance_label=self.INSTANCE_LABEL,
                          search_url=url_for(".search_instances"))

    # --- step 6: övrig information and Beställare ----------------------------------------------------

    def _orderer_step(self, order, step):
        if request.method == "POST":
            form = OrdererForm(request.form)
            valid = form.validate()
            # What fits is saved; an overlong value stays on the page with its error, unsaved.
            orders.save_draft(order, step=step, **form.savable())
            if valid or (form.lenient and form.only_missing) or form.move == "autosave":
                return self._after_save(order, step)
            return self._page(order, step, "order_flow/orderer.html", errors=form.errors_by_name,
                              values=form.values())
        return self._page(order, step, "order_flow/orderer.html", errors={}, values={})

    # --- step 7: summary, print, send ------------------------------------------------------------

    def _summary_step(self, order, step):
        changes = kinds.change_set(order)
        orders.save_draft(order, step=step)
        return self._page(order, step, "order_flow/summary.html", summary=kinds.summary(order, changes),
                          problems=kinds.send_problems(order, changes))

    @expose("/<int:number>/bestall", methods=("POST",))
    def send(self, number):
        order = orders.own_order(number, current_user)
        if order is None or order.kind != self.KIND:
            abort(404)
        if order.status == DRAFT:
            facts = kinds.facts_for(order)  # read once: for the check, the freeze and the mails
            problems = kinds.send_problems(order, kinds.change_set(order, facts))
            if problems:
                for problem in problems:
                    flash(problem, "error")
                return redirect(url_for(".step", number=number, step=self.steps_for(order)[-1].key))
            lifecycle.submit(order, current_user, public_url("orders.details", number=order.number),
                             public_url("casework.page", number=order.number), facts=facts)
        # Sent now or by an earlier click of the same button: either way the same confirmation.
        return redirect(url_for("orders.sent", number=number))

    # --- searches while typing ----------------------------------------------------------------

    @expose("/sok/system")
    def search_instances(self):
        """The order's system: instances connected to the chosen environment first."""
        environment_id = request.args.get("miljo", type=database_int)
        results = []
        for instance, connected in flow.search_instances_in(environment_id, request.args.get("q", "")):
            results.append({"id": instance.id, "label": str(instance) + ("" if connected else " (ej ansluten till miljön)"),
                            "connected": connected})
        return {"results": results}

    @expose("/<int:number>/sok/kontrakt")
    def search_contracts(self, number):
        order = self._draft(number)
        return {"results": [{"id": c.id, "label": f"{flow.contract_label(c)} – {flow.domain_label(c.domain)}",
                             "name": c.name, "major": c.major, "domain": c.domain.namespace,
                             "domain_id": c.domain_id}
                            for c in flow.search_contracts(order.environment_id, request.args.get("q", ""))]}
