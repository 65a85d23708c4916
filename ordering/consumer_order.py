"""Administrera tjänstekonsument: the addressee × contract matrix of a consumer order, and the
order's change set, summary and send check."""

import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import (
    CallAuthorization,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    ServiceContract,
)
from models.catalog import live_on

from .change_set import (
    Connection,
    Facts,
    consumer_change_set,
    facts_from_json,
    facts_to_json,
)
from .order_flow import (
    contract_entry,
    live_authorizations,
    order_header,
    per_contract,
    refreshed_contracts,
)
from .orders import header_of, header_problems


def matrix(environment_id, consumer_id, domain_id, day=None):
    """Columns: the domain's installed contracts some producer answers here. Rows: addressees with
    a producer for at least one of them, with a bit per column for "a producer answers" (enabled)
    and "the consumer is already authorised" (checked)."""
    day = day or swedish_today()
    contracts = db.session.scalars(
        sa.select(ServiceContract).join(InstalledContract, sa.and_(
            InstalledContract.contract_id == ServiceContract.id, InstalledContract.environment_id == environment_id))
        .where(ServiceContract.domain_id == domain_id,
               sa.exists().where(ProducerConnection.contract_id == ServiceContract.id,
                                 ProducerConnection.environment_id == environment_id,
                                 live_on(ProducerConnection, day)))
        .order_by(ServiceContract.name, ServiceContract.major)).all()
    column = {contract.id: index for index, contract in enumerate(contracts)}
    rows = {}
    for address_id, hsa_id, name, contract_id in db.session.execute(
            sa.select(LogicalAddress.id, LogicalAddress.hsa_id, LogicalAddress.name, ProducerConnection.contract_id)
            .join(ProducerConnection, ProducerConnection.logical_address_id == LogicalAddress.id)
            .where(ProducerConnection.environment_id == environment_id,
                   ProducerConnection.contract_id.in_(list(column)), live_on(ProducerConnection, day))):
        row = rows.setdefault(address_id, [hsa_id, name or "", 0, 0])
        row[2] |= 1 << column[contract_id]
    for address_id, contract_id in db.session.execute(
            sa.select(CallAuthorization.logical_address_id, CallAuthorization.contract_id)
            .where(CallAuthorization.environment_id == environment_id, CallAuthorization.consumer_id == consumer_id,
                   CallAuthorization.contract_id.in_(list(column)), live_on(CallAuthorization, day))):
        if address_id in rows:
            rows[address_id][3] |= 1 << column[contract_id]
    return {
        "columns": [{"id": c.id, "label": f"{c.name} {c.major}.x", "name": c.name, "major": c.major,
                     "namespace": c.namespace, "domain": c.domain.namespace} for c in contracts],
        "rows": sorted(rows.values(), key=lambda row: (row[1].lower(), row[0])),
    }


def facts_for(order, day=None):
    day = day or swedish_today()
    contracts = {entry["id"]: entry["namespace"].lower() for entry in order.choices.contracts}
    facts = Facts()
    if not contracts:
        return facts
    for contract_id, hsa_id, name in db.session.execute(
            sa.select(ProducerConnection.contract_id, LogicalAddress.hsa_id, LogicalAddress.name).distinct()
            .join(LogicalAddress, ProducerConnection.logical_address_id == LogicalAddress.id)
            .where(ProducerConnection.environment_id == order.environment_id,
                   ProducerConnection.contract_id.in_(list(contracts)), live_on(ProducerConnection, day))):
        facts.connections[(contracts[contract_id], hsa_id.lower())] = Connection("", "")
        facts.addresses[hsa_id.lower()] = {"hsa_id": hsa_id, "name": name or ""}
    facts.authorizations = {tuple(value.lower() for value in row) for row in live_authorizations(
        order.environment_id, list(contracts), day, CallAuthorization.consumer_id == order.system_instance_id)}
    return facts


def consumer_of(order):
    if order.system_instance_id is None:
        return {"hsa_id": "", "description": ""}
    header = header_of(order)
    return {"hsa_id": header["hsa_id"], "description": header["description"]}


def freeze_facts(order, facts=None):
    choices = order.choices
    order.content = choices.updated(contracts=refreshed_contracts(choices.contracts),
                                    facts=facts_to_json(facts if facts is not None else facts_for(order))).stored()


def change_set(order, day=None, facts=None):
    if facts is None:
        frozen = order.choices.facts
        facts = facts_from_json(frozen) if frozen is not None and order.status != "draft" else facts_for(order, day)
    return consumer_change_set(order.choices, consumer_of(order), facts)


def save_cells(order, changes):
    """Merge the matrix changes the page sends ({"add": [[contract_id, hsa_id, on]], …}) into the
    order: checking a cell adds it, unchecking undoes an addition or marks a removal."""
    cells = order.choices.cells
    add = {(c, h.lower()): [c, h] for c, h in cells["add"]}
    remove = {(c, h.lower()): [c, h] for c, h in cells["remove"]}
    for contract_id, hsa_id, checked, existing in changes:
        key = (int(contract_id), hsa_id.lower())
        add.pop(key, None)
        remove.pop(key, None)
        if checked and not existing:
            add[key] = [int(contract_id), hsa_id]
        elif not checked and existing:
            remove[key] = [int(contract_id), hsa_id]
    used = {key[0] for key in list(add) + list(remove)}
    known = {entry["id"]: entry for entry in order.choices.contracts}
    missing = used - set(known)
    if missing:
        for contract in db.session.scalars(sa.select(ServiceContract).where(ServiceContract.id.in_(missing))):
            known[contract.id] = contract_entry(contract)
    return {"cells": {"add": list(add.values()), "remove": list(remove.values())},
            "contracts": [entry for contract_id, entry in known.items() if contract_id in used]}


def summary(order, changes):
    return {**order_header(order, "consumer"), "added": per_contract(changes.new_connections),
            "removed": per_contract(changes.removed_connections)}


def send_problems(order, changes=None):
    problems = header_problems(order, "tjänstekonsument")
    if not (order.orderer_name and order.orderer_email and order.orderer_phone):
        problems.append("Fyll i beställarens namn, telefon och e-post.")
    if (changes or change_set(order)).is_empty:
        problems.append("Beställningen innehåller inga ändringar och kan inte skickas.")
    return problems
