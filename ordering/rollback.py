"""Återställningsbeställning: the exact inverse of a sent or done order, from that order's frozen
facts – what it created is excluded, what it excluded is included again with its former call address,
profile and integration agreement, a changed call address goes back to the old one. The draft it makes
is a kept-change-set order (`stored_orders`)."""
import dataclasses

from models.order_content import OrderContent
from models.orders import DONE, IN_PROGRESS, ROLLBACK, SUBMITTED

from . import order_kinds, references
from .change_set import ChangeSet, Connection, Facts, _key, _Keyed, facts_from_json, facts_to_json
from .stored_orders import RECORDS, NotPossible, authorization_key, make_draft, stored

REVERSIBLE = (SUBMITTED, IN_PROGRESS, DONE)

def inverse_change_set(order):
    """The change set that undoes `order` (sent or done), from its frozen facts."""
    return _inverse(order)[0]


def _inverse(order):
    """(the inverse change set, the facts the new order keeps: the call addresses of the routings it
    removes or changes back – so that undoing the rollback can put them back in turn).

    Every item it lists again is built from what the catalogue said when the original was sent
    (`references`): a contract with its own major version and name, addressees and components by name,
    an authorisation with its integration agreement."""
    original = order_kinds.change_set(order)
    facts = facts_from_json(order.choices.facts) if order.choices.facts is not None else Facts()
    refs = references.of(order, original)
    parts = {name: _Keyed() for name in RECORDS}
    removing = Facts()

    def include_references(contract, address, *components):
        parts["include_contracts"].add(_key(contract), refs.contract(contract))
        parts["include_addresses"].add(_key(address), refs.addressee(address))
        for hsa_id in components:
            parts["include_components"].add(_key(hsa_id), refs.component(hsa_id))

    for routing in original.include_routings:
        before = facts.connections.get(_key(routing.contract, routing.address))
        if before is not None and before.url:  # a changed call address: back to the old one
            parts["include_routings"].add(_key(routing.contract, routing.address), dataclasses.replace(
                routing, url=before.url, profile=before.profile))
            include_references(routing.contract, routing.address, routing.producer)
        else:  # created by the order: excluded
            parts["exclude_routings"].add(_key(routing.contract, routing.address),
                                          dataclasses.replace(routing, url=None))
        removing.connections[_key(routing.contract, routing.address)] = Connection(routing.url, routing.profile)
    for routing in original.exclude_routings:  # removed by the order: included again as it was
        before = facts.connections.get(_key(routing.contract, routing.address))
        if before is None:
            continue
        parts["include_routings"].add(_key(routing.contract, routing.address), dataclasses.replace(
            routing, url=before.url, profile=before.profile or routing.profile))
        include_references(routing.contract, routing.address, routing.producer)
    for authorization in original.include_authorizations:
        parts["exclude_authorizations"].add(authorization_key(authorization), dataclasses.replace(
            authorization, integration_agreement=None))
    for authorization in original.exclude_authorizations:
        parts["include_authorizations"].add(authorization_key(authorization), dataclasses.replace(
            authorization, integration_agreement=refs.agreement(
                authorization.consumer, authorization.contract, authorization.address)))
        include_references(authorization.contract, authorization.address, authorization.consumer)
    return ChangeSet(**{name: list(items) for name, items in parts.items()}), removing


def create_rollback(order, user):
    """Skapa återställningsbeställning: a draft in the original's environment and system, for the user."""
    if order.status not in REVERSIBLE or order.sent_header is None:
        raise NotPossible("Bara en skickad eller genomförd beställning kan återställas.")
    inverse, removing = _inverse(order)
    if inverse.is_empty:
        raise NotPossible(f"{order.display_number} har inga ändringar att återställa.")
    return make_draft(ROLLBACK, user, order.environment_id, order.system_instance_id,
                  OrderContent(stored_changes=stored(inverse), facts=facts_to_json(removing), reverses=order.number,
                               checked_in=order.environment_id),
                  f"Återställer {order.display_number}.")
