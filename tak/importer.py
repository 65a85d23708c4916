"""Bring one environment's catalog mirror up to date with a parsed TAK export.

Reference data (profiles, contracts, addressees, components) is upserted by natural key;
the environment's installed contracts, producer connections and call authorisations are
replaced by the export's through a row diff, so re-importing the same file changes nothing.
Everything happens in one transaction: on any error the database is left as it was.
"""
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask.signals import Namespace

from clock import SWEDISH_TIME, swedish_today, utc_now
from extensions import db
from models import (
    CallAuthorization,
    Environment,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    ServiceDomain,
    SystemInstance,
)
from models.audit import UPDATE, change_log_paused, record
from models.catalog import (
    contract_name_of,
    domain_namespace_of,
    environment_named,
    rows_in_environment,
    validity_end,
)
from models.directory import instance_environment
from models.tak_items import Entity

CHUNK = 5000

# Sent with the environment after `flask tak import`; app.py connects the check of done orders.
environment_imported = Namespace().signal("environment-imported")


@dataclass
class EntityReport:
    label: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    environment: str
    created_environment: bool = False
    entities: dict[str, EntityReport] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    result: str = ""

    def entity(self, key, label):
        return self.entities.setdefault(key, EntityReport(label))

    def lines(self):
        lines = [f"Import till {self.environment}" + (" (miljön skapades)" if self.created_environment else "")]
        lines.append(f"{'':28}{'lästa':>8}{'nya':>8}{'ändrade':>9}{'oförändr.':>10}{'borttagna':>10}{'överhoppade':>12}")
        for entity in self.entities.values():
            lines.append(
                f"{entity.label:28}{entity.read:>8}{entity.created:>8}{entity.updated:>9}"
                f"{entity.unchanged:>10}{entity.removed:>10}{len(entity.skipped):>12}"
            )
        for entity in self.entities.values():
            lines.extend(f"  {entity.label}: överhoppad – {reason}" for reason in entity.skipped)
        lines.extend(f"  OBS: {note}" for note in self.notes)
        if self.result:
            lines.append(self.result)
        return lines


class UnknownEnvironment(ValueError):
    """The named environment does not exist and was not to be created (a typo must not make one)."""


def import_export(export, environment_label, create_environment=True):
    """A TAK file: the environment's rows become exactly the file's, dates and agreements included."""
    report = ImportReport(environment_label)
    try:
        with change_log_paused(db.session):
            environment = _import(export, environment_label, report, create_environment, _replace_rows)
        _log_import(environment, report, "TAK-import")
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


class SyncRefused(ValueError):
    """A snapshot that would end too much of the environment: probably empty or broken, so nothing is written."""


def import_live(export, environment_label, max_removed_share=0.2, comment="TAK-synk"):
    """A snapshot of what is valid today (TAK-API): reference data as from a file; rows the mirror has
    live since before the snapshot's day and the snapshot lacks are ended, the snapshot's new rows start
    that day; dates and integration agreements the snapshot cannot carry are kept. Rows starting on the
    snapshot's day or later (one of our orders, done today) are left alone. All or nothing: a snapshot
    that would end more than `max_removed_share` of the environment's live rows raises SyncRefused."""
    report = ImportReport(environment_label)
    day = export.snapshot_time.astimezone(SWEDISH_TIME).date() if export.snapshot_time else swedish_today()
    try:
        with change_log_paused(db.session):
            environment = _import(export, environment_label, report, False,
                                  lambda *args: _live_rows(*args, day=day, max_removed_share=max_removed_share))
        _log_import(environment, report, comment)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


def _log_import(environment, report, comment):
    """One change-log row per import, instead of one per imported row."""
    summary = {entity.label: f"{entity.created} nya, {entity.updated} ändrade, {entity.removed} borttagna"
               for entity in report.entities.values()}
    record(db.session, UPDATE, "Environment", environment.id, environment.display, after=summary, comment=comment)


ROUTING_COLUMNS = ("producer_id", "contract_id", "logical_address_id", "rivta_profile_id", "url")
AUTHORIZATION_COLUMNS = ("consumer_id", "contract_id", "logical_address_id")


def _import(export, environment_label, report, create_environment, sync_rows):
    environment = _environment(environment_label, report, create_environment)
    report.environment = environment.display
    profile_ids = _upsert_profiles(export.profiles, report.entity(Entity.PROFILE, "RIVTA-profiler"))
    contract_ids = _upsert_contracts(export.contracts, report.entity(Entity.CONTRACT, "Tjänstekontrakt"))
    installed = contract_ids if export.installed is None else {
        key: contract_id for key, contract_id in contract_ids.items() if key in export.installed}
    _sync_installed_contracts(environment, set(installed.values()),
                              report.entity("installerade", "Installerade tjänstekontrakt"))
    address_ids = _upsert_hsa_entities(LogicalAddress, "name", export.addresses,
                                       report.entity(Entity.ADDRESSEE, "Logiska adressater"))
    component_ids = _upsert_hsa_entities(SystemInstance, "tak_description", export.components,
                                         report.entity(Entity.COMPONENT, "Tjänstekomponenter"))
    _attach_instances(environment, set(component_ids.values()))
    routings = [((component_ids[r.producer], contract_ids[r.contract], address_ids[r.address],
                  profile_ids[r.profile], r.url), (r.valid_from, r.valid_to)) for r in export.routings]
    authorizations = [((component_ids[r.consumer], contract_ids[r.contract], address_ids[r.address]),
                       (r.integration_agreement, r.valid_from, r.valid_to)) for r in export.authorizations]
    sync_rows(environment, routings, authorizations, report)
    report.notes.extend(_overlaps(Entity.ROUTING, export.routings, lambda r: (r.contract, r.address)))
    report.notes.extend(_overlaps("anropsbehörighet", export.authorizations,
                                  lambda r: (r.consumer, r.contract, r.address)))
    report.notes.extend(f"{count} rader i '{name}' importeras inte (används inte av beställningsstödet)"
                        for name, count in export.ignored_entities.items())
    environment.snapshot_time = export.snapshot_time
    environment.imported_at = utc_now()
    db.session.flush()
    report.result = _result(environment, len(set(address_ids.values())), len(set(component_ids.values())))
    return environment


def _result(environment, addresses, components):
    """What the environment holds now; addressees and components are shared by all environments."""
    installed, connections, authorizations = (rows_in_environment(model, environment.id)
                                              for model in (InstalledContract, ProducerConnection, CallAuthorization))
    return (f"Resultat i {environment.display}: {installed} installerade tjänstekontrakt, "
            f"{connections} producentanslutningar, {authorizations} anropsbehörigheter; "
            f"exporten har {addresses} logiska adressater och {components} tjänstekomponenter (systeminstanser).")


def _environment(label, report, create):
    platform, name = Environment.split_label(label)
    if not platform or not name:
        raise ValueError(f"Ange miljön som plattform och namn, t.ex. 'NTJP TEST' (fick '{label}').")
    environment = environment_named(label)
    if environment is None and not create:
        known = ", ".join(e.display for e in db.session.scalars(
            sa.select(Environment).order_by(Environment.platform, Environment.name))) or "inga"
        raise UnknownEnvironment(f"Miljön '{platform} {name}' finns inte (befintliga: {known}). "
                                 "Ange --create-environment för att skapa en ny miljö.")
    if environment is None:
        environment = Environment(platform=platform, name=name, active=True)
        db.session.add(environment)
        db.session.flush()
        report.created_environment = True
    return environment


def _upsert_profiles(profiles, entity):
    existing = {p.name.lower(): p for p in db.session.scalars(sa.select(RivtaProfile))}
    ids = {}
    for item in profiles:
        entity.read += 1
        profile = existing.get(item.name.lower())
        if profile is None:
            profile = RivtaProfile(name=item.name, description=item.description or "")
            db.session.add(profile)
            existing[item.name.lower()] = profile
            entity.created += 1
        elif item.description is not None and _assign(profile, description=item.description):
            entity.updated += 1
        else:
            entity.unchanged += 1
        ids[item.tak_id] = profile
    db.session.flush()
    return {tak_id: profile.id for tak_id, profile in ids.items()}


def _upsert_contracts(contracts, entity):
    domains = {d.namespace: d for d in db.session.scalars(sa.select(ServiceDomain))}
    existing = {c.namespace.lower(): c for c in db.session.scalars(sa.select(ServiceContract))}
    ids = {}
    for item in contracts:
        entity.read += 1
        key = item.namespace.lower()
        domain_namespace = domain_namespace_of(item.namespace)
        domain = domains.get(domain_namespace)
        if domain is None:
            domain = domains[domain_namespace] = ServiceDomain(namespace=domain_namespace)
            db.session.add(domain)
        values = dict(name=contract_name_of(item.namespace), major=item.major, minor=item.minor,
                      description=item.description, domain=domain)
        contract = existing.get(key)
        if contract is None:
            contract = existing[key] = ServiceContract(namespace=item.namespace, **values)
            db.session.add(contract)
            entity.created += 1
        elif _assign(contract, **values):
            entity.updated += 1
        else:
            entity.unchanged += 1
        ids[item.tak_id] = contract
    db.session.flush()
    return {tak_id: contract.id for tak_id, contract in ids.items()}


def _upsert_hsa_entities(model, description_attribute, items, entity):
    """Upsert addressees or components by HSA-id (case-insensitive); merge in-file duplicates."""
    existing = {row.hsa_id.lower(): row for row in db.session.scalars(sa.select(model))}
    first_tak_id = {}
    rows = {}
    for item in items:
        entity.read += 1
        key = item.hsa_id.lower()
        if key in first_tak_id:
            entity.skipped.append(
                f"id {item.tak_id} har samma HSA-id som id {first_tak_id[key]} ({item.hsa_id}); raderna slogs ihop"
            )
            rows[item.tak_id] = rows[first_tak_id[key]]
            continue
        first_tak_id[key] = item.tak_id
        row = existing.get(key)
        if row is None:
            row = model(hsa_id=item.hsa_id, **{description_attribute: item.description})
            db.session.add(row)
            entity.created += 1
        elif _assign(row, **{description_attribute: item.description}):
            entity.updated += 1
        else:
            entity.unchanged += 1
        rows[item.tak_id] = row
    db.session.flush()
    return {tak_id: row.id for tak_id, row in rows.items()}


def _sync_installed_contracts(environment, contract_ids, entity):
    table = InstalledContract.__table__
    current = set(db.session.scalars(sa.select(table.c.contract_id).where(table.c.environment_id == environment.id)))
    entity.read = len(contract_ids)
    added, removed = contract_ids - current, current - contract_ids
    if added:
        db.session.execute(sa.insert(table), [{"environment_id": environment.id, "contract_id": c} for c in added])
    for chunk in _chunks(sorted(removed)):
        db.session.execute(sa.delete(table).where(table.c.environment_id == environment.id,
                                                  table.c.contract_id.in_(chunk)))
    entity.created, entity.removed, entity.unchanged = len(added), len(removed), len(current & contract_ids)


def _attach_instances(environment, instance_ids):
    table = instance_environment
    linked = set(db.session.scalars(sa.select(table.c.system_instance_id).where(table.c.environment_id == environment.id)))
    missing = sorted(instance_ids - linked)
    if missing:
        db.session.execute(sa.insert(table), [{"system_instance_id": i, "environment_id": environment.id} for i in missing])


def _replace_rows(environment, routings, authorizations, report):
    _sync_rows(ProducerConnection, environment, [key + rest for key, rest in routings],
               ROUTING_COLUMNS + ("valid_from", "valid_to"), report.entity(Entity.ROUTING, "Producentanslutningar"))
    _sync_rows(CallAuthorization, environment, [key + rest for key, rest in authorizations],
               AUTHORIZATION_COLUMNS + ("integration_agreement", "valid_from", "valid_to"),
               report.entity(Entity.AUTHORIZATION, "Anropsbehörigheter"))


def _live_rows(environment, routings, authorizations, report, day, max_removed_share):
    """Both row kinds diffed first, then checked against the safety stop, then written."""
    plans = [(ProducerConnection, ROUTING_COLUMNS, [key for key, _ in routings],
              report.entity(Entity.ROUTING, "Producentanslutningar")),
             (CallAuthorization, AUTHORIZATION_COLUMNS, [key for key, _ in authorizations],
              report.entity(Entity.AUTHORIZATION, "Anropsbehörigheter"))]
    diffs = [_live_diff(model, environment, wanted, columns, day, entity) for model, columns, wanted, entity in plans]
    live = sum(diff["live"] for diff in diffs)
    ending = sum(len(diff["end"]) for diff in diffs)
    if live and ending / live > max_removed_share:
        raise SyncRefused(
            f"Ögonblicksbilden skulle avsluta {ending} av {live} giltiga rader i {environment.display} "
            f"({ending / live:.0%}, gränsen är {max_removed_share:.0%}); inget har ändrats. Kontrollera TAK-API, "
            "eller kör om med en högre gräns (--max-borttag) om ändringen är avsiktlig.")
    end = validity_end(day)
    for (model, columns, _, entity), diff in zip(plans, diffs):
        table = model.__table__
        for chunk in _chunks(diff["end"]):
            db.session.execute(sa.update(table).where(table.c.id.in_(chunk)).values(valid_to=day - dt.timedelta(days=1)))
        for chunk in _chunks(diff["start"]):
            db.session.execute(sa.update(table).where(table.c.id.in_(chunk)).values(valid_from=day))
        for chunk in _chunks(diff["insert"]):
            db.session.execute(sa.insert(table), [dict(zip(columns, key), environment_id=environment.id,
                                                       valid_from=day, valid_to=end) for key in chunk])
        entity.created, entity.removed = len(diff["insert"]), len(diff["end"])
        entity.updated = len(diff["start"])


def _live_diff(model, environment, wanted_rows, columns, day, entity):
    """The mirror's rows valid before the snapshot's day against the snapshot's (a multiset, keyed by
    natural key): which to end, which later-starting row of ours the snapshot shows live already, and
    which to insert."""
    table = model.__table__
    live, later = defaultdict(list), defaultdict(list)
    query = sa.select(table.c.id, table.c.valid_from, *(table.c[c] for c in columns)).where(
        table.c.environment_id == environment.id, table.c.valid_to >= day)
    for row in db.session.execute(query):
        (live if row[1] < day else later)[tuple(row[2:])].append(row[0])
    wanted = Counter(wanted_rows)
    entity.read = len(wanted_rows)
    diff = {"live": sum(len(ids) for ids in live.values()), "end": [], "start": [], "insert": []}
    for key, ids in live.items():
        keep = min(len(ids), wanted.get(key, 0))
        entity.unchanged += keep
        diff["end"].extend(ids[keep:])
    for key, count in wanted.items():
        missing = max(0, count - len(live.get(key, ())))
        starting = later.get(key, [])[:missing]
        diff["start"].extend(starting)
        diff["insert"].extend([key] * (missing - len(starting)))
    return diff


def _sync_rows(model, environment, wanted_rows, columns, entity):
    """Make the environment's rows equal to wanted_rows (a multiset: TAK may hold duplicates)."""
    table = model.__table__
    existing_ids = defaultdict(list)
    query = sa.select(table.c.id, *(table.c[c] for c in columns)).where(table.c.environment_id == environment.id)
    for row in db.session.execute(query):
        existing_ids[tuple(row[1:])].append(row[0])
    wanted = Counter(wanted_rows)
    entity.read = len(wanted_rows)
    to_delete, to_insert = [], []
    for key, ids in existing_ids.items():
        keep = min(len(ids), wanted.get(key, 0))
        entity.unchanged += keep
        to_delete.extend(ids[keep:])
    for key, count in wanted.items():
        to_insert.extend([key] * max(0, count - len(existing_ids.get(key, ()))))
    for chunk in _chunks(to_delete):
        db.session.execute(sa.delete(table).where(table.c.id.in_(chunk)))
    for chunk in _chunks(to_insert):
        db.session.execute(sa.insert(table), [dict(zip(columns, row), environment_id=environment.id) for row in chunk])
    entity.created, entity.removed = len(to_insert), len(to_delete)


def _overlaps(label, rows, key):
    groups = defaultdict(list)
    for row in rows:
        if row.valid_from is not None:  # TAK-API's rows carry no dates: nothing to overlap
            groups[key(row)].append(row)
    notes = []
    for group in groups.values():
        group.sort(key=lambda r: (r.valid_from, r.tak_id))
        for earlier, later in zip(group, group[1:]):
            if later.valid_from <= earlier.valid_to:
                notes.append(
                    f"{label} id {later.tak_id} överlappar id {earlier.tak_id} med samma nyckel "
                    f"({later.valid_from}–{later.valid_to}); båda behålls som i TAK"
                )
    return notes


def _assign(row, **values):
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
