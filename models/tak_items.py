"""TAK's items as typed records – and the one module that knows TAK's Swedish JSON keys.

The same records describe a row of a TAK export (read by `tak/export.py`, written by
`tak/dump.py`) and an item of a JSON order (built by `ordering/change_set.py`, applied, verified
and written by `ordering/`). In an export a routing or authorisation refers to other rows by TAK's
row id and has a validity; in an order it refers to them by identifier (namespace, HSA-id, profile
name) and the validity is the order's. A new TAK field is a field here and, if the mirror keeps it,
a column in `models/catalog.py`.
"""
import datetime as dt
from dataclasses import dataclass


class Entity:
    """The lists of a TAK export (`data.<entity>`)."""

    PROFILE = "rivtaprofil"
    CONTRACT = "tjanstekontrakt"
    ADDRESSEE = "logiskadress"
    COMPONENT = "tjanstekomponent"
    ENDPOINT = "anropsadress"
    ROUTING = "vagval"
    AUTHORIZATION = "anropsbehorighet"
    ALL = (PROFILE, CONTRACT, ADDRESSEE, COMPONENT, ENDPOINT, ROUTING, AUTHORIZATION)


class Key:
    """Field and relationship names, in exports and orders alike."""

    ID = "id"
    NAME = "namn"
    DESCRIPTION = "beskrivning"
    NAMESPACE = "namnrymd"
    MAJOR = "majorVersion"
    MINOR = "minorVersion"
    HSA_ID = "hsaId"
    URL = "adress"
    VALID_FROM = "fromTidpunkt"
    VALID_TO = "tomTidpunkt"
    AGREEMENT = "integrationsavtal"
    RELATIONSHIPS = "relationships"
    PUBLISHED_VERSION = "pubversion"
    # references from a routing or an authorisation (an order's item, or an export row's relationships)
    ADDRESS = "logiskAdress"
    EXPORT_ADDRESS = "logiskadress"  # the routing's relationship in an export is spelt in lower case
    CONTRACT = "tjanstekontrakt"
    PROFILE = "rivtaprofil"
    PRODUCER = "tjanstekomponent"
    CONSUMER = "tjanstekonsument"
    ENDPOINT = "anropsadress"
    # the document around the lists
    SNAPSHOT_TIME = "tidpunkt"
    DATA = "data"


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    description: str = ""
    tak_id: int | None = None


@dataclass(frozen=True, slots=True)
class Contract:
    namespace: str
    description: str = ""
    major: int = 1
    minor: int = 0
    tak_id: int | None = None

    def order_item(self):
        return {Key.NAMESPACE: self.namespace, Key.DESCRIPTION: self.description, Key.MAJOR: self.major}


@dataclass(frozen=True, slots=True)
class _HsaItem:
    hsa_id: str
    description: str = ""
    tak_id: int | None = None

    def order_item(self):
        return {Key.HSA_ID: self.hsa_id, Key.DESCRIPTION: self.description}


@dataclass(frozen=True, slots=True)
class Addressee(_HsaItem):
    """A logical addressee (logisk adressat)."""


@dataclass(frozen=True, slots=True)
class Component(_HsaItem):
    """A TAK component – a system instance, producing or consuming."""


@dataclass(frozen=True, slots=True)
class Routing:
    """A routing (vägval) with its call address: a producer answers a contract for an addressee.
    An order excluding a routing names no URL (`url` None)."""

    contract: str | int
    address: str | int
    producer: str | int
    profile: str | int
    url: str | None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    tak_id: int | None = None

    def order_item(self):
        item = {Key.URL: self.url} if self.url is not None else {}
        item.update({Key.ADDRESS: self.address, Key.CONTRACT: self.contract, Key.PROFILE: self.profile,
                     Key.PRODUCER: self.producer})
        return item


@dataclass(frozen=True, slots=True)
class Authorization:
    """A call authorisation (anropsbehörighet): a consumer may call a contract for an addressee."""

    consumer: str | int
    contract: str | int
    address: str | int
    integration_agreement: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    tak_id: int | None = None

    def order_item(self):
        return {Key.ADDRESS: self.address, Key.CONTRACT: self.contract, Key.CONSUMER: self.consumer}


def order_lists(include, exclude):
    """TAK's `inkludera`/`exkludera` of a JSON order, from lists of records keyed by
    contracts/addressees/components/authorizations/routings."""
    def items(records):
        return [record.order_item() for record in records]

    return {
        "inkludera": {
            "anropsbehorigheter": items(include["authorizations"]),
            "vagval": items(include["routings"]),
            "tjanstekontrakt": items(include["contracts"]),
            "logiskadresser": items(include["addressees"]),
            "tjanstekomponenter": items(include["components"]),
        },
        "exkludera": {"anropsbehorigheter": items(exclude["authorizations"]), "vagval": items(exclude["routings"])},
    }


def order_document(platform, ordered_at, orderer, comment, execute_at, lists):
    """A JSON order as TAK's import reads it (times already written as TAK writes them)."""
    return {"plattform": platform, "formatVersion": "1.0", "version": "1", "bestallningsTidpunkt": ordered_at,
            "utforare": orderer, "kommentar": comment, "genomforandeTidpunkt": execute_at, **lists}


def dump_header(snapshot_time, producer, comment):
    """The head of a nightly dump, written before `data`."""
    return {"formatVersion": 1, "version": 0, Key.SNAPSHOT_TIME: snapshot_time, "utforare": producer,
            "kommentar": comment}

