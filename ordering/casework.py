"""What customer service's actions on a sent order do, besides moving its status: Genomförd
applies the change set to the catalog and tells the orderer what was done, Avvisad mails the
reason, an ärendenummer is mailed. Views only pass the links the mails carry."""
import datetime as dt

from . import notifications, orders
from . import order_kinds as kinds
from .apply import apply_change_set
from .tak_json import execution_time


def change_status(order, to_status, user, comment, order_url):
    """Move the order on; its consequences happen in the same transaction. order_url: the
    orderer's link to the order, for the mails."""
    orders.change_status(order, to_status, user, comment or None,
                         on_change=lambda o: _consequences(o, to_status, comment, order_url))


def _consequences(order, to_status, comment, order_url):
    if to_status == orders.DONE:
        changes = kinds.change_set(order)
        apply_change_set(order, changes, execution_time(order).date() if order.change_date else dt.date.today())
        if order.orderer_email:
            notifications.order_done(order, kinds.summary(order, changes), order_url)
    elif to_status == orders.REJECTED and order.orderer_email:
        notifications.order_rejected(order, comment, order_url)


def record_case_number(order, case_number, user, order_url):
    orders.record_case_number(order, case_number, user, on_change=lambda o: (
        notifications.order_case_number(o, order_url) if o.orderer_email else None))
