"""`flask export` / `flask import`: the tool's own data – directory, users, FAQ, orders with their
history – as one JSON file, to move between deployments. The catalog is TAK's and moves with
`flask tak dump` / `flask tak import`; the outbox and the change log stay where they were made."""
import datetime as dt
import json

import sqlalchemy as sa

from clock import as_utc
from extensions import advance_sequences, db
from models import (
    FaqEntry,
    InstanceChangeRequest,
    Order,
    OrderStatusChange,
    Organisation,
    System,
    SystemInstance,
    User,
)
from models.catalog import Environment
from models.directory import instance_environment

FORMAT = "bestallningsstod-export"
VERSION = 1
# In the order they can be inserted (foreign keys point backwards).
TABLES = [Environment.__table__, Organisation.__table__, System.__table__, SystemInstance.__table__,
          instance_environment, User.__table__, FaqEntry.__table__, Order.__table__, OrderStatusChange.__table__,
          InstanceChangeRequest.__table__]
# Every other table, and why it stays (tests/test_transfer.py fails for a table in neither list).
NOT_TRANSFERRED = {
    "service_domain": "TAK's mirror: moves with flask tak dump / flask tak import",
    "service_contract": "TAK's mirror", "installed_contract": "TAK's mirror", "logical_address": "TAK's mirror",
    "rivta_profile": "TAK's mirror", "producer_connection": "TAK's mirror", "call_authorization": "TAK's mirror",
    "catalog_health": "computed from the mirror after each import",
    "catalog_sync": "the TAK-API syncs of this deployment",
    "change_log": "kept where the changes were made",
    "outbound_email": "kept where the mails were sent",
    "kept_form": "a half-typed form, kept for its user for minutes",
}
# Tables a new deployment's migrations fill with first content (the FAQ and the accessibility
# statement): an import replaces them instead of finding the fresh database occupied.
SEEDED = [FaqEntry.__table__]


class TransferError(Exception):
    """The file cannot be imported here; the message says why, in Swedish."""


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def export_data(out):
    """Write every table of TABLES to the text stream; returns rows per table."""
    counts, tables = {}, {}
    for table in TABLES:
        columns = [column.name for column in table.columns]
        rows = [[_plain(value) for value in row] for row in db.session.execute(
            sa.select(*table.columns).order_by(*table.primary_key.columns))]
        tables[table.name] = {"columns": columns, "rows": rows}
        counts[table.name] = len(rows)
    json.dump({"format": FORMAT, "version": VERSION, "exported_at": dt.datetime.now(dt.UTC).isoformat(),
               "tables": tables}, out, ensure_ascii=False)
    return counts


def _typed(column, value):
    if value is None:
        return None
    if isinstance(column.type, sa.DateTime):
        moment = dt.datetime.fromisoformat(value)
        return as_utc(moment)
    if isinstance(column.type, sa.Date):
        return dt.date.fromisoformat(value)
    return value


def import_data(document):
    """Insert an export into this database, whose tables must be empty but for the seeded ones,
    which the export replaces; all or nothing."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError("Filen är ingen export från beställningsstödet.")
    if document.get("version") != VERSION:
        raise TransferError(f"Exportformat {document.get('version')} kan inte läsas (denna version läser {VERSION}).")
    occupied = [table.name for table in TABLES if table not in SEEDED
                and db.session.scalar(sa.select(sa.func.count()).select_from(table))]
    if occupied:
        raise TransferError("Databasen har redan data i " + ", ".join(occupied)
                            + "; importera till en nyinstallerad databas (före TAK-importerna).")
    counts = {}
    try:
        for table in SEEDED:
            db.session.execute(sa.delete(table))
        for table in TABLES:
            data = document["tables"].get(table.name, {"columns": [], "rows": []})
            unknown = set(data["columns"]) - set(table.c.keys())
            if unknown:
                raise TransferError(f"Okända kolumner i {table.name}: {', '.join(sorted(unknown))}.")
            rows = [{name: _typed(table.c[name], value) for name, value in zip(data["columns"], row)}
                    for row in data["rows"]]
            if rows:
                db.session.execute(sa.insert(table), rows)
            counts[table.name] = len(rows)
        advance_sequences(db.session)
        db.session.commit()
    except (KeyError, TypeError, ValueError) as error:
        db.session.rollback()
        raise TransferError(f"Filen är skadad: {error}") from error
    except BaseException:
        db.session.rollback()
        raise
    return counts
