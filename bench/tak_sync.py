"""`flask tak sync` of one national-size environment from the TAK-API double (bench/tak_api.py):
the PROD catalogue, served as TAK-API would serve it, synced into DEV of a copy of the database –
every one of DEV's rows ended and PROD's started, the heaviest sync there is – and then the same
snapshot again, which must cost one request."""
import json
import re
import time

from .database import CACHE, working_copy
from .operations import Result
from .tak_api import Snapshot, TakApiDouble
from .tak_import import flask_run

USER, PASSWORD = "bench", "bench"


def sync_results(database):
    dump = CACHE / "takdump_prod.json"
    if not dump.exists() or dump.stat().st_mtime < database.stat().st_mtime:
        flask_run(database, "tak", "dump", str(dump), "--environment", "NTJP PROD")
    with open(dump, encoding="utf-8") as handle:
        document = json.load(handle)
    snapshot = Snapshot("NTJP", "PROD", document, time.strftime("%Y-%m-%dT01:30:00+0100"))
    rows = len(snapshot.productions) + len(snapshot.cooperations)
    target = working_copy(database, "sync.sqlite")
    with TakApiDouble([snapshot], USER, PASSWORD) as api:
        environment = {"TAK_SYNC_URL": api.base_url, "TAK_SYNC_USERNAME": USER, "TAK_SYNC_PASSWORD": PASSWORD,
                       "TAK_SYNC_ENVIRONMENTS": "NTJP DEV=NTJP:PROD", "TAK_SYNC_TIMEOUT": "300"}
        started = time.perf_counter()
        peak_mb, _ = flask_run(target, "tak", "sync", "--max-borttag", "1", env=environment)
        full = (time.perf_counter() - started) * 1000
        _, printed = flask_run(target, "tak", "sync", env=environment)
        # The sync's own time, which the command prints; its start-up (Python, the app) is not the sync.
        unchanged = float(re.search(r"oförändrad .*\(([0-9.]+) s\)", printed).group(1)) * 1000
    result = Result("TAK-API-synk av en miljö (PROD → DEV)", 60000, samples=[full],
                    note=f"{rows} rader, {peak_mb:.0f} MB minnestopp, mål ≤ 1 024 MB")
    result.memory_ok = peak_mb <= 1024
    return [result, Result("TAK-API-synk, oförändrad ögonblicksbild", 1000, samples=[unchanged],
                           note="en fråga till TAK-API")]
