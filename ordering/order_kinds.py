"""One door to an order's change set and summary, whatever its kind."""
from models.orders import CONSUMER

from . import consumer_order, producer_order


def flow(order):
    return consumer_order if order.kind == CONSUMER else producer_order


def change_set(order):
    return flow(order).change_set(order)


def summary(order, changes=None):
    return flow(order).summary(order, changes if changes is not None else change_set(order))


def freeze_facts(order):
    flow(order).freeze_facts(order)


def send_problems(order, changes=None):
    return flow(order).send_problems(order, changes)
