"""What both kinds of order share: looking up the system, contracts and domains while the
orderer types, the order's contract entries, and the header and grouping every summary uses."""
import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import (
    CallAuthorization,
    InstalledContract,
    LogicalAddress,
    ServiceContract,
    ServiceDomain,
    SystemInstance,
)
from models.catalog import live_on
from models.directory import instance_environment

from .catalog import contains
from .orders import header_of
from .system_information import search_instances

SEARCH_LIMIT = 20


def contract_label(contract):
    return f"{contract.name} v{contract.major}"


def domain_label(domain):
    return f"[{domain.namespace}] {domain.swedish_name or ''}".strip()


def search_instances_in(environment_id, term, limit=SEARCH_LIMIT):
    """Instances matching the term, those connected to the environment first."""
    found = search_instances(term, limit=limit * 2)
    connected = is_connected_to(environment_id, [instance.id for instance in found])
    found.sort(key=lambda instance: (instance.id not in connected, instance.hsa_id))
    return [(instance, instance.id in connected) for instance in found[:limit]]


def is_connected_to(environment_id, instance_ids):
    if not instance_ids or environment_id is None:
        return set()
    table = instance_environment
    return set(db.session.scalars(sa.select(table.c.system_instance_id).where(
        table.c.environment_id == environment_id, table.c.system_instance_id.in_(instance_ids))))


def search_contracts(environment_id, term, limit=SEARCH_LIMIT):
    """Installed contracts whose name, domain or Swedish domain name contain the term."""
    query = (sa.select(ServiceContract).join(ServiceContract.domain)
             .join(InstalledContract, sa.and_(InstalledContract.contract_id == ServiceContract.id,
                                              InstalledContract.environment_id == environment_id))
             .where(contains([ServiceContract.name, ServiceDomain.namespace, ServiceDomain.swedish_name], term))
             .order_by(ServiceDomain.namespace, ServiceContract.name, ServiceContract.major).limit(limit))
    return db.session.scalars(query).all()


def domains_in(environment_id):
    """Domains with at least one contract installed in the environment."""
    installed = (sa.select(ServiceContract.domain_id).join(InstalledContract)
                 .where(InstalledContract.environment_id == environment_id))
    return db.session.scalars(sa.select(ServiceDomain).where(ServiceDomain.id.in_(installed))
                              .order_by(ServiceDomain.namespace)).all()


def contract_entry(contract):
    """How a chosen contract is kept in the order's content (a snapshot that stands alone)."""
    return {"id": contract.id, "namespace": contract.namespace, "name": contract.name, "major": contract.major,
            "domain": contract.domain.namespace if contract.domain else "", "profile": "", "url": ""}


def refreshed_contracts(entries):
    """Contract entries with namespace, name and version as the catalog has them now."""
    current = {contract.id: contract for contract in db.session.scalars(sa.select(ServiceContract).where(
        ServiceContract.id.in_([entry["id"] for entry in entries])))}
    return [{**entry, **{key: value for key, value in contract_entry(current[entry["id"]]).items()
                         if key in ("namespace", "name", "major", "domain")}}
            if entry["id"] in current else entry for entry in entries]


def live_authorizations(environment_id, contract_ids, day, *conditions):
    """(consumer hsa-id, contract namespace, address hsa-id) of live call authorisations."""
    return db.session.execute(
        sa.select(SystemInstance.hsa_id, ServiceContract.namespace, LogicalAddress.hsa_id)
        .select_from(CallAuthorization)
        .join(SystemInstance, CallAuthorization.consumer_id == SystemInstance.id)
        .join(ServiceContract, CallAuthorization.contract_id == ServiceContract.id)
        .join(LogicalAddress, CallAuthorization.logical_address_id == LogicalAddress.id)
        .where(CallAuthorization.environment_id == environment_id, CallAuthorization.contract_id.in_(contract_ids),
               live_on(CallAuthorization, day or swedish_today()), *conditions)
        .order_by(SystemInstance.hsa_id)).all()


def order_header(order, kind):
    """What every summary starts and ends with: miljö, datum, the system, övrigt, beställare."""
    header = header_of(order)
    return {
        "kind": kind,
        "environment": header["environment"],
        "change_date": order.change_date.isoformat() if order.change_date else "Ordinarie handläggningstid",
        "hsa_id": header["hsa_id"],
        "system": header["system"],
        "other_info": order.other_info or "",
        "orderer": {"name": order.orderer_name, "phone": order.orderer_phone, "email": order.orderer_email,
                    "role": order.orderer_role or "-"},
    }


def per_contract(items, names=None):
    """Change-set items grouped under "Contract vN", each addressee with its name (and any
    before/after of an updated connection)."""
    names = names or {}
    groups = {}
    for item in items:
        contract, address = item["contract"], item["address"]
        key = f"{contract['name']} v{contract['major']}"
        group = groups.setdefault(key, {"contract": key, "domain": contract.get("domain", ""), "addresses": []})
        group["addresses"].append({"hsa_id": address["hsa_id"],
                                   "name": address.get("name") or names.get(address["hsa_id"].lower(), ""),
                                   "before": item.get("before"), "after": item.get("after")})
    return list(groups.values())
