"""A national-size catalogue (NTJP PROD order of magnitude) for the benchmark and the load test.

Sizes follow the performance issue: 4 environments, 1,500 contracts (1,200 installed per
environment) in 60 domains, 60,000 addressees, 3,000 system instances, per environment
120,000 producer connections and 250,000 call authorisations, one domain of 10 contracts ×
5,000 connected addressees, and 50,000 historical orders of which one orderer has 500.
`size` scales every count (CI runs it small); the same seed gives the same data.

Everything goes in with bulk Core inserts; ids are assigned here so no row needs a round trip.
"""
import datetime as dt
import random
from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from extensions import advance_sequences, db
from models import (
    CallAuthorization,
    ChangeLog,
    Environment,
    InstalledContract,
    LogicalAddress,
    Order,
    OrderStatusChange,
    Organisation,
    OutboundEmail,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    ServiceDomain,
    System,
    SystemInstance,
    User,
)
from models.audit import CREATE, DELETE, UPDATE
from models.directory import instance_environment
from models.order_content import OrderContent
from models.orders import (
    CANCELLED,
    CONSUMER,
    DONE,
    DRAFT,
    IN_PROGRESS,
    PRODUCER,
    REJECTED,
    SUBMITTED,
    search_words,
)
from models.outbox import SENT
from models.users import CUSTOMER_SERVICE, ORDERER

from . import data
from .generator import fill_empty_database, insert_chunked, org_number

ENVIRONMENTS = ("DEV", "TEST", "QA", "PROD")
VERBS = ("Get", "Register", "Update", "Cancel", "Process", "Find", "List", "Send", "Create", "Delete")
NOUNS = ("CareContacts", "Referral", "Booking", "Diagnosis", "Medication", "Alert", "Observation",
         "Vaccination", "Certificate", "Listing", "CarePlan", "Measurement", "Imaging", "Laboratory",
         "Consent", "Block", "Journal", "Dental", "Maternity", "Prescription", "Payment", "Invoice",
         "Patient", "Performer", "Facility", "Timeslot", "Message", "Document", "Outcome", "Request")
BENCH_PASSWORD = "bench"
BENCH_ORDERER = "bench.bestallare@example.se"
BENCH_OFFICER = "bench.kundservice@example.se"
LARGE_DOMAIN = "demo:largedomain"
VALID_FROM, VALID_TO = dt.date(2024, 1, 1), dt.date(2124, 1, 1)


@dataclass(frozen=True)
class Sizes:
    domains: int = 60
    contracts: int = 1500
    installed: int = 1200
    addressees: int = 60000
    instances: int = 3000
    connections: int = 120000
    authorizations: int = 250000
    orders: int = 50000
    own_orders: int = 500
    large_contracts: int = 10
    large_addressees: int = 5000
    changes: int = 100000  # the change log and the outbox as a few years in production leave them
    mails: int = 40000

    def scaled(self, size):
        if size == 1:
            return self
        return Sizes(**{name: max(minimum, round(value * size)) for (name, value), minimum in zip(
            vars(self).items(), (6, 60, 48, 600, 60, 1200, 2500, 500, 20, 10, 50, 500, 200))})


def generate_national(size=1.0, seed=2026):
    """Fill an empty database; returns the counts per register."""
    return fill_empty_database(_National(random.Random(seed), Sizes().scaled(size)).run)


class _National:
    def __init__(self, rng, sizes):
        self.rng, self.sizes = rng, sizes

    @staticmethod
    def insert(model, rows):
        return insert_chunked(model, rows, size=20000)

    def run(self):
        s = self.sizes
        self.insert(Environment, [{"id": n, "platform": "NTJP", "name": name, "active": True}
                                  for n, name in enumerate(ENVIRONMENTS, 1)])
        self.insert(RivtaProfile, [{"id": 1, "name": "RIVTABP20", "description": "RIV TA BP version 2.0"},
                                   {"id": 2, "name": "RIVTABP21", "description": "RIV TA BP version 2.1"}])
        domains = self.domains()
        contracts = self.contracts(domains)
        regions = self.organisations()
        addressees = self.addressees(regions)
        producers, consumers = self.instances(regions)
        counts = {"miljöer": len(ENVIRONMENTS), "tjänstedomäner": len(domains), "tjänstekontrakt": len(contracts),
                  "logiska adressater": s.addressees, "systeminstanser": s.instances,
                  "producentanslutningar": 0, "anropsbehörigheter": 0}
        for environment_id in range(1, len(ENVIRONMENTS) + 1):
            installed = self.install(environment_id, contracts)
            connections = self.connect(environment_id, installed, producers, addressees)
            counts["producentanslutningar"] += len(connections)
            counts["anropsbehörigheter"] += self.authorise(environment_id, connections, consumers)
        counts["beställningar"] = self.orders(contracts, producers, addressees)
        counts["ändringsloggen"], counts["utkorgen"] = self.history()
        advance_sequences(db.session)
        return counts

    def domains(self):
        real = [namespace for namespace, _, _ in data.DOMAINS]
        names = {namespace: name for namespace, name, _ in data.DOMAINS}
        namespaces = [LARGE_DOMAIN] + [real[n % len(real)] + (f":del{n // len(real)}" if n >= len(real) else "")
                                       for n in range(self.sizes.domains - 1)]
        rows = [{"id": n, "namespace": namespace,
                 "swedish_name": "Stor testdomän" if namespace == LARGE_DOMAIN else
                 names.get(namespace, names[namespace.rsplit(":del", 1)[0]] + " (del)")}
                for n, namespace in enumerate(namespaces, 1)]
        self.insert(ServiceDomain, rows)
        return rows

    def contracts(self, domains):
        """[(id, domain_id, name, major)]; domain 1 is the large one with its own contracts."""
        s, rows = self.sizes, []
        for n in range(1, s.large_contracts + 1):
            rows.append((n, 1, f"Operation{n:02d}", 1))
        others = domains[1:]
        per_domain = (s.contracts - s.large_contracts) // len(others)
        for index, domain in enumerate(others):
            count = per_domain + (1 if index < (s.contracts - s.large_contracts) % len(others) else 0)
            names = self.rng.sample([verb + noun for verb in VERBS for noun in NOUNS], count)
            for name in names:
                rows.append((len(rows) + 1, domain["id"], name, self.rng.choice((1, 1, 2, 3))))
        namespaces = {d["id"]: d["namespace"] for d in domains}
        self.insert(ServiceContract, [
            {"id": cid, "namespace": f"urn:riv:{namespaces[did]}:{name}Responder:{major}", "name": name,
             "major": major, "minor": 0, "description": f"{name} version {major}", "domain_id": did}
            for cid, did, name, major in rows])
        return rows

    def organisations(self):
        """21 regions (producers, addressees) plus municipalities and vendors (consumers)."""
        entries = [(f"Region {county}", digits) for county, digits in data.REGIONS] + list(data.VENDORS)
        entries += [(f"Kommun {n:03d}", f"212{n:06d}") for n in range(1, 280)]
        rows = [{"id": n, "org_number": org_number(digits), "name": name} for n, (name, digits) in enumerate(entries, 1)]
        self.insert(Organisation, rows)
        self.insert(System, [{"id": n, "name": name} for n, name in enumerate(
            data.JOURNAL_SYSTEMS + sorted({system for _, _, system, _ in data.E_SERVICES}), 1)])
        self.organisation_rows = rows
        return rows[:len(data.REGIONS)]

    def addressees(self, regions):
        """Addressee ids grouped by region: a region's producers answer for its own units."""
        s = self.sizes
        by_region, rows = {r["id"]: [] for r in regions}, []
        large_region = regions[0]
        for n in range(1, s.addressees + 1):
            region = large_region if n <= s.large_addressees else regions[n % len(regions)]
            kind = data.CARE_UNIT_KINDS[n % len(data.CARE_UNIT_KINDS)]
            town = data.TOWNS[(n // 7) % len(data.TOWNS)]
            rows.append({"id": n, "hsa_id": f"SE{region['org_number']}-E{n:05d}",
                         "name": f"VE: {region['name'][7:]} - {kind} {town} {n}"})
            if n > s.large_addressees:
                by_region[region["id"]].append(n)
        self.insert(LogicalAddress, rows)
        return by_region

    def instances(self, regions):
        """A fifth producers (journal systems of the regions), the rest consumers (e-services)."""
        s, rows = self.sizes, []
        systems = db.session.scalars(sa.select(System.id).order_by(System.id)).all()
        producer_count = max(len(regions) * 2, s.instances // 5)
        consumers_from = self.organisation_rows[len(regions):]
        for n in range(1, s.instances + 1):
            organisation = regions[n % len(regions)] if n <= producer_count else consumers_from[n % len(consumers_from)]
            system = systems[n % len(systems)]
            rows.append({"id": n, "hsa_id": f"SE{organisation['org_number']}-S{n:04d}",
                         "organisation_id": organisation["id"], "system_id": system,
                         "other_info": ("Journal" if n <= producer_count else "E-tjänst") + f" {n}",
                         "tak_description": f"{organisation['name']} -- system {system} -- {n}",
                         "main_contact_name": f"Kontakt {n}", "main_contact_email": f"kontakt{n}@example.se",
                         "main_contact_phone": "010-1234567", "tech_contact_name": f"Tekniker {n}",
                         "tech_contact_email": f"teknik{n}@example.se", "tech_contact_phone": "010-7654321",
                         "support_email": f"support{n}@example.se", "support_phone": "0771-123456"})
        self.insert(SystemInstance, rows)
        self.insert(instance_environment, [{"system_instance_id": n, "environment_id": e}
                                           for n in range(1, s.instances + 1) for e in range(1, len(ENVIRONMENTS) + 1)])
        producers = {r["id"]: [n for n in range(1, producer_count + 1) if rows[n - 1]["organisation_id"] == r["id"]]
                     for r in regions}
        return producers, list(range(producer_count + 1, s.instances + 1))

    def install(self, environment_id, contracts):
        s = self.sizes
        large = [c for c in contracts if c[1] == 1]
        chosen = large + self.rng.sample([c for c in contracts if c[1] != 1], s.installed - len(large))
        self.insert(InstalledContract, [{"environment_id": environment_id, "contract_id": c[0]} for c in chosen])
        return chosen

    def connect(self, environment_id, installed, producers, addressees):
        """[(contract_id, address_id)] connected; the large domain first: 80 % of 10 × 5,000."""
        s, rows = self.sizes, []
        large_producer = producers[min(producers)][0]
        for contract_id, domain_id, _, _ in installed:
            if domain_id == 1:
                rows += [(contract_id, a, large_producer) for a in range(1, s.large_addressees + 1)
                         if self.rng.random() < 0.8]
        others = [c for c in installed if c[1] != 1]
        per_contract = max(1, (s.connections - len(rows)) // len(others))
        region_ids = sorted(addressees)
        for contract_id, _, _, _ in others:
            region = self.rng.choice(region_ids)
            producer = self.rng.choice(producers[region])
            pool = addressees[region]
            rows += [(contract_id, a, producer) for a in self.rng.sample(pool, min(per_contract, len(pool)))]
        self.insert(ProducerConnection, [
            {"environment_id": environment_id, "producer_id": producer, "contract_id": contract_id,
             "logical_address_id": address_id, "rivta_profile_id": 2,
             "url": f"https://vp{producer}.example.se/{contract_id}/rivtabp21", "valid_from": VALID_FROM,
             "valid_to": VALID_TO} for contract_id, address_id, producer in rows])
        return [(c, a) for c, a, _ in rows]

    def authorise(self, environment_id, connections, consumers):
        """About two consumers per connection, up to the per-environment total."""
        s = self.sizes
        share = s.authorizations / len(connections)
        rows = []
        for contract_id, address_id in connections:
            count = int(share) + (1 if self.rng.random() < share - int(share) else 0)
            for consumer in self.rng.sample(consumers, count):
                rows.append({"environment_id": environment_id, "consumer_id": consumer, "contract_id": contract_id,
                             "logical_address_id": address_id, "integration_agreement": None,
                             "valid_from": VALID_FROM, "valid_to": VALID_TO})
        return self.insert(CallAuthorization, rows[:s.authorizations])

    def history(self):
        """Change-log entries of the registers and sent order mails, one every few minutes since 2024."""
        s, start = self.sizes, dt.datetime(2024, 1, 1, 8, tzinfo=dt.timezone.utc)
        actions = [CREATE, UPDATE, UPDATE, DELETE]
        self.insert(ChangeLog, [
            {"id": n, "time": start + dt.timedelta(minutes=7 * n), "user_id": 2, "user_name": "Bänk Kundservice",
             "action": actions[n % 4], "entity_type": "LogicalAddress", "entity_id": str(n % s.addressees + 1),
             "label": f"SE2321000016-E{n % s.addressees:05d}",
             "before": None if n % 4 == 0 else {"name": f"VE: Mottagning {n}"},
             "after": None if n % 4 == 3 else {"name": f"VE: Mottagning {n} (ny)"}}
            for n in range(1, s.changes + 1)])
        self.insert(OutboundEmail, [
            {"id": n, "created_at": start + dt.timedelta(minutes=17 * n), "recipients": ["kundservice@example.se"],
             "subject": f"Beställning BS-{n} har skickats", "text_body": f"Beställning BS-{n} har skickats.",
             "html_body": f"<p>Beställning BS-{n} har skickats.</p>", "reference": f"BS-{n}", "status": SENT,
             "attempts": 1, "sent_at": start + dt.timedelta(minutes=17 * n + 1)}
            for n in range(1, s.mails + 1)])
        return s.changes, s.mails

    def orders(self, contracts, producers, addressees):
        """Historical orders of 1,000 orderers; BENCH_ORDERER has own_orders of them."""
        s = self.sizes
        password = generate_password_hash(BENCH_PASSWORD)
        users = [{"id": 1, "email": BENCH_ORDERER, "name": "Bänk Beställare", "role": ORDERER,
                  "password_hash": password, "active": True, "failed_logins": 0},
                 {"id": 2, "email": BENCH_OFFICER, "name": "Bänk Kundservice", "role": CUSTOMER_SERVICE,
                  "password_hash": password, "active": True, "failed_logins": 0}]
        users += [{"id": n, "email": f"bestallare{n}@example.se", "name": f"Beställare {n}", "role": ORDERER,
                   "password_hash": password, "active": True, "failed_logins": 0} for n in range(3, 1003)]
        self.insert(User, users)
        statuses = [DONE] * 14 + [SUBMITTED] * 2 + [IN_PROGRESS, REJECTED, CANCELLED, DRAFT]
        producer_ids = [p for ids in producers.values() for p in ids]
        all_addresses = [a for ids in addressees.values() for a in ids]
        start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
        rows, history = [], []
        for n in range(1, s.orders + 1):
            orderer = 1 if n % (s.orders // s.own_orders) == 0 else self.rng.randrange(3, 1003)
            created = start + dt.timedelta(minutes=n * 50)
            status = self.rng.choice(statuses)
            contract = self.rng.choice(contracts)
            address = self.rng.choice(all_addresses)
            content = OrderContent(
                contracts=[{"id": contract[0], "name": contract[2], "major": contract[3],
                            "namespace": f"urn:riv:x:{contract[2]}Responder:{contract[3]}",
                            "url": f"https://vp.example.se/{n}", "profile": "RIVTABP21"}],
                add_addresses=[{"hsa_id": f"SE-E{address:05d}", "name": f"Enhet {address}", "new": False}]).stored()
            rows.append({"id": n, "number": n, "kind": PRODUCER if n % 3 else CONSUMER, "status": status,
                         "environment_id": 1 + n % len(ENVIRONMENTS), "system_instance_id": self.rng.choice(producer_ids),
                         "orderer_id": orderer, "orderer_name": f"Beställare {orderer}",
                         "orderer_email": f"bestallare{orderer}@example.se", "orderer_phone": "010-1234567",
                         "orderer_role": "", "other_info": "", "content": content, "step": "sammanfattning",
                         "search_text": None if status == DRAFT else search_words(content, None),
                         "created_at": created, "updated_at": created,
                         "submitted_at": None if status == DRAFT else created + dt.timedelta(minutes=5),
                         "case_number": f"INC{n:07d}" if status in (DONE, IN_PROGRESS) else None,
                         # History: done orders were checked against TAK's exports long ago.
                         "verified_at": created + dt.timedelta(days=2) if status == DONE else None,
                         "verification_differences": [] if status == DONE else None})
            history.append({"order_id": n, "from_status": None, "to_status": DRAFT, "time": created,
                            "user_id": orderer, "user_name": f"Beställare {orderer}"})
            if status != DRAFT:
                history.append({"order_id": n, "from_status": DRAFT, "to_status": status,
                                "time": created + dt.timedelta(minutes=5), "user_id": orderer,
                                "user_name": f"Beställare {orderer}"})
        insert_chunked(Order, rows)  # content JSON makes rows wide: smaller chunks
        self.insert(OrderStatusChange, history)
        return len(rows)
