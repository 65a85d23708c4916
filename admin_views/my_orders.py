"""Mina beställningar: the orderer's drafts and sent orders, read-only summaries and printouts."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from extensions import db
from forms.orders import CopyForm
from models import CUSTOMER_SERVICE, Environment, Order
from models.orders import DRAFT
from ordering import lifecycle, orders, stored_orders
from ordering import order_kinds as kinds
from ordering import producer_order as po
from ordering.catalog import orderable_environments
from ordering.rollback import create_rollback
from web_input import database_int

from .access import ProtectedView


def continue_url(order):
    return url_for(f"{order.kind}.step", number=order.number, step=order.step or "miljo")


class MyOrdersView(ProtectedView):
    @expose("/")
    def index(self):
        page = max(request.args.get("sida", 1, type=database_int), 1)
        found, total = orders.orders_of(current_user, page)
        return self.render("orders/list.html", orders=found, total=total, page=page,
                           first=(page - 1) * orders.ORDERS_PER_PAGE + 1, continue_url=continue_url,
                           pages=max(1, -(-total // orders.ORDERS_PER_PAGE)))

    @expose("/oppna")
    def open_number(self):
        """Reopen an order by its number: 'BS-12' or '12'."""
        number = orders.parse_number(request.args.get("nummer"))
        order = orders.own_order(number, current_user) if number is not None else None
        if order is None:
            flash("Ingen av dina beställningar har det numret.", "error")
            return redirect(url_for(".index"))
        return redirect(continue_url(order) if order.status == DRAFT else url_for(".details", number=order.number))

    def _visible_order(self, number):
        """Own orders; customer service sees every order."""
        if current_user.has_role(CUSTOMER_SERVICE):
            order = db.session.scalar(db.select(Order).where(Order.number == number))
        else:
            order = orders.own_order(number, current_user)
        if order is None:
            abort(404)
        return order

    @expose("/<int:number>")
    def details(self, number):
        order = self._visible_order(number)
        return self.render("orders/details.html", order=order, summary=kinds.summary(order),
                           continue_url=continue_url, environments=[
                               e for e in orderable_environments() if e.id != order.environment_id])

    @expose("/<int:number>/kopiera", methods=("POST",))
    def copy(self, number):
        """Beställ samma i annan miljö."""
        order = self._visible_order(number)
        environment = db.session.get(Environment, CopyForm(request.form).chosen_id() or 0)
        if environment is None or environment.id == order.environment_id:
            flash("Välj en annan miljö.", "error")
            return redirect(url_for(".details", number=number))
        try:
            copy, dropped = orders.copy_to_environment(order, environment, current_user,
                                                       po.installed_in(environment.id))
        except orders.TransitionError as error:
            flash(str(error), "error")
            return redirect(url_for(".details", number=number))
        flash(f"Utkastet {copy.display_number} för {environment.display} har samma innehåll som "
              f"{order.display_number}. Granska det innan du beställer.", "success")
        for entry in dropped:
            flash(f"{entry['name']} v{entry['major']} är inte installerat i {environment.display} och togs bort "
                  "ur utkastet.", "warning")
        return redirect(continue_url(copy))

    @expose("/<int:number>/aterstall", methods=("POST",))
    def rollback(self, number):
        """Skapa återställningsbeställning: a draft that undoes the order."""
        order = self._visible_order(number)
        try:
            draft = create_rollback(order, current_user)
        except stored_orders.NotPossible as error:
            flash(str(error), "error")
            return redirect(url_for(".details", number=number))
        flash(f"Utkastet {draft.display_number} återställer {order.display_number}. Granska det innan du beställer.",
              "success")
        return redirect(continue_url(draft))

    @expose("/<int:number>/utskrift")
    def printout(self, number):
        order = self._visible_order(number)
        return self.render("orders/print.html", order=order, summary=kinds.summary(order))

    @expose("/<int:number>/skickad")
    def sent(self, number):
        order = self._visible_order(number)
        if order.status == DRAFT:
            return redirect(continue_url(order))
        return self.render("orders/sent.html", order=order)

    @expose("/<int:number>/ta-bort", methods=("POST",))
    def delete(self, number):
        order = orders.own_order(number, current_user) or abort(404)
        if orders.delete_draft(order):
            flash(f"Utkastet {order.display_number} är borttaget.", "success")
        else:
            flash("Bara utkast kan tas bort.", "error")
        return redirect(url_for(".index"))

    @expose("/<int:number>/aterkalla", methods=("POST",))
    def withdraw(self, number):
        order = orders.own_order(number, current_user) or abort(404)
        if lifecycle.withdraw(order, current_user):
            flash(f"Beställningen {order.display_number} är återkallad.", "success")
        else:
            flash("Beställningen handläggs redan och kan inte återkallas. Kontakta kundservice.", "error")
        return redirect(url_for(".index"))
