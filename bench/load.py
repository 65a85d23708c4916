"""`python -m bench.load`: simulated orderers and officers against gunicorn, bounded in time.

Each orderer searches as the pages do, walks a producer order through its steps and sends it;
each officer opens the order queue and the connection registers. Afterwards every sent order and
every mail it queued is looked up in the database. Prints throughput, p50/p95 per request kind
and errors; exits 1 on any error or a missing order or mail.

    python -m bench.load --database-url postgresql://…  (the database to test; it gets written to)
    python -m bench.load --users 20 --officers 4 --seconds 120
"""
import argparse
import collections
import random
import re
import sys
import threading
import time

import sqlalchemy as sa

from .client import Client
from .operations import Result
from .server import gunicorn

SEARCH_TERMS = ["vård", "akut centrum", "e1234", "se2321000016-e01"]
ORDERER_EMAIL, OFFICER_EMAIL, PASSWORD = "bench.bestallare@example.se", "bench.kundservice@example.se", "bench"


class Load:
    def __init__(self, base_url, engine, seconds):
        self.base_url, self.engine = base_url, engine
        self.deadline = time.monotonic() + seconds
        self.samples = collections.defaultdict(list)
        self.errors = []
        self.sent = []
        self.lock = threading.Lock()
        with engine.connect() as connection:
            self.environment = connection.execute(sa.text("SELECT id FROM environment WHERE name = 'PROD'")).scalar()
            self.contracts = connection.execute(sa.text(
                "SELECT contract_id FROM installed_contract WHERE environment_id = :e ORDER BY id LIMIT 200"),
                {"e": self.environment}).scalars().all()
            self.producers = connection.execute(sa.text(
                "SELECT DISTINCT producer_id FROM producer_connection WHERE environment_id = :e LIMIT 50"),
                {"e": self.environment}).scalars().all()

    def timed(self, kind, request, *args):
        """One request (client.get/post/submit and its arguments), timed and checked."""
        try:
            response = request(*args)
        except Exception as error:  # a refused or broken connection is an error like a 500
            self.error(kind, repr(error))
            return None
        with self.lock:
            self.samples[kind].append(response.server_ms)
        if response.status >= 400:
            self.error(kind, f"status {response.status}")
        return response

    def error(self, kind, text):
        with self.lock:
            self.errors.append(f"{kind}: {text}")

    def logged_in(self, email):
        try:
            return Client(self.base_url).log_in(email, PASSWORD)
        except Exception as error:
            self.error("inloggning", repr(error))
            return None

    def running(self):
        return time.monotonic() < self.deadline

    def orderer(self, seed):
        rng = random.Random(seed)
        client = self.logged_in(ORDERER_EMAIL)
        n = 0
        while client is not None and self.running():
            n += 1
            label = f"{seed:02d}{n:04d}"
            term = rng.choice(SEARCH_TERMS)
            self.timed("sök adressat", client.get, f"/producent/sok/adressat?q={term}")
            created = self.timed("utkast: miljö och producent", client.submit, "/producent/", {
                "environment_id": self.environment, "change_date": "", "producer_id": rng.choice(self.producers),
                "go": "next"})
            if created is None or created.status != 302:
                continue
            number = int(re.search(r"/producent/(\d+)/", created.location).group(1))
            step = f"/producent/{number}/"
            contract = rng.choice(self.contracts)
            self.timed("sök kontrakt", client.get, f"{step}sok/kontrakt?q=get")
            token = client.csrf_token(step + "kontrakt")
            for kind, name, form in (
                    ("steg: kontrakt", "kontrakt", {"contract_ids": contract, "go": "next"}),
                    ("steg: adressater", "adressater", {"mode": "add", "add_hsa_id": f"SE2321000016-L{label}",
                                                        "add_name": f"VE: Last {label}", "add_new": "1", "go": "next"}),
                    ("steg: URL", "url", {f"url_{contract}": f"https://last.example.se/{label}",
                                          f"profile_{contract}": "RIVTABP21", "go": "next"}),
                    ("steg: konsumenter", "konsumenter", {"consumer_choice": "separate", "go": "next"}),
                    ("steg: beställare", "bestallare", {"orderer_name": "Last Beställare", "orderer_phone": "010-1",
                                                        "orderer_email": ORDERER_EMAIL, "go": "next"})):
                self.timed(kind, client.post, step + name, {"csrf_token": token, **form})
            self.timed("sammanfattning", client.get, step + "sammanfattning")
            sent = self.timed("beställ", client.post, f"{step}bestall", {"csrf_token": token})
            if sent is not None and sent.status == 302:
                with self.lock:
                    self.sent.append(number)

    def officer(self, seed):
        rng = random.Random(seed)
        client = self.logged_in(OFFICER_EMAIL)
        while client is not None and self.running():
            self.timed("kundservicekön", client.get, "/admin/backoffice/?flt0_status_equals=submitted")
            self.timed("lista anslutningar", client.get, f"/admin/producerconnection/?page={rng.randrange(100)}")
            self.timed("lista behörigheter", client.get,
                       f"/admin/callauthorization/?flt0_milj_equals={self.environment}")

    def run(self, users, officers):
        threads = [threading.Thread(target=self.orderer, args=(n,)) for n in range(users)]
        threads += [threading.Thread(target=self.officer, args=(100 + n,)) for n in range(officers)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - started

    def unaccounted(self):
        """Sent orders not in the database as sent, or without their two mails."""
        with self.engine.connect() as connection:
            found = dict(connection.execute(sa.text(
                "SELECT o.number, (SELECT count(*) FROM outbound_email m WHERE m.reference = 'BS-' || o.number) "
                "FROM bs_order o WHERE o.number = ANY(:n) AND o.status = 'submitted'"), {"n": self.sent}).all())
        return [n for n in self.sent if found.get(n) != 2]


def report(load, elapsed, users, officers):
    total = sum(len(values) for values in load.samples.values())
    print(f"\nLasttest: {users} beställare och {officers} kundtjänstmedarbetare i {elapsed:.0f} s")
    print(f"{total} anrop, {total / elapsed:.1f} anrop/s, {len(load.sent)} skickade beställningar, "
          f"{len(load.errors)} fel")
    print("| Anrop | antal | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    for kind, values in sorted(load.samples.items()):
        p50, p95 = Result.percentile(values, 0.5), Result.percentile(values, 0.95)
        print(f"| {kind} | {len(values)} | {p50:.1f} | {p95:.1f} |")
    for error in load.errors[:20]:
        print("FEL:", error)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="PostgreSQL med nationella data (skrivs till)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--officers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    engine = sa.create_engine(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with gunicorn(args.database_url, workers=args.workers, env={"MAIL_SERVER": ""}) as (base_url, _):
        load = Load(base_url, engine, args.seconds)
        elapsed = load.run(args.users, args.officers)
    report(load, elapsed, args.users, args.officers)
    missing = load.unaccounted()
    if missing:
        print(f"{len(missing)} skickade beställningar saknas eller saknar e-post: {missing[:20]}")
    engine.dispose()
    return 1 if load.errors or missing or not load.sent else 0


if __name__ == "__main__":
    sys.exit(main())
