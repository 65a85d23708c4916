"""Parse a TAK export into plain, validated rows – no database involved.

Both of TAK's export formats share one shape: {"tidpunkt": ..., "data": {entity: [rows]}}.
The nightly dump keys an authorisation's consumer 'tjanstekonsument'; the PubVersion blob
keys it 'tjanstekomponent'. Either may be gzip-compressed.
"""
import datetime as dt
import gzip
import json
from dataclasses import dataclass, field

from clock import SWEDISH_TIME, as_utc
from models.tak_items import Addressee, Authorization, Component, Contract, Entity, Key, Profile, Routing

GZIP_MAGIC = b"\x1f\x8b"


class TakExportError(Exception):
    """The file is not a usable TAK export; the message names the problem in Swedish."""


@dataclass
class TakExport:
    snapshot_time: dt.datetime | None
    profiles: list[Profile]
    contracts: list[Contract]
    addresses: list[Addressee]
    components: list[Component]
    routings: list[Routing]
    authorizations: list[Authorization]
    ignored_entities: dict[str, int] = field(default_factory=dict)
    # TAK-API names the installed contracts (keys of `contracts`); a file installs all it lists
    installed: set | None = None


ENTITIES = Entity.ALL


def read_export(path):
    """Read a TAK export file, plain or gzip-compressed, and parse it."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise TakExportError(f"Filen kan inte läsas: {error.strerror} ({path})") from error
    return parse_export(decode_json(raw))


def decode_json(raw):
    if raw[:2] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise TakExportError(f"Filen är inte en giltig gzip-fil: {error}") from error
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise TakExportError(f"Filen är inte UTF-8-kodad text: {error}") from error
    except json.JSONDecodeError as error:
        raise TakExportError(
            f"Filen är inte giltig JSON (rad {error.lineno}, kolumn {error.colno}: {error.msg})"
        ) from error


def parse_export(document):
    if not isinstance(document, dict) or not isinstance(document.get(Key.DATA), dict):
        raise TakExportError("Filen har fel format: objektet 'data' saknas på översta nivån.")
    data = document[Key.DATA]
    for entity in ENTITIES:
        if not isinstance(data.get(entity), list):
            raise TakExportError(f"Filen har fel format: listan 'data.{entity}' saknas.")
    reader = _RowReader()

    profiles = [Profile(r.text(Key.NAME), r.optional_text(Key.DESCRIPTION), r.id)
                for r in reader.rows(data, Entity.PROFILE)]
    contracts = [
        Contract(r.text(Key.NAMESPACE), r.optional_text(Key.DESCRIPTION), r.integer(Key.MAJOR),
                 r.integer(Key.MINOR, default=0), r.id)
        for r in reader.rows(data, Entity.CONTRACT)
    ]
    addresses = [Addressee(r.text(Key.HSA_ID), r.optional_text(Key.DESCRIPTION), r.id)
                 for r in reader.rows(data, Entity.ADDRESSEE)]
    components = [Component(r.text(Key.HSA_ID), r.optional_text(Key.DESCRIPTION), r.id)
                  for r in reader.rows(data, Entity.COMPONENT)]

    known = {
        Entity.PROFILE: {p.tak_id for p in profiles},
        Entity.CONTRACT: {c.tak_id for c in contracts},
        Entity.ADDRESSEE: {a.tak_id for a in addresses},
        Entity.COMPONENT: {c.tak_id for c in components},
    }
    endpoints = {}
    for r in reader.rows(data, Entity.ENDPOINT):
        endpoints[r.id] = (
            r.text(Key.URL),
            r.reference(Key.PROFILE, known[Entity.PROFILE]),
            r.reference(Key.PRODUCER, known[Entity.COMPONENT]),
        )
    known[Entity.ENDPOINT] = set(endpoints)

    routings = []
    for r in reader.rows(data, Entity.ROUTING):
        url, profile_id, producer_id = endpoints[r.reference(Key.ENDPOINT, known[Entity.ENDPOINT])]
        routings.append(Routing(
            r.reference(Key.CONTRACT, known[Entity.CONTRACT]), r.reference(Key.EXPORT_ADDRESS, known[Entity.ADDRESSEE]),
            producer_id, profile_id, url, r.date(Key.VALID_FROM), r.date(Key.VALID_TO), r.id,
        ))

    authorizations = []
    for r in reader.rows(data, Entity.AUTHORIZATION):
        # The nightly dump names the consumer 'tjanstekonsument', the PubVersion blob 'tjanstekomponent'.
        consumer_key = Key.CONSUMER if Key.CONSUMER in r.relationships else Key.PRODUCER
        authorizations.append(Authorization(
            r.reference(consumer_key, known[Entity.COMPONENT], entity=Entity.COMPONENT),
            r.reference(Key.CONTRACT, known[Entity.CONTRACT]), r.reference(Key.ADDRESS, known[Entity.ADDRESSEE]),
            r.optional_text(Key.AGREEMENT) or None, r.date(Key.VALID_FROM), r.date(Key.VALID_TO), r.id,
        ))

    ignored = {name: len(rows) for name, rows in data.items() if name not in ENTITIES and isinstance(rows, list)}
    return TakExport(parse_timestamp(document.get(Key.SNAPSHOT_TIME)), profiles, contracts, addresses, components,
                     routings, authorizations, ignored)


def parse_timestamp(value):
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise TakExportError(f"Ogiltig tidpunkt i filen: '{value}'") from error


class _RowReader:
    def rows(self, data, entity):
        seen = set()
        for index, row in enumerate(data[entity], start=1):
            reader = _Row(entity, index, row)
            if reader.id in seen:
                reader.fail(f"id {reader.id} förekommer mer än en gång")
            seen.add(reader.id)
            yield reader


class _Row:
    def __init__(self, entity, index, row):
        self.entity, self.index, self.row = entity, index, row
        if not isinstance(row, dict):
            self.fail("raden är inte ett objekt")
        self.id = self.integer(Key.ID)
        relationships = row.get(Key.RELATIONSHIPS, {})
        if not isinstance(relationships, dict):
            self.fail("'relationships' är inte ett objekt")
        self.relationships = relationships

    def fail(self, problem):
        raise TakExportError(f"Fel i {self.entity} rad {self.index}: {problem}.")

    def _value(self, key):
        if key not in self.row:
            self.fail(f"fältet '{key}' saknas")
        return self.row[key]

    def text(self, key):
        value = self._value(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"fältet '{key}' måste vara en icke-tom text")
        # Legacy values carry stray whitespace (line separators, CR/LF) at the ends; trim only those.
        return value.strip()

    def optional_text(self, key):
        value = self.row.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(f"fältet '{key}' måste vara text")
        return value.strip()

    def integer(self, key, default=None):
        value = self.row.get(key, default)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(f"fältet '{key}' måste vara ett heltal")
        return value

    def date(self, key):
        value = self._value(key)
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"fältet '{key}' har ogiltig tidpunkt '{value}'")
        # TAK stores Swedish midnight as UTC (22:00/23:00 the day before); the day is the Swedish one.
        return as_utc(moment).astimezone(SWEDISH_TIME).date()

    def reference(self, key, known_ids, entity=None):
        if key not in self.relationships:
            self.fail(f"relationen '{key}' saknas")
        target = self.relationships[key]
        if target not in known_ids:
            self.fail(f"relationen '{key}' pekar på {entity or key} med id {target}, som inte finns i filen")
        return target
