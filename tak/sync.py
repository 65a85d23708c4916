"""`flask tak sync`: each mapped environment's mirror follows TAK-API, unattended and all or nothing.

One environment at a time: its connection point's snapshotTime is asked first – unchanged, nothing
else is done; otherwise the whole snapshot is read (any fault: TakApiError) and handed to the same
importer as TAK's files (`importer.import_live`) in one transaction, which also refuses a snapshot that
would end too much. Every run that read a new snapshot, or failed, is kept as a `CatalogSync` with its
figures or its Swedish reason. Two syncs never run at once: on PostgreSQL a session-level advisory
lock is held for the whole run; a second start exits with a line saying so."""
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from clock import utc_now
from extensions import db
from models import CatalogSync, Environment
from models.catalog import environment_named, tak_api_mapping
from models.tak_items import Entity

from .importer import SyncRefused, environment_imported, import_live
from .tak_api import TakApi, TakApiError

LOCK_KEY = 0x54414B53  # "TAKS": the advisory lock every sync takes


class SyncError(Exception):
    """The sync cannot start (configuration, lock); the message says why, in Swedish."""


@dataclass
class Outcome:
    environment: str
    status: str  # "synkad", "oförändrad" or "misslyckad"
    line: str
    follow_ups: list
    read: dict = field(default_factory=dict)  # rows read per TAK-API resource
    changes: list = field(default_factory=list)  # the importer's lines: rows read, new, changed, ended per kind


def sync_all(config, only=None, max_removed_share=None, progress=None):
    """Sync every mapped environment (or `only`); returns one Outcome per environment."""
    if not config.get("TAK_SYNC_URL"):
        raise SyncError("TAK_SYNC_URL är inte satt: ange TAK-API:s adress, t.ex. https://…/coop/api/v2.")
    try:
        mapping = tak_api_mapping(config.get("TAK_SYNC_ENVIRONMENTS"))
    except ValueError as error:
        raise SyncError(str(error)) from error
    if only is not None:
        if only not in mapping:
            raise SyncError(f"Miljön '{only}' finns inte i TAK_SYNC_ENVIRONMENTS ({', '.join(mapping) or 'ingen'}).")
        mapping = {only: mapping[only]}
    if not mapping:
        raise SyncError("TAK_SYNC_ENVIRONMENTS är tomt: ange vilka miljöer som följer vilken anslutningspunkt.")
    api = TakApi(config["TAK_SYNC_URL"], config.get("TAK_SYNC_USERNAME") or "", config.get("TAK_SYNC_PASSWORD") or "",
                 timeout=float(config.get("TAK_SYNC_TIMEOUT") or 60), progress=progress)
    share = config.get("TAK_SYNC_MAX_REMOVED", 0.2) if max_removed_share is None else max_removed_share
    with _only_one_sync():
        return [sync_environment(api, label, point, float(share)) for label, point in mapping.items()]


def sync_environment(api, label, point, max_removed_share):
    environment = environment_named(label)
    if environment is None:
        return Outcome(label, "misslyckad", f"{label}: miljön finns inte i Beställningsstödet.", [])
    started, clock = utc_now(), time.monotonic()
    api.read = {}
    try:
        connection_point = api.connection_point(*point)
        if connection_point.snapshot_time and connection_point.snapshot_time == _last_snapshot(environment):
            return Outcome(label, "oförändrad", f"{label}: oförändrad (TAK-API:s ögonblicksbild "
                                                f"{connection_point.snapshot_time}) ({time.monotonic() - clock:.2f} s).", [])
        report = import_live(api.snapshot(connection_point), label, max_removed_share)
    except (TakApiError, SyncRefused, ValueError) as error:
        db.session.rollback()
        _record(environment.id, started, False, None, message=str(error))
        return Outcome(label, "misslyckad", f"{label}: misslyckades – {error}", [], dict(api.read))
    rows = [report.entities[key] for key in (Entity.ROUTING, Entity.AUTHORIZATION) if key in report.entities]
    added, changed, ended = (sum(getattr(entity, name) for entity in rows) for name in ("created", "updated", "removed"))
    _record(environment.id, started, True, connection_point.snapshot_time, added, changed, ended)
    follow_ups = [line for _, line in environment_imported.send(db.session.get(Environment, environment.id)) if line]
    seconds = time.monotonic() - clock
    return Outcome(label, "synkad", f"{label}: synkad från ögonblicksbilden {connection_point.snapshot_time} – "
                                    f"{added} nya, {changed} startade, {ended} avslutade rader ({seconds:.1f} s).",
                   follow_ups, dict(api.read), report.lines()[1:])


def _last_snapshot(environment):
    return db.session.scalar(sa.select(CatalogSync.snapshot_time).where(
        CatalogSync.environment_id == environment.id, CatalogSync.succeeded.is_(True))
        .order_by(CatalogSync.started_at.desc(), CatalogSync.id.desc()).limit(1))


def _record(environment_id, started, succeeded, snapshot_time, added=0, changed=0, ended=0, message=None):
    db.session.add(CatalogSync(environment_id=environment_id, started_at=started, finished_at=utc_now(),
                               succeeded=succeeded, snapshot_time=snapshot_time, added=added, changed=changed,
                               ended=ended, message=message))
    db.session.commit()


class _only_one_sync:
    """A PostgreSQL advisory lock for the whole run, on a connection of its own; SQLite serialises
    writers itself and runs in one place."""

    def __enter__(self):
        self.connection = None
        if db.engine.dialect.name != "postgresql":
            return self
        self.connection = db.engine.connect()
        if not self.connection.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}):
            self.connection.close()
            raise SyncError("En annan synkronisering med TAK-API pågår redan; den här avslutas utan att ändra något.")
        return self

    def __exit__(self, *exc):
        if self.connection is not None:
            self.connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            self.connection.close()
