"""The change set: what TAK must do for an order, derived from the order's content alone.

`producer_change_set` is pure – it reads the content (the orderer's choices) and `Facts` (what
the catalog says now) and touches no database – so the summary page, printout, e-mail, TAK
JSON and applying a done order all read the same answer.
"""
import functools
from dataclasses import dataclass, field

from models.order_content import OrderContent
from models.tak_items import Addressee, Authorization, Component, Contract, Routing, order_lists


@dataclass(frozen=True)
class Connection:
    url: str
    profile: str


@dataclass
class Facts:
    """The catalog's live state that matters for one order, keyed by lower-case identifiers."""

    # (contract namespace, address hsa-id) -> the producer's live connection
    connections: dict = field(default_factory=dict)
    # (consumer hsa-id, contract namespace, address hsa-id) of live call authorisations
    authorizations: set = field(default_factory=set)
    # address hsa-id -> {"hsa_id", "name"} as the catalog spells them, for addresses in `connections`
    addresses: dict = field(default_factory=dict)
    # (contract namespace, address hsa-id) -> hsa-ids of every consumer authorised for it now
    consumers_of: dict = field(default_factory=dict)


@functools.lru_cache(maxsize=100_000)  # the same namespaces and HSA-ids recur on every routing
def _key(*parts):
    return tuple(part.strip().lower() for part in parts)


class _Keyed:
    """A list without duplicates by case-insensitive key, in first-seen order (TAK refuses twins)."""

    def __init__(self):
        self.items = {}

    def add(self, key, item):
        self.items.setdefault(key, item)

    def __iter__(self):
        return iter(self.items.values())

    def __contains__(self, key):
        return key in self.items

    def __len__(self):
        return len(self.items)


@dataclass
class ChangeSet:
    include_contracts: list[Contract] = field(default_factory=list)
    include_addresses: list[Addressee] = field(default_factory=list)
    include_components: list[Component] = field(default_factory=list)
    include_authorizations: list[Authorization] = field(default_factory=list)
    include_routings: list[Routing] = field(default_factory=list)
    exclude_authorizations: list[Authorization] = field(default_factory=list)
    exclude_routings: list[Routing] = field(default_factory=list)
    # For people: what the summary shows besides TAK's lists.
    new_connections: list = field(default_factory=list)      # {"contract", "address"}
    updated_connections: list = field(default_factory=list)  # {"contract", "address", "before", "after"}
    removed_connections: list = field(default_factory=list)  # {"contract", "address"}
    skipped: list = field(default_factory=list)              # {"contract", "address"}: already connected

    @property
    def is_empty(self):
        return not (self.include_routings or self.include_authorizations or self.exclude_routings
                    or self.exclude_authorizations)

    def tak_lists(self):
        """TAK's inkludera/exkludera, in the JSON order's keys."""
        return order_lists(
            include={"contracts": self.include_contracts, "addressees": self.include_addresses,
                     "components": self.include_components, "authorizations": self.include_authorizations,
                     "routings": self.include_routings},
            exclude={"authorizations": self.exclude_authorizations, "routings": self.exclude_routings})


def producer_change_set(content, producer, facts):
    """What TAK must do for a producer order.

    content: an `OrderContent` (or its stored dict) – contracts with url and profile, addressees to
    add or remove, consumers to authorise on the new connections.
    producer: {"hsa_id", "description"}; facts: the catalog's live state (`Facts`).
    """
    routings, excluded, authorizations, excluded_authorizations = _Keyed(), _Keyed(), _Keyed(), _Keyed()
    contracts, addresses, components = _Keyed(), _Keyed(), _Keyed()
    result = ChangeSet()
    content = OrderContent.of(content)
    removing = {_key(a["hsa_id"]) for a in content.remove_addresses}
    consumers = content.consumers
    new_pairs = []

    def route(contract, address, action, **extra):
        routings.add(_key(contract["namespace"], address["hsa_id"]), Routing(
            contract["namespace"], address["hsa_id"], producer["hsa_id"], contract["profile"], contract["url"]))
        contracts.add(_key(contract["namespace"]), contract_item(contract))
        addresses.add(_key(address["hsa_id"]), addressee_item(address))
        components.add(_key(producer["hsa_id"]), component_item(producer))
        action.append({"contract": contract, "address": address, **extra})

    live_by_contract = {}
    for (namespace, address), connection in facts.connections.items():
        live_by_contract.setdefault(namespace, {})[address] = connection
    for contract in content.contracts:
        wanted = Connection(contract.get("url") or "", contract.get("profile") or "")
        live = live_by_contract.get(_key(contract["namespace"])[0], {})
        for address in content.add_addresses:
            current = live.get(_key(address["hsa_id"])[0])
            if current is None:
                route(contract, address, result.new_connections)
                new_pairs.append((contract, address))
            elif current != wanted:
                route(contract, address, result.updated_connections, before=current, after=wanted)
            else:
                result.skipped.append({"contract": contract, "address": address})
        # A new URL or profile applies to every addressee the producer already answers for.
        for address_key, current in sorted(live.items()):
            already = _key(contract["namespace"], address_key) in routings
            if wanted.url and current != wanted and address_key not in removing and not already:
                address = facts.addresses.get(address_key, {"hsa_id": address_key.upper(), "name": ""})
                route(contract, address, result.updated_connections, before=current, after=wanted)
        for address in content.remove_addresses:
            current = live.get(_key(address["hsa_id"])[0])
            if current is not None:
                excluded.add(_key(contract["namespace"], address["hsa_id"]), Routing(
                    contract["namespace"], address["hsa_id"], producer["hsa_id"], current.profile, url=None))
                result.removed_connections.append({"contract": contract, "address": address})
                # An addressee that no longer answers loses its consumers' authorisations too.
                for consumer_hsa_id in facts.consumers_of.get(_key(contract["namespace"], address["hsa_id"]), []):
                    excluded_authorizations.add(_key(consumer_hsa_id, contract["namespace"], address["hsa_id"]),
                                                Authorization(consumer_hsa_id, contract["namespace"], address["hsa_id"]))

    for consumer in consumers:
        for contract, address in new_pairs:
            if _key(consumer["hsa_id"], contract["namespace"], address["hsa_id"]) in facts.authorizations:
                continue
            authorizations.add(_key(consumer["hsa_id"], contract["namespace"], address["hsa_id"]),
                               Authorization(consumer["hsa_id"], contract["namespace"], address["hsa_id"]))
            components.add(_key(consumer["hsa_id"]), component_item(consumer))

    result.include_routings = list(routings)
    result.exclude_routings = list(excluded)
    result.include_authorizations = list(authorizations)
    result.exclude_authorizations = list(excluded_authorizations)
    result.include_contracts = list(contracts)
    result.include_addresses = list(addresses)
    result.include_components = list(components)
    return result


# The one builder of TAK's contract, addressee and component items, for every kind of order: from
# a chosen contract's entry or a frozen reference ({"namespace", "name", "major"}), an addressee's
# ({"hsa_id", "name"}) and a system instance's ({"hsa_id", "description"}).

def contract_item(contract):
    major = contract.get("major")
    return Contract(contract["namespace"], contract.get("name") or "", 1 if major is None else int(major))


def addressee_item(address):
    return Addressee(address["hsa_id"], address.get("name") or "")


def component_item(instance):
    return Component(instance["hsa_id"], instance.get("description") or "")


def facts_to_json(facts):
    """Facts as stored with a sent order: its change set must not drift as the catalog changes."""
    return {
        "connections": [[namespace, address, c.url, c.profile] for (namespace, address), c in facts.connections.items()],
        "authorizations": [list(key) for key in sorted(facts.authorizations)],
        "addresses": facts.addresses,
        "consumers_of": [[namespace, address, consumers] for (namespace, address), consumers
                         in facts.consumers_of.items()],
    }


def facts_from_json(data):
    return Facts(
        connections={(n, a): Connection(url, profile) for n, a, url, profile in data.get("connections", [])},
        authorizations={tuple(key) for key in data.get("authorizations", [])},
        addresses=dict(data.get("addresses", {})),
        consumers_of={(n, a): consumers for n, a, consumers in data.get("consumers_of", [])},
    )


def _catalog_addressee(facts, hsa_id):
    """The addressee as the catalog spells it (TAK matches case-insensitively, but writes what it has)."""
    return addressee_item(facts.addresses.get(hsa_id.lower()) or {"hsa_id": hsa_id, "name": ""})


def consumer_change_set(content, consumer, facts):
    """What TAK must do for a consumer order (the addressee × contract matrix).

    content: an `OrderContent` (or its stored dict) – the contracts and the matrix cells to add
    and remove ([contract id, addressee HSA-id]).
    consumer: {"hsa_id", "description"}; facts.connections says which cells a producer answers
    (only those can be authorised), facts.authorizations what the consumer already has.
    """
    result = ChangeSet()
    content = OrderContent.of(content)
    contracts_by_id = {entry["id"]: entry for entry in content.contracts}
    included, excluded = _Keyed(), _Keyed()
    contracts, addresses = _Keyed(), _Keyed()
    cells = content.cells
    for contract_id, hsa_id in cells["add"]:
        contract = contracts_by_id.get(contract_id)
        if contract is None or _key(contract["namespace"], hsa_id) not in facts.connections:
            continue  # a disabled cell: no producer answers it
        if _key(consumer["hsa_id"], contract["namespace"], hsa_id) in facts.authorizations:
            continue
        address = _catalog_addressee(facts, hsa_id)
        included.add(_key(contract["namespace"], hsa_id),
                     Authorization(consumer["hsa_id"], contract["namespace"], address.hsa_id))
        contracts.add(_key(contract["namespace"]), contract_item(contract))
        addresses.add(_key(hsa_id), address)
        result.new_connections.append({"contract": contract, "address": {"hsa_id": hsa_id, "name": address.description}})
    for contract_id, hsa_id in cells["remove"]:
        contract = contracts_by_id.get(contract_id)
        if contract is None or _key(consumer["hsa_id"], contract["namespace"], hsa_id) not in facts.authorizations:
            continue
        address = _catalog_addressee(facts, hsa_id)
        excluded.add(_key(contract["namespace"], hsa_id),
                     Authorization(consumer["hsa_id"], contract["namespace"], address.hsa_id))
        result.removed_connections.append({"contract": contract, "address": {"hsa_id": hsa_id,
                                                                             "name": address.description}})
    result.include_authorizations = list(included)
    result.exclude_authorizations = list(excluded)
    result.include_contracts = list(contracts)
    result.include_addresses = list(addresses)
    result.include_components = [component_item(consumer)] if included else []
    return result
