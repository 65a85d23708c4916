"""Reading one connection point (platform + environment) from TAK-API, the read-only REST API over
every platform's TAK (skltp-integration/cooperation, /coop/api/v2), into the same `TakExport` a TAK
file gives – so one importer decides what the mirror holds.

TAK-API's ids are regenerated every night: everything is matched on natural keys (namespaces,
HSA-ids, logical addresses), never on its ids. It carries only what is valid today, and no validity
dates or integration agreements (see `importer.import_live`)."""
import base64
import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from clock import SWEDISH_TIME
from models.tak_items import Addressee, Authorization, Component, Contract, Key, Profile, Routing

from .export import TakExport, parse_timestamp

# What a snapshot reads, in order (a progress bar counts them).
RESOURCES = ("connectionPoints", "serviceContracts", "installedContracts", "logicalAddresses", "serviceProducers",
             "serviceConsumers", "serviceProductions", "cooperations")
ROUTING_RELATIONS = "serviceProducer,logicalAddress,serviceContract,connectionPoint,physicalAddress"
AUTHORIZATION_RELATIONS = "serviceConsumer,logicalAddress,serviceContract,connectionPoint"


class TakApiError(Exception):
    """TAK-API could not be read completely; the message says why, in Swedish."""


@dataclass(frozen=True)
class ConnectionPoint:
    id: int
    platform: str
    environment: str
    snapshot_time: str


class TakApi:
    def __init__(self, base_url, username, password, timeout=60.0, progress=None):
        self.base_url, self.timeout = base_url.rstrip("/"), timeout
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "Accept": "application/json"}
        self.progress = progress or (lambda resource, rows: None)
        self.read = {}  # resource -> rows read, since the caller last emptied it

    def get(self, resource, **params):
        """A resource's JSON list; TakApiError for anything short of a complete, well-formed answer."""
        query = urllib.parse.urlencode({key: value for key, value in params.items() if value is not None})
        url = f"{self.base_url}/{resource}.json" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            error.close()  # its body holds the connection open
            raise TakApiError(f"TAK-API svarade {error.code} på {resource}.") from error
        except (TimeoutError, socket.timeout) as error:
            raise TakApiError(f"TAK-API svarade inte inom {self.timeout:g} sekunder på {resource}.") from error
        except http.client.IncompleteRead as error:
            raise TakApiError(f"Svaret på {resource} från TAK-API avbröts innan det var komplett.") from error
        except (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", error)
            raise TakApiError(f"TAK-API kunde inte nås ({resource}): {reason}.") from error
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise TakApiError(f"Svaret på {resource} från TAK-API är inte giltig JSON (avbrutet eller skadat).") from error
        if not isinstance(body, list):
            raise TakApiError(f"Svaret på {resource} från TAK-API är ingen lista.")
        self.read[resource] = len(body)
        self.progress(resource, len(body))
        return body

    def connection_point(self, platform, environment):
        found = [point for point in self.get("connectionPoints", platform=platform, environment=environment)
                 if point.get("platform") == platform and point.get("environment") == environment]
        if len(found) != 1 or "id" not in found[0]:
            raise TakApiError(f"TAK-API har ingen anslutningspunkt {platform}:{environment}.")
        point = found[0]
        return ConnectionPoint(point["id"], platform, environment, point.get("snapshotTime") or "")

    def snapshot(self, point):
        """The connection point's catalogue as a TakExport keyed by natural keys."""
        by_point = {"connectionPointId": point.id}
        contracts, addresses, components, profiles = {}, {}, {}, {}

        def contract(item, where):
            namespace = _key(item, "namespace", where)
            contracts.setdefault(namespace.lower(), Contract(
                namespace, item.get("name") or "", _int(item.get("major"), 1), _int(item.get("minor"), 0),
                namespace.lower()))
            return namespace.lower()

        def address(item, where):
            hsa_id = _key(item, "logicalAddress", where)
            addresses.setdefault(hsa_id.lower(), Addressee(hsa_id, item.get("description") or "", hsa_id.lower()))
            return hsa_id.lower()

        def component(item, where):
            hsa_id = _key(item, Key.HSA_ID, where)  # TAK-API spells it as TAK does
            components.setdefault(hsa_id.lower(), Component(hsa_id, item.get("description") or "", hsa_id.lower()))
            return hsa_id.lower()

        for item in self.get("serviceContracts", **by_point):
            contract(item, "serviceContracts")
        installed = {contract(_relation(item, "serviceContract", "installedContracts"), "installedContracts")
                     for item in self.get("installedContracts", **by_point)}
        for item in self.get("logicalAddresses", **by_point):
            address(item, "logicalAddresses")
        for resource in ("serviceProducers", "serviceConsumers"):
            for item in self.get(resource, **by_point):
                component(item, resource)
        routings = []
        for item in self.get("serviceProductions", include=ROUTING_RELATIONS, **by_point):
            # stripped as a file's are: the real catalogue has call addresses ending in a space
            url = (item.get("physicalAddress") or "").strip()
            profile = _key(item, "rivtaProfile", "serviceProductions")
            if not url.lower().startswith(("http://", "https://")):
                raise TakApiError("TAK-API gav en dold eller ogiltig anropsadress (physicalAddress); inget sparas.")
            # TAK-API names a profile but has no description of it: None keeps the mirror's
            profiles.setdefault(profile.lower(), Profile(profile, None, profile.lower()))
            routings.append(Routing(contract(_relation(item, "serviceContract", "serviceProductions"), "serviceProductions"),
                                    address(_relation(item, "logicalAdress", "serviceProductions"), "serviceProductions"),
                                    component(_relation(item, "serviceProducer", "serviceProductions"),
                                              "serviceProductions"),
                                    profile.lower(), url))
        authorizations = [
            Authorization(component(_relation(item, "serviceConsumer", "cooperations"), "cooperations"),
                          contract(_relation(item, "serviceContract", "cooperations"), "cooperations"),
                          address(_relation(item, "logicalAdress", "cooperations"), "cooperations"))
            for item in self.get("cooperations", include=AUTHORIZATION_RELATIONS, **by_point)]
        return TakExport(snapshot_time(point.snapshot_time), list(profiles.values()), list(contracts.values()),
                         list(addresses.values()), list(components.values()), routings, authorizations,
                         installed=installed)


def snapshot_time(value):
    """TAK-API's snapshotTime (CET, 'yyyy-MM-ddTHH:mm:ssZ' with a zone like +0100) as an aware instant."""
    if not value:
        return None
    text = value.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"
    moment = parse_timestamp(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=SWEDISH_TIME)


def _key(item, name, where):
    value = item.get(name) if isinstance(item, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise TakApiError(f"En rad i {where} från TAK-API saknar {name}; inget sparas.")
    return value.strip()


def _relation(item, name, where):
    value = item.get(name) if isinstance(item, dict) else None
    if not isinstance(value, dict):
        raise TakApiError(f"En rad i {where} från TAK-API saknar {name}; inget sparas.")
    return value


def _int(value, default):
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
