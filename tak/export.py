"""Parse a TAK export into plain, validated rows – no database involved.

Both of TAK's export formats share one shape: {"tidpunkt": ..., "data": {entity: [rows]}}.
The nightly dump keys an authorisation's consumer 'tjanstekonsument'; the PubVersion blob
keys it 'tjanstekomponent'. Either may be gzip-compressed.
"""
import datetime as dt
import gzip
import json
from dataclasses import dataclass, field

from clock import SWEDISH_TIME

GZIP_MAGIC = b"\x1f\x8b"


class TakExportError(Exception):
    """The file is not a usable TAK export; the message names the problem in Swedish."""


@dataclass(frozen=True)
class Profile:
    tak_id: int
    name: str
    description: str


@dataclass(frozen=True)
class Contract:
    tak_id: int
    namespace: str
    description: str
    major: int
    minor: int


@dataclass(frozen=True)
class HsaEntity:
    """A logical addressee or a component: both are an HSA-id with a description."""

    tak_id: int
    hsa_id: str
    description: str


@dataclass(frozen=True)
class Routing:
    tak_id: int
    contract_id: int
    address_id: int
    producer_id: int
    profile_id: int
    url: str
    valid_from: dt.date
    valid_to: dt.date


@dataclass(frozen=True)
class Authorization:
    tak_id: int
    contract_id: int
    address_id: int
    consumer_id: int
    integration_agreement: str | None
    valid_from: dt.date
    valid_to: dt.date


@dataclass
class TakExport:
    snapshot_time: dt.datetime | None
    profiles: list[Profile]
    contracts: list[Contract]
    addresses: list[HsaEntity]
    components: list[HsaEntity]
    routings: list[Routing]
    authorizations: list[Authorization]
    ignored_entities: dict[str, int] = field(default_factory=dict)


ENTITIES = ("rivtaprofil", "tjanstekontrakt", "logiskadress", "tjanstekomponent", "anropsadress", "vagval",
            "anropsbehorighet")


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
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise TakExportError("Filen har fel format: objektet 'data' saknas på översta nivån.")
    data = document["data"]
    for entity in ENTITIES:
        if not isinstance(data.get(entity), list):
            raise TakExportError(f"Filen har fel format: listan 'data.{entity}' saknas.")
    reader = _RowReader()

    profiles = [Profile(r.id, r.text("namn"), r.optional_text("beskrivning")) for r in reader.rows(data, "rivtaprofil")]
    contracts = [
        Contract(r.id, r.text("namnrymd"), r.optional_text("beskrivning"), r.integer("majorVersion"),
                 r.integer("minorVersion", default=0))
        for r in reader.rows(data, "tjanstekontrakt")
    ]
    addresses = [HsaEntity(r.id, r.text("hsaId"), r.optional_text("beskrivning")) for r in reader.rows(data, "logiskadress")]
    components = [HsaEntity(r.id, r.text("hsaId"), r.optional_text("beskrivning")) for r in reader.rows(data, "tjanstekomponent")]

    known = {
        "rivtaprofil": {p.tak_id for p in profiles},
        "tjanstekontrakt": {c.tak_id for c in contracts},
        "logiskadress": {a.tak_id for a in addresses},
        "tjanstekomponent": {c.tak_id for c in components},
    }
    endpoints = {}
    for r in reader.rows(data, "anropsadress"):
        endpoints[r.id] = (
            r.text("adress"),
            r.reference("rivtaprofil", known["rivtaprofil"]),
            r.reference("tjanstekomponent", known["tjanstekomponent"]),
        )
    known["anropsadress"] = set(endpoints)

    routings = []
    for r in reader.rows(data, "vagval"):
        url, profile_id, producer_id = endpoints[r.reference("anropsadress", known["anropsadress"])]
        routings.append(Routing(
            r.id, r.reference("tjanstekontrakt", known["tjanstekontrakt"]),
            r.reference("logiskadress", known["logiskadress"]), producer_id, profile_id, url,
            r.date("fromTidpunkt"), r.date("tomTidpunkt"),
        ))

    authorizations = []
    for r in reader.rows(data, "anropsbehorighet"):
        consumer_key = "tjanstekonsument" if "tjanstekonsument" in r.relationships else "tjanstekomponent"
        authorizations.append(Authorization(
            r.id, r.reference("tjanstekontrakt", known["tjanstekontrakt"]),
            r.reference("logiskAdress", known["logiskadress"]),
            r.reference(consumer_key, known["tjanstekomponent"], entity="tjanstekomponent"),
            r.optional_text("integrationsavtal") or None, r.date("fromTidpunkt"), r.date("tomTidpunkt"),
        ))

    ignored = {name: len(rows) for name, rows in data.items() if name not in ENTITIES and isinstance(rows, list)}
    return TakExport(parse_timestamp(document.get("tidpunkt")), profiles, contracts, addresses, components,
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
        self.id = self.integer("id")
        relationships = row.get("relationships", {})
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
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        # TAK stores Swedish midnight as UTC (22:00/23:00 the day before); the day is the Swedish one.
        return moment.astimezone(SWEDISH_TIME).date()

    def reference(self, key, known_ids, entity=None):
        if key not in self.relationships:
            self.fail(f"relationen '{key}' saknas")
        target = self.relationships[key]
        if target not in known_ids:
            self.fail(f"relationen '{key}' pekar på {entity or key} med id {target}, som inte finns i filen")
        return target
