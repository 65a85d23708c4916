"""What the catalogue says about everything an order names – each contract's namespace, name and
major version, each addressee's and component's name, and the integration agreement of each call
authorisation it removes – frozen at Beställ with the order's other facts.

TAK's order lists only what it includes; what an order excludes is named by identifier alone. An
order that later puts those rows back (återställning) must list them as TAK knows them, so they are
kept here from the moment the original was sent, and every TAK item is built from them by the one
builder in `change_set` (`contract_item`, `addressee_item`, `component_item`)."""
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from clock import swedish_today
from extensions import db
from models import CallAuthorization, LogicalAddress, ServiceContract, SystemInstance
from models._columns import in_ignoring_case
from models.catalog import live_on

from .change_set import addressee_item, component_item, contract_item


@dataclass
class References:
    """Keyed by lower-case identifier; values are the plain dicts the item builders read."""

    contracts: dict = field(default_factory=dict)    # namespace -> {"namespace", "name", "major"}
    addresses: dict = field(default_factory=dict)    # hsa-id -> {"hsa_id", "name"}
    components: dict = field(default_factory=dict)   # hsa-id -> {"hsa_id", "description"}
    agreements: dict = field(default_factory=dict)   # "consumer|namespace|address" -> integrationsavtal

    def contract(self, namespace):
        return contract_item(self.contracts.get(namespace.lower()) or _unknown_contract(namespace))

    def addressee(self, hsa_id):
        return addressee_item(self.addresses.get(hsa_id.lower()) or {"hsa_id": hsa_id, "name": ""})

    def component(self, hsa_id):
        return component_item(self.components.get(hsa_id.lower()) or {"hsa_id": hsa_id, "description": ""})

    def agreement(self, consumer, namespace, address):
        return self.agreements.get(_agreement_key(consumer, namespace, address))

    def missing(self):
        """Identifiers the catalogue did not know when the references were read."""
        return ([key for key, value in self.contracts.items() if not value.get("name")]
                + [key for key, value in self.addresses.items() if not value.get("name")])

    def stored(self):
        return {"contracts": self.contracts, "addresses": self.addresses, "components": self.components,
                "agreements": self.agreements}

    @classmethod
    def from_stored(cls, data):
        return cls(**{name: dict((data or {}).get(name, {})) for name in ("contracts", "addresses", "components",
                                                                          "agreements")})


def _agreement_key(consumer, namespace, address):
    return "|".join(part.lower() for part in (consumer, namespace, address))


def _unknown_contract(namespace):
    """A namespace the catalogue does not hold: its major version is the namespace's last number."""
    tail = namespace.rsplit(":", 1)[-1]
    return {"namespace": namespace, "name": "", "major": int(tail) if tail.isdigit() else 1}


def read(environment_id, changes, day=None):
    """The references of every item the change set names, as the catalogue has them now; what the
    change set itself includes (a new addressee, say) is taken from it where the catalogue is silent."""
    refs = References()
    for contract in changes.include_contracts:
        refs.contracts[contract.namespace.lower()] = {"namespace": contract.namespace, "name": contract.description,
                                                      "major": contract.major}
    for address in changes.include_addresses:
        refs.addresses[address.hsa_id.lower()] = {"hsa_id": address.hsa_id, "name": address.description}
    for component in changes.include_components:
        refs.components[component.hsa_id.lower()] = {"hsa_id": component.hsa_id,
                                                     "description": component.description}
    routings = changes.include_routings + changes.exclude_routings
    authorizations = changes.include_authorizations + changes.exclude_authorizations
    namespaces = {item.contract for item in routings + authorizations}
    hsa_ids = {item.address for item in routings + authorizations}
    instances = {item.producer for item in routings} | {item.consumer for item in authorizations}
    _read_contracts(refs, namespaces)
    _read_addresses(refs, hsa_ids)
    _read_components(refs, instances)
    _read_agreements(refs, environment_id, changes.exclude_authorizations, day or swedish_today())
    return refs


def _read_contracts(refs, namespaces):
    if namespaces:
        for contract in db.session.scalars(sa.select(ServiceContract).where(
                in_ignoring_case(ServiceContract.namespace, namespaces))):
            refs.contracts[contract.namespace.lower()] = {"namespace": contract.namespace, "name": contract.name,
                                                          "major": contract.major}
    for namespace in namespaces:
        refs.contracts.setdefault(namespace.lower(), _unknown_contract(namespace))


def _read_addresses(refs, hsa_ids):
    if hsa_ids:
        for hsa_id, name in db.session.execute(sa.select(LogicalAddress.hsa_id, LogicalAddress.name).where(
                in_ignoring_case(LogicalAddress.hsa_id, hsa_ids))):
            refs.addresses.setdefault(hsa_id.lower(), {"hsa_id": hsa_id, "name": name or ""})
    for hsa_id in hsa_ids:
        refs.addresses.setdefault(hsa_id.lower(), {"hsa_id": hsa_id, "name": ""})


def _read_components(refs, hsa_ids):
    if hsa_ids:
        for instance in db.session.scalars(sa.select(SystemInstance).where(
                in_ignoring_case(SystemInstance.hsa_id, hsa_ids)).options(
                selectinload(SystemInstance.organisation), selectinload(SystemInstance.system))):
            refs.components.setdefault(instance.hsa_id.lower(), {"hsa_id": instance.hsa_id,
                                                                 "description": instance.description})
    for hsa_id in hsa_ids:
        refs.components.setdefault(hsa_id.lower(), {"hsa_id": hsa_id, "description": ""})


def _read_agreements(refs, environment_id, authorizations, day):
    wanted = {_agreement_key(a.consumer, a.contract, a.address) for a in authorizations}
    if not wanted:
        return
    consumer, contract, address = (aliased(SystemInstance), aliased(ServiceContract),
                                   aliased(LogicalAddress))
    rows = db.session.execute(
        sa.select(consumer.hsa_id, contract.namespace, address.hsa_id, CallAuthorization.integration_agreement)
        .join(consumer, CallAuthorization.consumer_id == consumer.id)
        .join(contract, CallAuthorization.contract_id == contract.id)
        .join(address, CallAuthorization.logical_address_id == address.id)
        .where(CallAuthorization.environment_id == environment_id, live_on(CallAuthorization, day),
               in_ignoring_case(consumer.hsa_id, {a.consumer for a in authorizations}),
               in_ignoring_case(contract.namespace, {a.contract for a in authorizations})))
    for row in rows:
        key = _agreement_key(*row[:3])
        if key in wanted and row[3]:
            refs.agreements[key] = row[3]


def of(order, changes):
    """The order's frozen references; for a draft, or an order sent before they were kept, the
    catalogue's now (for its change set `changes`)."""
    kept = order.choices.references
    if kept is not None and order.status != "draft":
        return References.from_stored(kept)
    return read(order.environment_id, changes)
