"""Orders whose change set is made once, when the draft is made, and kept in it: they go through
beställare, summary, Beställ, the back office, applying and verification like any order.

* Återställningsbeställning (KINDS["rollback"]): the exact inverse of a sent or done order, made by
  `ordering/rollback.py` (it reads the original through `order_kinds`, which lists this module).
* Städbeställning (KINDS["cleanup"]): removes rows a Katalogkvalitet finding names – call
  authorisations, or routings together with the authorisations on them, as TAK requires.
"""
import dataclasses

import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import (
    CallAuthorization,
    LogicalAddress,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    SystemInstance,
)
from models.catalog import live_on
from models.order_content import OrderContent
from models.orders import CLEANUP
from models.tak_items import Addressee, Authorization, Component, Contract, Routing

from . import orders, references
from .change_set import ChangeSet, Connection, Facts, _key, _Keyed, facts_from_json, facts_to_json
from .order_flow import order_header

RECORDS = {"include_contracts": Contract, "include_addresses": Addressee, "include_components": Component,
            "include_authorizations": Authorization, "include_routings": Routing,
            "exclude_authorizations": Authorization, "exclude_routings": Routing}


class NotPossible(ValueError):
    pass


def stored(changes):
    return {name: [dataclasses.asdict(record) for record in getattr(changes, name)] for name in RECORDS}


def from_stored(kept):
    return ChangeSet(**{name: [record(**values) for values in (kept or {}).get(name, [])]
                        for name, record in RECORDS.items()})


def authorization_key(authorization):
    return _key(authorization.consumer, authorization.contract, authorization.address)


# --- Städning ------------------------------------------------------------------------------------

def _identifiers(column, ids):
    """{id: TAK identifier} for the given rows of the column's table."""
    table = column.class_
    return dict(db.session.execute(sa.select(table.id, column).where(table.id.in_(ids))).all())


def cleanup_change_set(environment_id, authorizations=(), routings=()):
    """Removing call authorisations and routings (ids of the mirror). A routing goes with every live
    authorisation on its contract and addressee: TAK refuses an authorisation nobody answers.
    Returns (the change set, the removed routings' call addresses – for undoing it)."""
    today = swedish_today()
    routing_rows = db.session.execute(sa.select(
        ProducerConnection.contract_id, ProducerConnection.logical_address_id, ProducerConnection.producer_id,
        ProducerConnection.rivta_profile_id, ProducerConnection.url).where(ProducerConnection.id.in_(list(routings)),
                                                   ProducerConnection.environment_id == environment_id)).all()
    pairs = {(contract, address) for contract, address, _, _, _ in routing_rows}
    chosen = CallAuthorization.id.in_(list(authorizations))
    if pairs:  # one tuple IN, not an OR per routing
        chosen = sa.or_(chosen, sa.tuple_(CallAuthorization.contract_id, CallAuthorization.logical_address_id)
                        .in_(sorted(pairs)))
    auth_rows = db.session.execute(sa.select(
        CallAuthorization.consumer_id, CallAuthorization.contract_id, CallAuthorization.logical_address_id)
        .where(CallAuthorization.environment_id == environment_id, live_on(CallAuthorization, today),
               chosen)).all()
    instance_ids = {row[2] for row in routing_rows} | {row[0] for row in auth_rows}
    instances, contracts = _identifiers(SystemInstance.hsa_id, instance_ids), _identifiers(
        ServiceContract.namespace, {row[0] for row in routing_rows} | {row[1] for row in auth_rows})
    addresses = _identifiers(LogicalAddress.hsa_id, {row[1] for row in routing_rows} | {row[2] for row in auth_rows})
    profiles = dict(db.session.execute(sa.select(RivtaProfile.id, RivtaProfile.name)).all())
    excluded_routings, excluded_authorizations, removing = _Keyed(), _Keyed(), Facts()
    for contract, address, producer, profile, url in routing_rows:
        excluded_routings.add(_key(contracts[contract], addresses[address], instances[producer]), Routing(
            contracts[contract], addresses[address], instances[producer], profiles.get(profile, ""), None))
        removing.connections[_key(contracts[contract], addresses[address])] = Connection(url, profiles.get(profile, ""))
    for consumer, contract, address in auth_rows:
        authorization = Authorization(instances[consumer], contracts[contract], addresses[address])
        excluded_authorizations.add(authorization_key(authorization), authorization)
    changes = ChangeSet(exclude_routings=list(excluded_routings),
                        exclude_authorizations=list(excluded_authorizations))
    return changes, removing


def create_cleanup(finding, environment, user, ids):
    """Skapa städbeställning from a finding's rows (ids already checked to be the finding's)."""
    by_model = {CallAuthorization: "authorizations", ProducerConnection: "routings"}
    if finding.model not in by_model:
        raise NotPossible("Det här fyndet kan inte städas med en beställning.")
    changes, removing = cleanup_change_set(environment.id, **{by_model[finding.model]: ids})
    if changes.is_empty:
        raise NotPossible("Inga rader att ta bort.")
    return make_draft(CLEANUP, user, environment.id, None,
                  OrderContent(stored_changes=stored(changes), facts=facts_to_json(removing), cleans=finding.key,
                               checked_in=environment.id),
                  f"Städning i {environment.display}: {finding.title.lower()} ({len(ids)} rader).")


def make_draft(kind, user, environment_id, instance_id, content, other_info):
    draft = orders.create_draft(kind, user, environment_id=environment_id, system_instance_id=instance_id,
                                step="bestallare")
    orders.save_draft(draft, content=content.stored(), other_info=other_info, orderer_name=user.name or "",
                      orderer_email=user.email or "", orderer_phone=user.phone or "")
    return draft


# --- OrderKind (both kinds) -----------------------------------------------------------------------

def facts_for(order, day=None):
    return Facts()  # the change set was judged against the catalog when the draft was made


def freeze_facts(order, facts=None):
    """Nothing to freeze: the change set is kept in the order since the draft was made."""


def change_set(order, day=None, facts=None):
    return from_stored(order.choices.stored_changes)


def summary(order, changes):
    """The rows it removes and restores by name, as the other summaries show them, with the call
    address a restored routing replaces; for a rollback, also what it cannot put back and why."""
    choices = order.choices
    refs = references.of(order, changes)
    replaced = facts_from_json(choices.facts).connections if choices.facts is not None else {}

    def contract(namespace):
        item = refs.contract(namespace)
        return f"{item.description} v{item.major}" if item.description else namespace

    def named(item):
        return f"{item.description} {item.hsa_id}".strip()

    def routing(item):
        before = replaced.get(_key(item.contract, item.address))
        return {"contract": contract(item.contract), "address": named(refs.addressee(item.address)),
                "producer": named(refs.component(item.producer)), "profile": item.profile, "url": item.url,
                "replaces": before.url if item.url and before is not None and before.url != item.url else None}

    def authorization(item):
        return {"consumer": named(refs.component(item.consumer)), "contract": contract(item.contract),
                "address": named(refs.addressee(item.address)), "agreement": item.integration_agreement}

    return {**order_header(order, "stored"),
            "purpose": f"Återställer BS-{choices.reverses}" if choices.reverses else "Städning av katalogen",
            "removed_routings": [routing(item) for item in changes.exclude_routings],
            "restored_routings": [routing(item) for item in changes.include_routings],
            "removed_authorizations": [authorization(item) for item in changes.exclude_authorizations],
            "restored_authorizations": [authorization(item) for item in changes.include_authorizations],
            "not_restored": _not_restored(changes) if choices.reverses else []}


def _not_restored(changes):
    """What a rollback cannot give back through TAK's JSON order, in the summary's words."""
    notes = []
    if changes.include_routings or changes.include_authorizations:
        notes.append("Giltighetstiden: TAK ger varje rad i en beställning giltighet från genomförandedagen i "
                     "100 år, så de återställda raderna får inte tillbaka sin tidigare giltighetstid.")
    agreements = sorted({item.integration_agreement for item in changes.include_authorizations
                         if item.integration_agreement})
    if agreements:
        notes.append("Integrationsavtal: TAK:s JSON-beställning bär inga integrationsavtal, så TAK ger de "
                     "återställda anropsbehörigheterna sitt eget. Beställningsstödets katalog får tillbaka de "
                     f"tidigare ({', '.join(agreements)}); ange dem i TAK om de ska stå kvar där.")
    return notes


def foreign_environment(order):
    """Why a kept change set may not change the order's environment: it was checked against another."""
    checked_in = order.choices.checked_in
    if checked_in is not None and checked_in != order.environment_id:
        return ("Ändringarna i beställningen kontrollerades mot en annan miljö än beställningens och kan inte "
                "genomföras här. Gör en ny beställning i rätt miljö.")
    return None


def send_problems(order, changes=None):
    problems = [problem for problem in [foreign_environment(order)] if problem]
    if not (order.orderer_name and order.orderer_email and order.orderer_phone):
        problems.append("Fyll i beställarens namn, telefon och e-post.")
    if (changes or change_set(order)).is_empty:
        problems.append("Beställningen innehåller inga ändringar och kan inte skickas.")
    return problems
