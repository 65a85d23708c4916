"""Återställningsbeställning and städbeställning: drafts made from an order's page or from a
Katalogkvalitet finding, which then go through beställare, summary and Beställ like any order."""
from flask import redirect, url_for
from flask_admin import expose

from models import CUSTOMER_SERVICE
from models.orders import CLEANUP, ROLLBACK

from .order_flow import OrderFlowView, Step


class StoredOrderView(OrderFlowView):
    ROLE = "system"

    def is_visible(self):
        return False  # made from an order's page or a finding, not from the menu

    @expose("/", methods=("GET", "POST"))
    def index(self):
        return redirect(url_for("orders.index"))

    STEPS = [
        Step("bestallare", "Övrig information och beställare", OrderFlowView._orderer_step),
        Step("sammanfattning", "Sammanfattning", OrderFlowView._summary_step),
    ]


class RollbackOrderView(StoredOrderView):
    KIND = ROLLBACK
    TITLE = "Återställningsbeställning"


class CleanupOrderView(StoredOrderView):
    required_role = CUSTOMER_SERVICE
    KIND = CLEANUP
    TITLE = "Städbeställning"
