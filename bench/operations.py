"""The measured operations: each one an HTTP request as the page makes it, with the bare SQL
that answers the same question (the floor) and the issue's target."""
import re
import statistics
import time
from dataclasses import dataclass, field

from clock import swedish_today
from demo.national import BENCH_OFFICER, BENCH_ORDERER, BENCH_PASSWORD, LARGE_DOMAIN

from .client import Client

LIKE = "%{}%"


@dataclass
class Result:
    name: str
    target_ms: float
    samples: list = field(default_factory=list)
    floor_samples: list = field(default_factory=list)
    note: str = ""
    composite: bool = False

    @staticmethod
    def percentile(values, share):
        if not values:
            return None
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def p50(self):
        return self.percentile(self.samples, 0.5)

    @property
    def p95(self):
        return self.percentile(self.samples, 0.95)

    @property
    def floor(self):
        return statistics.median(self.floor_samples) if self.floor_samples else None

    @property
    def ratio(self):
        return self.p50 / self.floor if self.floor else None

    @property
    def target_met(self):
        return self.p95 is not None and self.p95 <= self.target_ms


@dataclass
class Operation:
    name: str
    target_ms: float
    call: object  # () -> client Response
    floor_sql: str = ""
    floor_params: object = ()  # a tuple, or a function returning one
    expect: object = None  # (response) -> problem text or None
    # A read answered by one query is held to 3 × that query. A composite operation (parse, save,
    # render, queue mail) has no single-query equivalent: its ratio is shown, its target is absolute.
    composite: bool = False


def last_number(location):
    match = re.search(r"/(\d+)/", location)
    if not match:
        raise RuntimeError(f"Oväntad omdirigering: {location}")
    return int(match.group(1))


class Scenario:
    """The state the operations need – drafts, logged-in clients – created through the app itself."""

    def __init__(self, base_url, sql):
        self.base_url = base_url
        self.sql = sql  # sqlite3's connection or database.Sql: both execute(query, params)
        self.today = swedish_today().isoformat()
        self.orderer = Client(base_url).log_in(BENCH_ORDERER, BENCH_PASSWORD)
        self.officer = Client(base_url).log_in(BENCH_OFFICER, BENCH_PASSWORD)
        self.environment = self.scalar("SELECT id FROM environment WHERE name = 'PROD'")
        self.environments = [row[0] for row in self.sql.execute("SELECT id FROM environment ORDER BY id")]
        self.domain = self.scalar("SELECT id FROM service_domain WHERE namespace = ?", LARGE_DOMAIN)
        self.contracts = [row[0] for row in self.sql.execute(
            "SELECT id FROM service_contract WHERE domain_id = ? ORDER BY id LIMIT 10", (self.domain,))]
        self.producer = self.scalar(
            "SELECT producer_id FROM producer_connection WHERE environment_id = ? AND contract_id = ? LIMIT 1",
            self.environment, self.contracts[0])
        self.consumer = self.scalar(
            "SELECT consumer_id FROM call_authorization WHERE environment_id = ? AND contract_id = ? "
            "GROUP BY consumer_id ORDER BY count(*) DESC LIMIT 1", self.environment, self.contracts[0])
        self.paste = [row[0] for row in self.sql.execute(
            "SELECT hsa_id FROM logical_address WHERE id NOT IN (SELECT logical_address_id FROM producer_connection "
            "WHERE environment_id = ? AND contract_id = ?) ORDER BY id DESC LIMIT 500",
            (self.environment, self.contracts[0]))]
        self.producer_draft = self.producer_order(contracts=True)
        self.consumer_draft = self.new_draft("/konsument/", self.consumer)

    def scalar(self, query, *params):
        row = self.sql.execute(query, params).fetchone()
        if row is None:
            raise RuntimeError(f"Benchmarkdatabasen saknar data för: {query}")
        return row[0]

    def new_draft(self, flow, instance):
        response = self.orderer.submit(flow, {"environment_id": self.environment, "change_date": "",
                                              "producer_id": instance, "go": "next"})
        if response.status != 302:
            raise RuntimeError(f"Utkastet i {flow} skapades inte (status {response.status})")
        return last_number(response.location)

    def producer_order(self, contracts=False, addresses=False, complete=False):
        number = self.new_draft("/producent/", self.producer)
        step = f"/producent/{number}/"
        if contracts or addresses or complete:
            self.orderer.submit(step + "kontrakt", {"contract_ids": self.contracts, "go": "next"})
        if addresses or complete:
            self.orderer.submit(step + "adressater", {"mode": "add", "action": "paste",
                                                      "pasted": "\n".join(self.paste)})
        if complete:
            settings = {"go": "next"}
            for contract in self.contracts:  # as prefilled: the producer's live URL and profile
                url, profile = self.sql.execute(
                    "SELECT pc.url, p.name FROM producer_connection pc JOIN rivta_profile p ON p.id = "
                    "pc.rivta_profile_id WHERE pc.environment_id = ? AND pc.producer_id = ? AND pc.contract_id = ? "
                    "LIMIT 1", (self.environment, self.producer, contract)).fetchone()
                settings[f"url_{contract}"], settings[f"profile_{contract}"] = url, profile
            self.orderer.submit(step + "url", settings)
            self.orderer.submit(step + "konsumenter", {"consumer_choice": "separate", "go": "next"})
            self.orderer.submit(step + "bestallare", {"orderer_name": "Bänk Beställare", "orderer_phone": "010-1",
                                                      "orderer_email": BENCH_ORDERER, "go": "next"})
        return number

    def paste_form(self):
        return {"csrf_token": self.orderer_token(), "mode": "add", "action": "paste", "pasted": "\n".join(self.paste)}

    def orderer_token(self):
        if not hasattr(self, "_token"):
            self._token = self.orderer.csrf_token(f"/producent/{self.producer_draft}/adressater")
        return self._token

    def submitted_order(self):
        """A complete 10 × 500 draft, sent: the measured request is the Beställ click."""
        number = self.producer_order(complete=True)
        return number, {"csrf_token": self.orderer_token()}


def contains(text):
    def check(response):
        return None if text in response.text else f"svaret saknar '{text}'"
    return check


def operations(s: Scenario):
    env, today = s.environment, s.today
    draft, consumer_draft = s.producer_draft, s.consumer_draft
    in_contracts = ",".join("?" * len(s.contracts))
    live = "valid_from <= ? AND valid_to >= ?"

    def rotating(values):
        state = {"i": 0}

        def next_value():
            state["i"] += 1
            return values[state["i"] % len(values)]
        return next_value

    contract_term = rotating(["getc", "referral", "operation0", "booking", "crm:sch"])
    address_term = rotating(["vårdcentral norr", "se2321000016-e0", "akut", "e12345", "barnav"])
    instance_term = rotating(["journal 1", "kommun 01", "se2120", "e-tjänst 25", "s0042"])
    register_term = rotating(["akut", "e12345", "se2321000016-e0", "getcare", "barnav"])
    queue_status = rotating(["submitted", "in_progress", "done"])

    def like_params(term_source, count):
        def params():
            return (LIKE.format(term_source()),) * count
        return params

    submits = []

    def submit_one():
        number, form = s.submitted_order()
        response = s.orderer.post(f"/producent/{number}/bestall", form)
        submits.append(number)
        return response

    def tak_json():
        number = submits[len(submits) // 2]  # the Beställ operation runs first
        return s.officer.get(f"/kundservice/bestallning/{number}/tak.json")

    pc_list = ("SELECT pc.id, e.name, si.hsa_id, c.name, la.hsa_id, la.name, p.name, pc.url, pc.valid_from, "
               "pc.valid_to FROM producer_connection pc JOIN environment e ON e.id = pc.environment_id "
               "JOIN system_instance si ON si.id = pc.producer_id JOIN service_contract c ON c.id = pc.contract_id "
               "JOIN logical_address la ON la.id = pc.logical_address_id JOIN rivta_profile p "
               "ON p.id = pc.rivta_profile_id {where} ORDER BY pc.id DESC LIMIT 50 OFFSET {offset}")
    ca_list = ("SELECT ca.id, e.name, si.hsa_id, c.name, la.hsa_id, la.name, ca.valid_from, ca.valid_to "
               "FROM call_authorization ca JOIN environment e ON e.id = ca.environment_id "
               "JOIN system_instance si ON si.id = ca.consumer_id JOIN service_contract c ON c.id = ca.contract_id "
               "JOIN logical_address la ON la.id = ca.logical_address_id {where} ORDER BY ca.id DESC "
               "LIMIT 50 OFFSET {offset}")
    # The register's search: each word looked up in the small tables, then through the
    # register's foreign-key indexes (ConnectionSearch); one word per term here.
    search_where = ("WHERE {alias}.logical_address_id IN (SELECT id FROM logical_address WHERE hsa_id LIKE ? OR "
                    "name LIKE ?) OR {alias}.{party}_id IN (SELECT id FROM system_instance WHERE hsa_id LIKE ?) OR "
                    "{alias}.contract_id IN (SELECT id FROM service_contract WHERE name LIKE ?)")
    connections_of_contracts = (
        f"SELECT pc.contract_id, la.hsa_id, la.name FROM producer_connection pc JOIN logical_address la "
        f"ON la.id = pc.logical_address_id WHERE pc.environment_id = ? AND pc.producer_id = ? AND pc.contract_id "
        f"IN ({in_contracts}) AND pc.{live.replace('valid_to', 'pc.valid_to')}")
    connection_params = (env, s.producer, *s.contracts, today, today)
    already_connected = (connections_of_contracts + " AND pc.logical_address_id IN (SELECT id FROM logical_address "
                         f"WHERE lower(hsa_id) IN ({','.join('?' * len(s.paste))}))")
    already_params = (*connection_params, *(h.lower() for h in s.paste))

    ops = [
        Operation("Sök tjänstekontrakt medan man skriver", 30,
                  lambda: s.orderer.get(f"/producent/{draft}/sok/kontrakt?q={contract_term()}"),
                  "SELECT c.id, c.name, d.namespace FROM service_contract c JOIN service_domain d ON d.id = c.domain_id "
                  "JOIN installed_contract i ON i.contract_id = c.id AND i.environment_id = ? WHERE lower(c.name) LIKE ? "
                  "OR lower(d.namespace) LIKE ? OR lower(d.swedish_name) LIKE ? ORDER BY d.namespace, c.name, c.major "
                  "LIMIT 20", lambda: (env, *like_params(contract_term, 3)()), contains('"results"')),
        Operation("Sök logisk adressat", 30,
                  lambda: s.orderer.get(f"/producent/sok/adressat?q={address_term()}"),
                  "SELECT id, hsa_id, name FROM logical_address WHERE lower(hsa_id) LIKE ? OR lower(name) LIKE ? "
                  "ORDER BY hsa_id LIMIT 20", like_params(address_term, 2), contains('"results"')),
        Operation("Sök systeminstans", 30,
                  lambda: s.orderer.get(f"/producent/sok/system?miljo={env}&q={instance_term()}"),
                  "SELECT si.id, si.hsa_id FROM system_instance si LEFT JOIN organisation o ON o.id = si.organisation_id "
                  "LEFT JOIN system s ON s.id = si.system_id WHERE lower(si.hsa_id) LIKE ? OR lower(si.other_info) LIKE ? "
                  "OR lower(si.tak_description) LIKE ? OR lower(o.name) LIKE ? OR lower(s.name) LIKE ? "
                  "ORDER BY si.hsa_id LIMIT 40", like_params(instance_term, 5), contains('"results"')),
        Operation("Kontraktsstatus för en domän", 100,
                  lambda: s.orderer.get(f"/producent/{draft}/doman/{s.domain}"),
                  "SELECT c.id, EXISTS (SELECT 1 FROM installed_contract i WHERE i.contract_id = c.id AND "
                  "i.environment_id = ?), EXISTS (SELECT 1 FROM producer_connection pc WHERE pc.contract_id = c.id "
                  "AND pc.environment_id = ? AND pc.producer_id = ?) FROM service_contract c WHERE c.domain_id = ?",
                  (env, env, s.producer, s.domain), contains('"status"')),
        Operation("Klistra in 500 adressater på 10 kontrakt", 300,
                  lambda: s.orderer.post(f"/producent/{draft}/adressater", s.paste_form()),
                  already_connected, already_params, contains(s.paste[0]), composite=True),
        Operation("Adressatsteget med 10 kontrakt och 500 tillagda", 100,
                  lambda: s.orderer.get(f"/producent/{draft}/adressater"),
                  # Adding: which of the 500 are connected already (the common ones, for removing,
                  # are looked up only in remove mode). Composite: besides that query it reads the draft
                  # and renders its 500 addressees with their warnings (~350 kB); its floor of ~5 ms
                  # is one of those parts, which made the ratio flip between counted and not.
                  already_connected, already_params, contains("Logiska adressater"), composite=True),
        Operation("Konsumentmatrisen 10 × 5 000: första raderna", 300,
                  lambda: s.orderer.get(f"/konsument/{consumer_draft}/matris/{s.domain}",
                                        headers={"Accept": "application/json"}),
                  f"SELECT la.id, la.hsa_id, la.name, pc.contract_id FROM producer_connection pc JOIN logical_address la "
                  f"ON la.id = pc.logical_address_id WHERE pc.environment_id = ? AND pc.contract_id IN ({in_contracts}) "
                  f"AND pc.valid_from <= ? AND pc.valid_to >= ?",
                  (env, *s.contracts, today, today), contains('"rows"')),
    ]
    for label, path, query in (("producentanslutningar", "producerconnection", pc_list),
                               ("anropsbehörigheter", "callauthorization", ca_list)):
        alias = "pc" if path == "producerconnection" else "ca"
        ops += [
            Operation(f"Lista {label}, sida 1", 250, lambda p=path: s.officer.get(f"/admin/{p}/"),
                      query.format(where="", offset=0), (), contains("Miljö")),
            Operation(f"Lista {label}, sida 1 000", 250, lambda p=path: s.officer.get(f"/admin/{p}/?page=999"),
                      query.format(where="", offset=49950), (), contains("Miljö")),
            Operation(f"Lista {label}, miljöfilter, sida 1", 250,
                      lambda p=path: s.officer.get(f"/admin/{p}/?flt0_milj_equals={env}"),
                      query.format(where=f"WHERE {alias}.environment_id = ?", offset=0), (env,), contains("Miljö")),
            Operation(f"Lista {label}, miljöfilter, sida 1 000", 250,
                      lambda p=path: s.officer.get(f"/admin/{p}/?flt0_milj_equals={env}&page=999"),
                      query.format(where=f"WHERE {alias}.environment_id = ?", offset=49950), (env,), contains("Miljö")),
            Operation(f"Sök bland {label}", 400,
                      lambda p=path: s.officer.get(f"/admin/{p}/?search={register_term()}"),
                      query.format(where=search_where.format(
                          alias=alias, party="producer" if alias == "pc" else "consumer"), offset=0),
                      like_params(register_term, 4), contains("Miljö")),
        ]
    ops += [
        Operation("Mina beställningar (500 beställningar)", 100, lambda: s.orderer.get("/mina-bestallningar/"),
                  # The page: how many there are, and the newest 100 with environment and system.
                  ["SELECT count(*) FROM bs_order WHERE orderer_id = (SELECT id FROM user_account WHERE email = ?)",
                   ("SELECT o.id, o.number, o.kind, o.status, o.created_at, o.submitted_at, e.name, si.hsa_id "
                    "FROM bs_order o LEFT JOIN environment e ON e.id = o.environment_id LEFT JOIN system_instance si "
                    "ON si.id = o.system_instance_id WHERE o.orderer_id = (SELECT id FROM user_account WHERE email = ?) "
                    "ORDER BY o.created_at DESC, o.id DESC LIMIT 100")], [(BENCH_ORDERER,), (BENCH_ORDERER,)],
                  contains("BS-")),
        Operation("Kundservicens startsida", 100, lambda: s.officer.get("/admin/"),
                  "SELECT id FROM user_account WHERE email = ?", (BENCH_OFFICER,), contains("environment-figures")),
        Operation("Startsidans siffror per miljö (hämtas när sidan visas)", 600,
                  lambda: s.officer.get("/admin/miljoer/"),
                  # Per environment: installed contracts, live connections and their addressees,
                  # live authorisations.
                  [query for _ in s.environments for query in (
                      "SELECT count(*) FROM installed_contract WHERE environment_id = ?",
                      f"SELECT count(*), count(DISTINCT logical_address_id) FROM producer_connection "
                      f"WHERE environment_id = ? AND {live}",
                      f"SELECT count(*) FROM call_authorization WHERE environment_id = ? AND {live}")],
                  [params for e in s.environments for params in ((e,), (e, today, today), (e, today, today))],
                  contains("Installerade tjänstekontrakt")),
        Operation("Katalogkvalitet för en miljö", 600,
                  lambda: s.officer.get(f"/admin/katalogkvalitet/?miljo={env}"),
                  "SELECT counts FROM catalog_health WHERE environment_id = ?", (env,), contains('id="findings"')),
        Operation("Katalogkvalitet: fyndets första 50 rader", 600,
                  lambda: s.officer.get(f"/admin/katalogkvalitet/{env}/oanvand-komponent"),
                  "SELECT count(*) FROM system_instance", (), contains("finding-rows"), composite=True),
        Operation("Kundservicekön med statusfilter", 200,
                  lambda: s.officer.get(f"/admin/backoffice/?flt0_status_equals={queue_status()}"),
                  "SELECT o.id, o.number, o.status, e.name, si.hsa_id FROM bs_order o LEFT JOIN environment e "
                  "ON e.id = o.environment_id LEFT JOIN system_instance si ON si.id = o.system_instance_id "
                  "WHERE o.status = ? ORDER BY o.submitted_at DESC, o.id DESC LIMIT 50",
                  lambda: (queue_status(),), contains("BS-")),
        Operation("Beställ: 10 kontrakt × 500 adressater", 1000, submit_one,
                  connections_of_contracts, connection_params,
                  lambda r: None if r.status == 302 and "skickad" in r.location else f"status {r.status}",
                  composite=True),
        Operation("TAK-JSON för den beställningen", 200, tak_json,
                  "SELECT content FROM bs_order WHERE number = ?", lambda: (submits[len(submits) // 2],),
                  contains("tjanstekontrakt"), composite=True),
    ]
    return ops


def measure(op, repeat, warmup=2):
    result = Result(op.name, op.target_ms, composite=op.composite)
    for index in range(warmup + repeat):
        response = op.call()
        problem = op.expect(response) if op.expect else None
        if response.status >= 400 or problem:
            raise RuntimeError(f"{op.name}: status {response.status}, {problem or ''}: {response.text[:300]}")
        if index >= warmup:
            result.samples.append(response.server_ms)
    return result


def measure_floor(result, op, connection, repeat):
    """The floor of a page asking several questions is the sum of their bare queries."""
    if not op.floor_sql:
        return
    statements = op.floor_sql if isinstance(op.floor_sql, list) else [op.floor_sql]
    parameters = op.floor_params if isinstance(op.floor_sql, list) else [op.floor_params]
    for _ in range(repeat):
        started = time.perf_counter()
        for sql, params in zip(statements, parameters):
            connection.execute(sql, params() if callable(params) else params).fetchall()
        result.floor_samples.append((time.perf_counter() - started) * 1000)
