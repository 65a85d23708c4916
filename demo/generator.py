"""A deterministic demo catalogue: same seed and scale, same data.

Rows go in with bulk Core inserts, so the scale factor can grow the catalogue towards
national size without the generator becoming the slow part.
"""
import datetime as dt
import random
import string

import sqlalchemy as sa

from extensions import db
from forms.identifiers import luhn_ok
from models import (
    CallAuthorization,
    Environment,
    InstalledContract,
    LogicalAddress,
    Organisation,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    ServiceDomain,
    System,
    SystemInstance,
)
from models.catalog import VALIDITY_YEARS
from models.directory import instance_environment

from . import data

# Share of the catalogue installed/connected per environment: PROD has the most.
ENVIRONMENTS = [("DEV", 0.5), ("TEST", 0.7), ("QA", 0.85), ("PROD", 1.0)]
UNITS_PER_REGION = 20
DOMAINS_PER_PRODUCER = 6
DOMAINS_PER_CONSUMER = 8


class DemoDataExists(Exception):
    pass


LARGE_DOMAIN_CONTRACTS, LARGE_DOMAIN_ADDRESSES = 10, 5000


def org_number(nine_digits):
    """Complete nine digits with the check digit that makes a valid organisationsnummer."""
    return next(nine_digits + str(d) for d in range(10) if luhn_ok(nine_digits + str(d)))


def fill_empty_database(build):
    """Run build() (it returns counts) and commit – only into a database without environments;
    on any failure nothing of it stays."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Environment)):
        raise DemoDataExists("Databasen innehåller redan data; demodata läses bara in i en tom databas.")
    try:
        counts = build()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return counts


def insert_chunked(model, rows, size=5000):
    """Bulk Core insert in chunks (a model or a plain Table); returns the number of rows."""
    table = model.__table__ if hasattr(model, "__table__") else model
    for start in range(0, len(rows), size):
        db.session.execute(sa.insert(table), rows[start:start + size])
    return len(rows)


def generate_demo(scale=1.0, seed=2026, large_domain=False):
    generator = _Generator(random.Random(seed), scale)

    def build():
        counts = generator.run()
        if large_domain:
            counts.update(generator.large_domain())
        return counts

    return fill_empty_database(build)


class _Generator:
    def __init__(self, rng, scale):
        self.rng, self.scale = rng, scale
        self.used_hsa_ids = set()
        self.contract_paths = {}

    def insert(self, model, rows):
        """Bulk insert, returning the new ids in row order."""
        if not rows:
            return []
        table = model.__table__ if hasattr(model, "__table__") else model
        result = db.session.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return [row[0] for row in result]

    def hsa_id(self, org, length=4):
        while True:
            suffix = "".join(self.rng.choice(string.ascii_uppercase + string.digits) for _ in range(length))
            candidate = f"SE{org}-{suffix}"
            if candidate not in self.used_hsa_ids:
                self.used_hsa_ids.add(candidate)
                return candidate

    def validity(self):
        start = dt.date(2019, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 6 * 365))
        end = start.replace(year=start.year + VALIDITY_YEARS)
        if self.rng.random() < 0.03:  # some ended rows, so "giltig i dag" has something to filter out
            end = start + dt.timedelta(days=self.rng.randrange(30, 400))
        return start, end

    def run(self):
        environments = self.insert(Environment, [
            {"platform": "NTJP", "name": name, "active": True} for name, _ in ENVIRONMENTS])
        profiles = self.insert(RivtaProfile, [
            {"name": "RIVTABP20", "description": "RIV TA BP version 2.0"},
            {"name": "RIVTABP21", "description": "RIV TA BP version 2.1"}])
        contracts_by_domain = self.domains_and_contracts()
        organisations = self.organisations()
        systems = dict(zip(
            self.system_names(),
            self.insert(System, [{"name": n} for n in self.system_names()])))
        producers, addressees = self.regions(organisations, systems)
        consumers = self.e_services(organisations, systems)

        counts = {"producentanslutningar": 0, "anropsbehörigheter": 0}
        for environment_id, (_, share) in zip(environments, ENVIRONMENTS):
            installed = self.install_contracts(environment_id, contracts_by_domain, share)
            self.attach(environment_id, producers + consumers, share)
            connected = self.connect_producers(environment_id, installed, producers, addressees, profiles, share)
            counts["producentanslutningar"] += len(connected)
            counts["anropsbehörigheter"] += self.authorise_consumers(environment_id, connected, consumers)
        counts.update({
            "miljöer": len(environments),
            "tjänstekontrakt": sum(len(c) for c in contracts_by_domain.values()),
            "logiska adressater": len({a for ids in addressees.values() for a in ids}),
            "systeminstanser": len(producers) + len(consumers),
        })
        return counts

    def domains_and_contracts(self):
        domain_ids = self.insert(ServiceDomain, [
            {"namespace": namespace, "swedish_name": name} for namespace, name, _ in data.DOMAINS])
        contracts_by_domain = {}
        for domain_id, (namespace, _, contracts) in zip(domain_ids, data.DOMAINS):
            versions = set(contracts)
            # Earlier and later major versions, as real domains carry.
            for name, major in contracts:
                if self.rng.random() < 0.8:
                    versions.add((name, major + 1))
            rows = [{
                "namespace": f"urn:riv:{namespace}:{name}Responder:{major}",
                "name": name, "major": major, "minor": 0,
                "description": f"{name} version {major}", "domain_id": domain_id,
            } for name, major in sorted(versions)]
            contracts_by_domain[domain_id] = self.insert(ServiceContract, rows)
            for contract_id, row in zip(contracts_by_domain[domain_id], rows):
                self.contract_paths[contract_id] = f"{namespace.replace(':', '/')}/{row['name']}/{row['major']}"
        return contracts_by_domain

    def organisations(self):
        entries = [(f"Region {county}", digits) for county, digits in data.REGIONS]
        entries += sorted({(name, digits) for name, digits, _, _ in data.E_SERVICES})
        entries += data.VENDORS
        ids = self.insert(Organisation, [{"org_number": org_number(d), "name": n} for n, d in entries])
        return {name: (organisation_id, org_number(digits)) for (name, digits), organisation_id in zip(entries, ids)}

    def system_names(self):
        return data.JOURNAL_SYSTEMS + sorted({system for _, _, system, _ in data.E_SERVICES})

    def contacts(self, organisation_name):
        first = self.rng.choice(["Anna", "Bosse", "Cecilia", "David", "Eva", "Fredrik", "Greta", "Hassan", "Ida"])
        last = self.rng.choice(["Andersson", "Berg", "Carlsson", "Danielsson", "Ek", "Forsberg", "Gustafsson"])
        domain = organisation_name.lower().replace("region ", "region").replace(" ", "").replace("ö", "o") \
            .replace("ä", "a").replace("å", "a")
        domain = "".join(ch for ch in domain if ch.isalnum()) + ".se"
        return {
            "main_contact_name": f"{first} {last}", "main_contact_email": f"{first.lower()}.{last.lower()}@{domain}",
            "main_contact_phone": f"010-{self.rng.randrange(1000000, 9999999)}",
            "tech_contact_name": f"{self.rng.choice(['Jonas', 'Karin', 'Lars', 'Maria'])} {last}",
            "tech_contact_email": f"teknik@{domain}", "tech_contact_phone": f"010-{self.rng.randrange(1000000, 9999999)}",
            "support_email": f"support@{domain}", "support_phone": f"0771-{self.rng.randrange(100000, 999999)}",
        }

    def regions(self, organisations, systems):
        producers, addressees = [], {}
        units = max(1, round(UNITS_PER_REGION * self.scale))
        for county, _ in data.REGIONS:
            organisation_id, number = organisations[f"Region {county}"]
            system = self.rng.choice(data.JOURNAL_SYSTEMS)
            producers.extend(self.insert(SystemInstance, [{
                "hsa_id": self.hsa_id(number), "organisation_id": organisation_id, "system_id": systems[system],
                "other_info": other, "tak_description": f"Region {county} -- {system} -- {other}",
                **self.contacts(f"Region {county}"),
            } for other in ("Journalsystem", "Integrationsplattform")]))
            rows = [{"hsa_id": f"SE{number}-1000", "name": f"VG: Region {county}"}]
            self.used_hsa_ids.add(rows[0]["hsa_id"])
            for index in range(units):
                kind = data.CARE_UNIT_KINDS[index % len(data.CARE_UNIT_KINDS)]
                town = data.TOWNS[(index // len(data.CARE_UNIT_KINDS)) % len(data.TOWNS)]
                serial = index // (len(data.CARE_UNIT_KINDS) * len(data.TOWNS))
                name = f"VE: {county} - {kind} {town}" + (f" {serial + 1}" if serial else "")
                rows.append({"hsa_id": self.hsa_id(number, 5), "name": name})
            addressees[producers[-2]] = self.insert(LogicalAddress, rows)
            addressees[producers[-1]] = addressees[producers[-2]]
        return producers, addressees

    def e_services(self, organisations, systems):
        rows = []
        for organisation, _, system, other in data.E_SERVICES:
            organisation_id, number = organisations[organisation]
            rows.append({
                "hsa_id": self.hsa_id(number), "organisation_id": organisation_id, "system_id": systems[system],
                "other_info": other or None, "tak_description": f"{organisation} -- {system} -- {other}",
                **self.contacts(organisation),
            })
        return self.insert(SystemInstance, rows)

    def large_domain(self, contracts=LARGE_DOMAIN_CONTRACTS, addresses=LARGE_DOMAIN_ADDRESSES):
        """The case that froze the national tool's predecessor: in NTJP QA, one domain with 10
        contracts and 5,000 addressees, each answered by a producer for most of the contracts."""
        qa = db.session.scalar(sa.select(Environment.id).filter_by(name="QA"))
        profile = db.session.scalar(sa.select(RivtaProfile.id).filter_by(name="RIVTABP21"))
        domain = self.insert(ServiceDomain, [{"namespace": "demo:largedomain", "swedish_name": "Stor testdomän"}])[0]
        contract_ids = self.insert(ServiceContract, [
            {"namespace": f"urn:riv:demo:largedomain:Operation{n:02d}Responder:1", "name": f"Operation{n:02d}",
             "major": 1, "minor": 0, "domain_id": domain} for n in range(1, contracts + 1)])
        self.insert(InstalledContract, [{"environment_id": qa, "contract_id": c} for c in contract_ids])
        region = org_number("232100001")
        address_ids = self.insert(LogicalAddress, [
            {"hsa_id": f"SE{region}-L{n:05d}", "name": f"VE: Storregion - Vårdenhet {n:05d}"}
            for n in range(1, addresses + 1)])
        producer, consumer = self.insert(SystemInstance, [
            {"hsa_id": f"SE{region}-LPRD", "other_info": "Stor domän, producent",
             "tak_description": "Storregion -- Journalsystem -- Stor domän"},
            {"hsa_id": f"SE{region}-LKON", "other_info": "Stor domän, konsument",
             "tak_description": "Storregion -- E-tjänst -- Stor domän"}])
        db.session.execute(sa.insert(instance_environment), [{"system_instance_id": i, "environment_id": qa}
                                                             for i in (producer, consumer)])
        start, end = dt.date(2024, 1, 1), dt.date(2024 + VALIDITY_YEARS, 1, 1)
        connections = [{"environment_id": qa, "producer_id": producer, "contract_id": c, "logical_address_id": a,
                        "rivta_profile_id": profile, "url": f"https://storregion.example.se/{c}", "valid_from": start,
                        "valid_to": end}
                       for a in address_ids for c in contract_ids if self.rng.random() < 0.8]
        insert_chunked(ProducerConnection, connections)
        grants = [{"environment_id": qa, "consumer_id": consumer, "contract_id": row["contract_id"],
                   "logical_address_id": row["logical_address_id"], "valid_from": start, "valid_to": end}
                  for row in connections if self.rng.random() < 0.3]
        insert_chunked(CallAuthorization, grants)
        return {"stor domän: producentanslutningar": len(connections), "stor domän: anropsbehörigheter": len(grants)}

    def install_contracts(self, environment_id, contracts_by_domain, share):
        installed = {}
        for domain_id, contract_ids in contracts_by_domain.items():
            chosen = [c for c in contract_ids if self.rng.random() < share]
            if chosen:
                installed[domain_id] = chosen
        self.insert(InstalledContract, [
            {"environment_id": environment_id, "contract_id": c} for ids in installed.values() for c in ids])
        return installed

    def attach(self, environment_id, instances, share):
        chosen = [i for i in instances if self.rng.random() < max(share, 0.6)]
        db.session.execute(sa.insert(instance_environment), [
            {"system_instance_id": i, "environment_id": environment_id} for i in chosen])

    def connect_producers(self, environment_id, installed, producers, addressees, profiles, share):
        """Each region's journal system answers a few domains for its care units."""
        rows = []
        domains = sorted(installed)
        for producer_id in producers[::2]:
            for domain_id in self.rng.sample(domains, min(DOMAINS_PER_PRODUCER, len(domains))):
                units = [a for a in addressees[producer_id] if self.rng.random() < share]
                for contract_id in installed[domain_id]:
                    url = f"https://integration{producer_id}.example.se/vp/{self.contract_paths[contract_id]}/rivtabp21"
                    for address_id in units:
                        start, end = self.validity()
                        rows.append({
                            "environment_id": environment_id, "producer_id": producer_id,
                            "contract_id": contract_id, "logical_address_id": address_id,
                            "rivta_profile_id": profiles[1], "url": url, "valid_from": start, "valid_to": end,
                        })
        insert_chunked(ProducerConnection, rows)
        return [(r["contract_id"], r["logical_address_id"]) for r in rows]

    def authorise_consumers(self, environment_id, connected, consumers):
        by_contract = {}
        for contract_id, address_id in connected:
            by_contract.setdefault(contract_id, []).append(address_id)
        contracts = sorted(by_contract)
        rows = []
        for consumer_id in consumers:
            for contract_id in self.rng.sample(contracts, min(len(contracts), DOMAINS_PER_CONSUMER * 3)):
                for address_id in by_contract[contract_id]:
                    if self.rng.random() < 0.6:
                        start, end = self.validity()
                        rows.append({
                            "environment_id": environment_id, "consumer_id": consumer_id, "contract_id": contract_id,
                            "logical_address_id": address_id, "integration_agreement": None,
                            "valid_from": start, "valid_to": end,
                        })
        insert_chunked(CallAuthorization, rows)
        return len(rows)
