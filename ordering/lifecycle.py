"""An order's transitions, each with its consequences: Beställ (freeze, mails), Under handläggning,
Genomförd (apply to the catalog, mail the orderer), Avvisad (mail the reason), ärendenummer (mail),
Återkallad, and the check against TAK after an import. Views call one function and render; the
links the mails carry are passed in, so nothing here needs a request."""

from collections.abc import Callable
from dataclasses import dataclass

from clock import swedish_today
from models.orders import DONE, IN_PROGRESS, REJECTED, SUBMITTED

from . import notifications, orders, stored_orders
from . import order_kinds as kinds
from .apply import apply_change_set
from .tak_json import execution_time, tak_json_text
from .verification import verify_done_orders

TransitionError = orders.TransitionError


def submit(order, user, order_url, case_url, facts=None):
    """Beställ: draft → Skickad exactly once (a double click finds it sent). In the same transaction
    the order freezes what it shows and exports and queues its two mails. True when this call sent it.
    order_url: the orderer's link to the order; case_url: customer service's. facts: the catalog's, when
    the caller has just read them (kinds.facts_for) – they are then not read again."""
    def consequences(sent):
        changes = kinds.freeze(sent, facts)
        notifications.order_submitted(sent, kinds.summary(sent, changes), tak_json_text(sent, changes),
                                      order_url, case_url)

    orderer = {"name": order.orderer_name, "email": order.orderer_email, "phone": order.orderer_phone,
               "role": order.orderer_role}
    return orders.submit(order, user, orderer, on_submit=consequences)


def _applied_and_told(done, comment, order_url):
    """Genomförd: the change set is applied to the catalog as TAK will, and the orderer is told what was done."""
    problem = stored_orders.foreign_environment(done)
    if problem:
        raise TransitionError(problem)
    changes = kinds.change_set(done)
    apply_change_set(done, changes, execution_time(done).date() if done.change_date else swedish_today())
    if done.orderer_email:
        notifications.order_done(done, kinds.summary(done, changes), order_url)


def _rejection_told(rejected, reason, order_url):
    if rejected.orderer_email:
        notifications.order_rejected(rejected, reason, order_url)


@dataclass(frozen=True)
class Transition:
    """A status customer service may set: from which statuses, whether it needs a comment (the reason),
    and what it does besides – consequence(order, comment, order_url), in the same transaction."""

    allowed_from: tuple
    consequence: Callable | None = None
    needs_reason: bool = False


# The one table of customer service's transitions (Beställ and Återkallad are the orderer's, below).
TRANSITIONS = {
    IN_PROGRESS: Transition((SUBMITTED,)),
    DONE: Transition((SUBMITTED, IN_PROGRESS), _applied_and_told),
    REJECTED: Transition((SUBMITTED, IN_PROGRESS), _rejection_told, needs_reason=True),
}


def change_status(order, to_status, user, comment, order_url):
    """Customer service's status buttons: one of the transitions above."""
    transition = TRANSITIONS.get(to_status)
    if transition is None:
        raise TransitionError("Okänd status.")
    if transition.needs_reason and not (comment or "").strip():
        raise TransitionError("Ange en motivering till varför beställningen avvisas.")
    consequence = transition.consequence
    orders.change_status(order, to_status, user, transition.allowed_from, (comment or "").strip() or None,
                         on_change=(lambda changed: consequence(changed, comment, order_url)) if consequence else None)


def start_handling(order, user, comment=None):
    change_status(order, IN_PROGRESS, user, comment, None)


def mark_done(order, user, comment, order_url):
    change_status(order, DONE, user, comment, order_url)


def reject(order, user, reason, order_url):
    change_status(order, REJECTED, user, reason, order_url)


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
