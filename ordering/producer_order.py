"""Administrera tjänsteproducent: the catalog questions the producer flow asks, and the order's
content (contracts, addressees, URL and profile, consumers) as the orderer builds it."""
import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import (
    CallAuthorization,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    SystemInstance,
)
from models._columns import in_ignoring_case
from models.catalog import live_on

from .catalog import address_ids, contains, term_in
from .change_set import (
    Connection,
    Facts,
    facts_from_json,
    facts_to_json,
    producer_change_set,
)
from .order_flow import (
    SEARCH_LIMIT,
    contract_entry,
    live_authorizations,
    order_header,
    per_contract,
    refreshed_contracts,
)
from .orders import header_of, header_problems

INSTALLED, CONNECTED, NOT_INSTALLED = "installed", "connected", "not_installed"
STATUS_TEXT = {INSTALLED: "Installerat, ej ansluten", CONNECTED: "Ansluten", NOT_INSTALLED: "Ej installerat"}


# --- Contracts -------------------------------------------------------------------------------

def contract_statuses(environment_id, producer_id, contract_ids, day=None):
    """contract id → installed / connected (the producer answers it for some addressee) / not installed."""
    day = day or swedish_today()
    installed = set(db.session.scalars(sa.select(InstalledContract.contract_id).where(
        InstalledContract.environment_id == environment_id, InstalledContract.contract_id.in_(contract_ids))))
    connected = set(db.session.scalars(sa.select(ProducerConnection.contract_id).distinct().where(
        ProducerConnection.environment_id == environment_id, ProducerConnection.producer_id == producer_id,
        ProducerConnection.contract_id.in_(contract_ids), live_on(ProducerConnection, day))))
    return {contract_id: CONNECTED if contract_id in connected else INSTALLED if contract_id in installed
            else NOT_INSTALLED for contract_id in contract_ids}


def domain_contracts(environment_id, producer_id, domain_id):
    contracts = db.session.scalars(sa.select(ServiceContract).where(ServiceContract.domain_id == domain_id)
                                   .order_by(ServiceContract.name, ServiceContract.major)).all()
    statuses = contract_statuses(environment_id, producer_id, [contract.id for contract in contracts])
    return [(contract, statuses[contract.id]) for contract in contracts]


def chosen_contracts(contracts, previous=()):
    """Entries for the chosen contracts (checked by the step's form); earlier URL/profile choices are kept."""
    kept = {entry["id"]: entry for entry in previous}
    return [kept.get(contract.id) or contract_entry(contract) for contract in contracts]


# --- Logical addressees ----------------------------------------------------------------------

def search_addresses(term, limit=SEARCH_LIMIT):
    # PostgreSQL's planner picks per term between walking the lower(hsa_id) index (a common term:
    # the first 40 matches come at once) and the trigram indexes (a rare one). SQLite cannot: for it a
    # LIKE scan (12–25 ms on 60,000 rows) beats the index walk, which is slow for rare terms – so it
    # orders by `hsa_id || ''`, an expression the register's (hsa_id, id) index does not cover.
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    found = db.session.scalars(
        sa.select(LogicalAddress).where(contains([LogicalAddress.hsa_id, LogicalAddress.name], term, approximate=True))
        .order_by(LogicalAddress.hsa_id.op("||")("") if sqlite else sa.func.lower(LogicalAddress.hsa_id))
        .limit(limit * 2)).all()
    return [address for address in found if term_in(term, address.hsa_id, address.name)][:limit]


def _live(environment_id, producer_id, contract_ids, day=None):
    return sa.and_(ProducerConnection.environment_id == environment_id, ProducerConnection.producer_id == producer_id,
                   ProducerConnection.contract_id.in_(contract_ids), live_on(ProducerConnection, day or swedish_today()))


def live_connections(environment_id, producer_id, contract_ids, day=None, where=()):
    """The producer's live connections on these contracts (narrowed by `where`), as plain rows."""
    rows = db.session.execute(
        sa.select(ProducerConnection.contract_id, LogicalAddress.hsa_id, LogicalAddress.name, ProducerConnection.url,
                  RivtaProfile.name)
        .join(LogicalAddress, ProducerConnection.logical_address_id == LogicalAddress.id)
        .join(RivtaProfile, ProducerConnection.rivta_profile_id == RivtaProfile.id)
        .where(_live(environment_id, producer_id, contract_ids, day), *where)
        .order_by(LogicalAddress.hsa_id))
    return [{"contract_id": row[0], "hsa_id": row[1], "name": row[2], "url": row[3], "profile": row[4]}
            for row in rows]


def already_connected(order, addresses):
    """address hsa-id (lower) → names of chosen contracts the producer already answers it for."""
    contracts = {entry["id"]: entry for entry in order.choices.contracts}
    wanted = {entry["hsa_id"] for entry in addresses}  # as spelt: the database lowers (see in_ignoring_case)
    if not contracts or not wanted:
        return {}
    result = {}
    for row in live_connections(order.environment_id, order.system_instance_id, list(contracts),
                                where=[ProducerConnection.logical_address_id.in_(address_ids(wanted))]):
        entry = contracts[row["contract_id"]]
        result.setdefault(row["hsa_id"].lower(), []).append(f"{entry['name']} {entry['major']}.x")
    return result


def removable_addresses(order):
    """The addressees connected for every chosen contract, and notes for the manual's cases.

    Counted in the database: a contract of the large domains has thousands of addressees."""
    contracts = order.choices.contracts
    if not contracts:
        return [], []
    ids = [entry["id"] for entry in contracts]
    live = _live(order.environment_id, order.system_instance_id, ids)
    per_contract = dict(db.session.execute(
        sa.select(ProducerConnection.contract_id, sa.func.count(sa.distinct(ProducerConnection.logical_address_id)))
        .where(live).group_by(ProducerConnection.contract_id)).all())
    common_ids = (sa.select(ProducerConnection.logical_address_id).where(live)
                  .group_by(ProducerConnection.logical_address_id)
                  .having(sa.func.count(sa.distinct(ProducerConnection.contract_id)) == len(set(ids))))
    common = db.session.execute(sa.select(LogicalAddress.hsa_id, LogicalAddress.name)
                                .where(LogicalAddress.id.in_(common_ids))).all()
    notes = []
    if not common:
        notes.append("Inga gemensamma logiska adressater finns bland valda tjänstekontrakt.")
    for entry in contracts:
        if common and per_contract.get(entry["id"], 0) > len(common):
            notes.append(f"OBS! {entry['name']} har även andra logiska adressater än de som visas i listan. "
                         "För att ta bort logiska adressater som inte är anslutna till alla valda tjänstekontrakt, "
                         "behöver du lägga separat beställning för varje enskilt tjänstekontrakt.")
    rows = sorted(common, key=lambda row: (row.name or "", row.hsa_id))
    return [{"hsa_id": row.hsa_id, "name": row.name} for row in rows], notes


def current_settings(order):
    """contract id → (url, profile) of the producer's live connection, to prefill and compare."""
    ids = [entry["id"] for entry in order.choices.contracts]
    if not ids:
        return {}

    def first(column):  # one index seek per contract instead of reading all its connections
        return (sa.select(column).where(_live(order.environment_id, order.system_instance_id, [ServiceContract.id]))
                .limit(1).scalar_subquery())

    rows = db.session.execute(sa.select(ServiceContract.id, first(ProducerConnection.url),
                                        first(ProducerConnection.rivta_profile_id))
                              .where(ServiceContract.id.in_(ids))).all()
    names = dict(db.session.execute(sa.select(RivtaProfile.id, RivtaProfile.name)).all())
    return {contract_id: (url, names.get(profile_id, "")) for contract_id, url, profile_id in rows if url}


# --- The change set and what may be sent ---------------------------------------------------------

def facts_for(order, day=None):
    """The live state the change set reads: connections of the order's addressees, and – for a
    contract whose URL or profile changes – every connection of it (they all get updated)."""
    contracts = {entry["id"]: entry for entry in order.choices.contracts}
    facts = Facts()
    named = {entry["hsa_id"] for entry in order.choices.add_addresses + order.choices.remove_addresses}
    # The query is narrowed to the order's contracts already, so "one of the order's addressees" is
    # said once for all of them, by id: as one IN list per contract, PostgreSQL scanned every addressee
    # once per contract (10 contracts × 500 addressees: 0.3–0.4 s per Beställ).
    relevant = [ProducerConnection.logical_address_id.in_(address_ids(named))] if named else []
    relevant += [sa.and_(ProducerConnection.contract_id == entry["id"],
                         sa.or_(ProducerConnection.url != entry["url"], RivtaProfile.name != (entry.get("profile") or "")))
                 for entry in contracts.values() if entry.get("url")]
    rows = live_connections(order.environment_id, order.system_instance_id, list(contracts), day,
                            where=[sa.or_(*relevant)]) if relevant else []
    for row in rows:
        namespace = contracts[row["contract_id"]]["namespace"].lower()
        facts.connections[(namespace, row["hsa_id"].lower())] = Connection(row["url"], row["profile"])
        facts.addresses[row["hsa_id"].lower()] = {"hsa_id": row["hsa_id"], "name": row["name"]}
    removals = {entry["hsa_id"] for entry in order.choices.remove_addresses}
    if removals and contracts:
        for consumer, namespace, address in live_authorizations(
                order.environment_id, list(contracts), day, in_ignoring_case(LogicalAddress.hsa_id, removals)):
            facts.consumers_of.setdefault((namespace.lower(), address.lower()), []).append(consumer)
    consumers = [entry["id"] for entry in order.choices.consumers]
    if consumers and contracts:
        facts.authorizations = {tuple(value.lower() for value in row) for row in live_authorizations(
            order.environment_id, list(contracts), day, CallAuthorization.consumer_id.in_(consumers))}
    return facts


def producer_of(order):
    header = header_of(order)
    return {"hsa_id": header["hsa_id"], "description": header["description"]} if order.system_instance_id else None


def freeze_facts(order, facts=None):
    """At Beställ: keep the catalog facts the order was judged against (`facts`, when Beställ has just
    read them), and the chosen contracts and consumers as the catalog spells them now, in the order itself."""
    choices = order.choices
    consumers = {instance.id: instance for instance in db.session.scalars(sa.select(SystemInstance).where(
        SystemInstance.id.in_([entry["id"] for entry in choices.consumers])))}
    order.content = choices.updated(
        contracts=refreshed_contracts(choices.contracts),
        consumers=[{**entry, "hsa_id": consumers[entry["id"]].hsa_id, "description": consumers[entry["id"]].description,
                    "label": str(consumers[entry["id"]])} if entry["id"] in consumers else entry
                   for entry in choices.consumers],
        facts=facts_to_json(facts if facts is not None else facts_for(order))).stored()


def change_set(order, day=None, facts=None):
    """The order's change set: live facts while a draft, the frozen ones once sent – or the `facts`
    given (Beställ reads them once for its check, the freeze and the mails)."""
    choices = order.choices
    if choices.removing:
        choices = choices.updated(add_addresses=[], consumers=[])
    else:
        choices = choices.updated(remove_addresses=[], consumers=choices.consumers if choices.consumers_together else [])
    if facts is None:
        frozen = choices.facts
        facts = facts_from_json(frozen) if frozen is not None and order.status != "draft" else facts_for(order, day)
    return producer_change_set(choices, producer_of(order) or {"hsa_id": "", "description": ""}, facts)


def send_problems(order, changes=None):
    """Why the order cannot be sent yet, in the orderer's words; empty when it can."""
    problems = header_problems(order, "tjänsteproducent")
    choices = order.choices
    if not choices.contracts:
        problems.append("Välj minst ett tjänstekontrakt.")
    changes = changes or change_set(order)
    names = {entry["namespace"].lower(): f"{entry['name']} v{entry['major']}" for entry in choices.contracts}
    for routing in changes.include_routings:  # what the URL step's form let through is valid; is it there?
        if not routing.url or not routing.profile:
            name = names.get(routing.contract.lower(), routing.contract)
            problems.append(f"Ange RIVTA-profil och giltig URL för {name}.")
            break
    if choices.consumers_together and not choices.removing and not choices.consumers:
        problems.append("Lägg till minst en tjänstekonsument, eller välj att adresseringsbehörighet begärs "
                        "via en separat beställning.")
    if not (order.orderer_name and order.orderer_email and order.orderer_phone):
        problems.append("Fyll i beställarens namn, telefon och e-post.")
    if changes.is_empty:
        problems.append("Beställningen innehåller inga ändringar och kan inte skickas.")
    return problems


def summary(order, changes):
    """The manual's "Sammanställning för bekräftelse" as plain data, for page, printout and mail."""
    choices = order.choices
    contracts = {entry["namespace"].lower(): entry for entry in choices.contracts}
    named = {entry["hsa_id"].lower(): entry.get("name", "") for entry in
             choices.add_addresses + choices.remove_addresses}

    consumers = []
    for consumer in choices.consumers if choices.consumers_together else []:
        grants = [a for a in changes.include_authorizations if a.consumer.lower() == consumer["hsa_id"].lower()]
        by_contract = {}
        for grant in grants:
            entry = contracts.get(grant.contract.lower(), {"name": grant.contract, "major": ""})
            by_contract.setdefault(f"{entry['name']} v{entry['major']}", []).append(
                {"hsa_id": grant.address, "name": named.get(grant.address.lower(), "")})
        consumers.append({"hsa_id": consumer["hsa_id"], "label": consumer.get("label", consumer["hsa_id"]),
                          "system": consumer.get("description", ""), "contracts": by_contract})
    removing = choices.removing
    new_addresses = [entry for entry in choices.add_addresses if entry.get("new") and not removing]
    settings = [] if removing else [
        {"contract": f"{entry['name']} v{entry['major']}", "profile": entry.get("profile", ""),
         "url": entry.get("url", ""),
         "previous": ({"profile": entry.get("previous_profile", ""), "url": entry["previous_url"]}
                      if entry.get("previous_url") and (entry.get("previous_url"), entry.get("previous_profile"))
                      != (entry.get("url"), entry.get("profile")) else None)}
        for entry in choices.contracts]
    removed_authorizations = {}
    for item in changes.exclude_authorizations:
        entry = contracts.get(item.contract.lower(), {"name": item.contract, "major": ""})
        removed_authorizations.setdefault(f"{entry['name']} v{entry['major']}", []).append(
            {"consumer": item.consumer, "hsa_id": item.address,
             "name": named.get(item.address.lower(), "")})
    return {
        **order_header(order, "producer"),
        "new_connections": per_contract(changes.new_connections, named),
        "updated_connections": per_contract(changes.updated_connections, named),
        "removed_connections": per_contract(changes.removed_connections, named),
        "skipped": per_contract(changes.skipped, named),
        "new_addresses": new_addresses,
        "settings": settings,
        "removed_authorizations": removed_authorizations,
        "consumers": consumers,
    }


def installed_in(environment_id):
    """A predicate: is this contract entry installed in the environment?"""
    installed = set(db.session.scalars(sa.select(InstalledContract.contract_id).where(
        InstalledContract.environment_id == environment_id)))
    return lambda entry: entry["id"] in installed
