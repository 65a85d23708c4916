"""A TAK-API to test against: a small HTTP server on 127.0.0.1 that serves TAK exports in the shapes
of TAK-API v2 (skltp-integration/cooperation, `src/main/resources/static/doc/openapi_v2.yaml`) – not
in ours. It is a test double of an outside service, used by the tests and the benchmark; the
application never imports it.

What it reproduces of TAK-API:
* base `/coop/api/v2`; `/x`, `/x/` and `/x.json` answer alike; `/coop/api/v1/...` answers 410 Gone;
* HTTP Basic authentication (401 without or with wrong credentials);
* resources connectionPoints (platform, environment, snapshotTime), serviceContracts (name = TAK's
  beskrivning, namespace, major, minor), serviceDomains, installedContracts (with connectionPoint and
  serviceContract), logicalAddresses (logicalAddress, description), serviceProducers and
  serviceConsumers (hsaId, description), serviceProductions (physicalAddress, rivtaProfile) and
  cooperations, filtered by `connectionPointId`;
* relations of serviceProductions and cooperations only when named in `include` (the relation key is
  spelt `logicalAdress`, as in TAK-API); `physicalAddress` obfuscated unless `include` names it;
* ids regenerated for every snapshot (the real ones change every night);
* only rows valid on the snapshot's day, as TAK-API's nightly import keeps them.

Faults for the tests, set on `server.faults`: "error_after" (answer 500 from the n-th request on),
"truncate" (a body cut in half, with the full Content-Length), "stall" (seconds before answering),
"drop_key" (a resource whose items lose their natural key), "refuse" (close without answering).
"""
import base64
import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

SWEDEN = ZoneInfo("Europe/Stockholm")
OBFUSCATED = "*** dold, ange physicalAddress i include ***"


def _swedish_day(value):
    moment = dt.datetime.strptime(value.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")
    return moment.astimezone(SWEDEN).date()


class Snapshot:
    """One connection point's data in TAK-API's shapes, built from a TAK export document (the raw JSON
    of a takdump) as TAK-API's import would see it on `day`."""

    def __init__(self, platform, environment, document, snapshot_time, day=None, first_id=1):
        data, day = document["data"], day or dt.datetime.now(SWEDEN).date()
        self.platform, self.environment, self.snapshot_time = platform, environment, snapshot_time
        ids = iter(range(first_id, first_id + 10_000_000))

        def live(row):
            return _swedish_day(row["fromTidpunkt"]) <= day <= _swedish_day(row["tomTidpunkt"])

        def by_id(entity):
            return {row["id"]: row for row in data[entity]}

        contracts, addresses, components = by_id("tjanstekontrakt"), by_id("logiskadress"), by_id("tjanstekomponent")
        profiles, endpoints = by_id("rivtaprofil"), by_id("anropsadress")
        self.connection_point = {"id": next(ids), "platform": platform, "environment": environment,
                                 "snapshotTime": snapshot_time}
        self.contracts = {key: {"id": next(ids), "name": row.get("beskrivning") or "", "namespace": row["namnrymd"],
                                "major": row.get("majorVersion"), "minor": row.get("minorVersion", 0)}
                          for key, row in contracts.items()}
        self.addresses = {key: {"id": next(ids), "logicalAddress": row["hsaId"], "description": row.get("beskrivning")}
                          for key, row in addresses.items()}
        self.productions, self.cooperations, producers, consumers = [], [], {}, {}
        for row in data["vagval"]:
            if not live(row):
                continue
            endpoint = endpoints[row["relationships"]["anropsadress"]]
            producer = components[endpoint["relationships"]["tjanstekomponent"]]
            producers.setdefault(producer["id"], {"id": next(ids), "hsaId": producer["hsaId"],
                                                  "description": producer.get("beskrivning")})
            self.productions.append({
                "id": next(ids), "physicalAddress": endpoint["adress"],
                "rivtaProfile": profiles[endpoint["relationships"]["rivtaprofil"]]["namn"],
                "serviceProducer": producers[producer["id"]],
                "logicalAdress": self.addresses[row["relationships"]["logiskadress"]],
                "serviceContract": self.contracts[row["relationships"]["tjanstekontrakt"]]})
        for row in data["anropsbehorighet"]:
            if not live(row):
                continue
            relations = row["relationships"]
            consumer = components[relations.get("tjanstekonsument", relations.get("tjanstekomponent"))]
            consumers.setdefault(consumer["id"], {"id": next(ids), "hsaId": consumer["hsaId"],
                                                  "description": consumer.get("beskrivning")})
            self.cooperations.append({
                "id": next(ids), "serviceConsumer": consumers[consumer["id"]],
                "logicalAdress": self.addresses[relations["logiskAdress"]],
                "serviceContract": self.contracts[relations["tjanstekontrakt"]]})
        self.producers, self.consumers = list(producers.values()), list(consumers.values())
        self.installed = [{"id": next(ids), "connectionPoint": self.connection_point, "serviceContract": contract}
                          for contract in self.contracts.values()]
        domains = {}
        for contract in self.contracts.values():
            namespace = contract["namespace"].removeprefix("urn:riv:").rsplit(":", 2)[0]
            domains.setdefault(namespace, {"id": next(ids), "name": namespace.replace(":", "_"),
                                           "namespace": namespace})
        self.domains = list(domains.values())


NATURAL_KEYS = ("namespace", "hsaId", "logicalAddress")


def _without_keys(item):
    """The item, and the relations it includes, without their natural keys (a fault)."""
    return {key: _without_keys(value) if isinstance(value, dict) else value
            for key, value in item.items() if key not in NATURAL_KEYS}


class TakApiDouble:
    """The server: `with TakApiDouble(snapshots, "user", "secret") as api:` serves api.base_url."""

    def __init__(self, snapshots, username, password):
        self.snapshots, self.credentials = list(snapshots), (username, password)
        self.faults, self.requests = {}, []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self.server.server_port}/coop/api/v2"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    # --- what each resource answers ------------------------------------------------------------------

    def _snapshot(self, query):
        wanted = query.get("connectionPointId")
        return [s for s in self.snapshots if wanted is None or str(s.connection_point["id"]) == wanted]

    def answer(self, resource, query):
        include = set(filter(None, (query.get("include") or "").split(",")))
        snapshots = self._snapshot(query)
        if resource == "connectionPoints":
            return [s.connection_point for s in self.snapshots
                    if query.get("platform", s.platform) == s.platform
                    and query.get("environment", s.environment) == s.environment]
        if resource == "serviceContracts":
            return [c for s in snapshots for c in s.contracts.values()]
        if resource == "serviceDomains":
            return [d for s in snapshots for d in s.domains]
        if resource == "installedContracts":
            return [i for s in snapshots for i in s.installed]
        if resource == "logicalAddresses":
            return [a for s in snapshots for a in s.addresses.values()]
        if resource == "serviceProducers":
            return [p for s in snapshots for p in s.producers]
        if resource == "serviceConsumers":
            return [c for s in snapshots for c in s.consumers]
        if resource == "serviceProductions":
            return [self._included(p, include, s, "serviceProducer") for s in snapshots for p in s.productions]
        if resource == "cooperations":
            return [self._included(c, include, s, "serviceConsumer") for s in snapshots for c in s.cooperations]
        return None

    @staticmethod
    def _included(item, include, snapshot, party):
        shown = {"id": item["id"]}
        if "physicalAddress" in item:
            shown["physicalAddress"] = item["physicalAddress"] if "physicalAddress" in include else OBFUSCATED
            shown["rivtaProfile"] = item["rivtaProfile"]
        for relation, key in ((party, party), ("logicalAddress", "logicalAdress"), ("serviceContract", "serviceContract")):
            if relation in include:
                shown[key] = item[key]
        if "connectionPoint" in include:
            shown["connectionPoint"] = snapshot.connection_point
        return shown

    # --- HTTP -------------------------------------------------------------------------------------

    def _handler(self):
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                double.requests.append(self.path)
                if double.faults.get("refuse"):
                    self.close_connection = True
                    return
                if parts.path.startswith("/coop/api/v1"):
                    return self._send(410, {"code": 410, "message": "Gone"})
                if not self._authorised():
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="coop"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if double.faults.get("stall"):
                    time.sleep(double.faults["stall"])
                if double.faults.get("error_after") and len(double.requests) >= double.faults["error_after"]:
                    return self._send(500, {"code": 500, "message": "Internal Server Error"})
                resource = parts.path.removeprefix("/coop/api/v2/").strip("/").removesuffix(".json")
                query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
                body = double.answer(resource, query)
                if body is None:
                    return self._send(404, {"code": 404, "message": "Not Found"})
                if double.faults.get("drop_key") == resource:
                    body = [_without_keys(item) for item in body]
                self._send(200, body)

            def _authorised(self):
                header = self.headers.get("Authorization", "")
                if not header.startswith("Basic "):
                    return False
                try:
                    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                except ValueError:
                    return False
                return (user, password) == double.credentials

            def _send(self, status, body):
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if double.faults.get("truncate") and status == 200 and len(data) > 100:
                    data = data[: len(data) // 2]
                    self.close_connection = True
                self.wfile.write(data)

        return Handler
