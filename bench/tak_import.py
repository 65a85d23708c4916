"""TAK import of one national-size environment: time and peak memory of `flask tak import`.

The PROD catalogue is written as a takdump (`flask tak dump`) and imported into DEV of a copy of
the database, replacing DEV's own 370,000 rows – the heaviest nightly import there is."""
import os
import sqlite3
import subprocess
import sys
import time

from .database import CACHE, ROOT, working_copy
from .operations import Result

# Runs the flask command and reports the process's own peak memory (kB) on the last stderr line.
MEASURED_FLASK = """
import resource, sys
from flask.cli import main
sys.argv = ["flask"] + sys.argv[1:]
try:
    main()
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def _flask(database, *args, env=None):
    """Peak memory (MB) of the flask command."""
    return flask_run(database, *args, env=env)[0]


def flask_run(database, *args, env=None):
    """(peak memory in MB, what it printed) of the flask command on the database."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "FLASK_APP": "app", **(env or {})}
    completed = subprocess.run([sys.executable, "-c", MEASURED_FLASK, *args], cwd=ROOT, env=environment,
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} misslyckades: {completed.stderr[-2000:]}")
    return int(completed.stderr.strip().splitlines()[-1]) / 1024, completed.stdout


def import_result(database):
    dump = CACHE / "takdump_prod.json"
    if not dump.exists() or dump.stat().st_mtime < database.stat().st_mtime:
        _flask(database, "tak", "dump", str(dump), "--environment", "NTJP PROD")
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT (SELECT count(*) FROM producer_connection WHERE environment_id = e.id) + "
            "(SELECT count(*) FROM call_authorization WHERE environment_id = e.id) FROM environment e "
            "WHERE e.name = 'PROD'").fetchone()[0]
    target = working_copy(database, "import.sqlite")
    started = time.perf_counter()
    peak_mb = _flask(target, "tak", "import", str(dump), "--environment", "NTJP DEV")
    elapsed = (time.perf_counter() - started) * 1000
    result = Result("TAK-import av en miljö (PROD → DEV)", 60000, samples=[elapsed],
                    note=f"{rows} rader, {peak_mb:.0f} MB minnestopp, mål ≤ 1 024 MB")
    result.memory_ok = peak_mb <= 1024
    return result
