"""An order's transitions, each with its consequences: Beställ (freeze, mails), Under handläggning,
Genomförd (apply to the catalog, mail the orderer), Avvisad (mail the reason), ärendenummer (mail),
Återkallad, and the check against TAK after an import. Views call one function and render; the
links the mails carry are passed in, so nothing here needs a request."""

from clock import swedish_today

from . import notifications, orders, stored_orders
from . import order_kinds as kinds
from .apply import apply_change_set
from .tak_json import execution_time, tak_json_text
from .verification import verify_done_orders

TransitionError = orders.TransitionError


def submit(order, user, order_url, case_url):
    """Beställ: draft → Skickad exactly once (a double click finds it sent). In the same transaction
    the order freezes what it shows and exports and queues its two mails. True when this call sent it.
    order_url: the orderer's link to the order; case_url: customer service's."""
    def consequences(sent):
        changes = kinds.freeze(sent)
        notifications.order_submitted(sent, kinds.summary(sent, changes), tak_json_text(sent, changes),
                                      order_url, case_url)

    orderer = {"name": order.orderer_name, "email": order.orderer_email, "phone": order.orderer_phone,
               "role": order.orderer_role}
    return orders.submit(order, user, orderer, on_submit=consequences)


def start_handling(order, user, comment=None):
    orders.change_status(order, orders.IN_PROGRESS, user, comment or None)


def mark_done(order, user, comment, order_url):
    """Genomförd: the change set is applied to the catalog as TAK will, and the orderer is told what was done."""
    def consequences(done):
        problem = stored_orders.foreign_environment(done)
        if problem:
            raise TransitionError(problem)
        changes = kinds.change_set(done)
        apply_change_set(done, changes, execution_time(done).date() if done.change_date else swedish_today())
        if done.orderer_email:
            notifications.order_done(done, kinds.summary(done, changes), order_url)

    orders.change_status(order, orders.DONE, user, comment or None, on_change=consequences)


def reject(order, user, reason, order_url):
    def consequences(rejected):
        if rejected.orderer_email:
            notifications.order_rejected(rejected, reason, order_url)

    orders.change_status(order, orders.REJECTED, user, reason, on_change=consequences)


TRANSITIONS = {orders.IN_PROGRESS: lambda order, user, comment, url: start_handling(order, user, comment),
               orders.DONE: mark_done, orders.REJECTED: reject}


def change_status(order, to_status, user, comment, order_url):
    """Customer service's status buttons: one of the transitions above."""
    transition = TRANSITIONS.get(to_status)
    if transition is None:
        raise TransitionError("Okänd status.")
    transition(order, user, comment, order_url)


def record_case_number(order, case_number, user, order_url):
    orders.record_case_number(order, case_number, user, on_change=lambda o: (
        notifications.order_case_number(o, order_url) if o.orderer_email else None))


def withdraw(order, user):
    """Återkallad, by the orderer: a draft or a sent order not yet handled."""
    return orders.withdraw(order, user)


def verify_after_import(environment):
    """After a TAK import: each done order of the environment checked against what TAK now holds.
    Returns the line the import prints, or None when there was nothing to check."""
    verified, differing = verify_done_orders(environment)
    if verified or differing:
        return f"Genomförda beställningar kontrollerade mot TAK: {verified} verifierade, {differing} avviker."
    return None
