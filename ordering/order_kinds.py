"""One door to an order's change set and summary, whatever its kind.

Each kind of order is a module implementing `OrderKind`; `KINDS` registers it under the
`Order.kind` it serves. A third kind is a module with these functions and one line here."""
from typing import Protocol

from models.orders import CLEANUP, CONSUMER, PRODUCER, ROLLBACK

from . import consumer_order, producer_order, references, stored_orders
from .change_set import ChangeSet, Facts


class OrderKind(Protocol):
    def facts_for(self, order, day=None) -> Facts:
        """The catalog's live state the order's change set is judged against."""

    def freeze_facts(self, order, facts: Facts | None = None) -> None:
        """At Beställ: keep those facts, and the chosen items as the catalog spells them, in the order."""

    def change_set(self, order, day=None, facts: Facts | None = None) -> ChangeSet:
        """What TAK must do: live facts while a draft, the frozen ones once sent."""

    def summary(self, order, changes: ChangeSet) -> dict:
        """The manual's summary as plain data, for page, printout and mail."""

    def send_problems(self, order, changes: ChangeSet | None = None) -> list[str]:
        """Why the order cannot be sent yet, in the orderer's words."""


KINDS: dict[str, OrderKind] = {PRODUCER: producer_order, CONSUMER: consumer_order,
                               ROLLBACK: stored_orders, CLEANUP: stored_orders}


def flow(order) -> OrderKind:
    return KINDS[order.kind]


def facts_for(order):
    return flow(order).facts_for(order)


def change_set(order, facts=None):
    return flow(order).change_set(order, facts=facts)


def summary(order, changes=None):
    return flow(order).summary(order, changes if changes is not None else change_set(order))


def freeze(order, facts=None):
    """At Beställ: the kind keeps the facts its change set is judged against; the change set is then
    built once, and everything it names is kept as the catalogue has it (`references`). Returns it."""
    flow(order).freeze_facts(order, facts)
    changes = change_set(order, facts)
    kept = references.read(order.environment_id, changes)
    order.content = order.choices.updated(references=kept.stored()).stored()
    return changes


def send_problems(order, changes=None):
    return flow(order).send_problems(order, changes)
