"""The benchmark keeps working: CI runs it end to end at a small scale (the full-scale figures
are in the README). Timings are reported, not asserted – these machines are shared."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extensions import db

from .conftest import _drop_alembic_version, database_url

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_every_operation_at_small_scale(app, tmp_path):
    """On the suite's database: SQLite (a cached file of its own), or PostgreSQL, which `make bench`
    measures when DATABASE_URL points at it – migrated and filled by the benchmark itself."""
    if not os.path.exists(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium") and os.environ.get("CI") != "true":
        pytest.skip("Chromium finns inte på den här maskinen")
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    on_postgresql = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
    if on_postgresql:
        db.drop_all()  # the benchmark builds its own schema through the migrations
        _drop_alembic_version()
        environment["DATABASE_URL"] = database_url(tmp_path)  # this worker's database
    completed = subprocess.run([sys.executable, "-m", "bench", "--scale", "0.01", "--repeat", "3", "--report-only"],
                               cwd=ROOT, capture_output=True, text=True, timeout=900, check=False, env=environment)
    assert completed.returncode == 0, completed.stderr[-3000:]
    table = completed.stdout
    for operation in ("Sök tjänstekontrakt medan man skriver", "Sök logisk adressat", "Sök systeminstans",
                      "Kontraktsstatus för en domän", "Klistra in 500 adressater på 10 kontrakt",
                      "Konsumentmatrisen 10 × 5 000", "Lista producentanslutningar, sida 1 000",
                      "Sök bland anropsbehörigheter", "Mina beställningar", "Kundservicekön med statusfilter",
                      "Beställ: 10 kontrakt × 500 adressater", "TAK-JSON för den beställningen",
                      "Webbläsare: tangent → förslag", "Webbläsare: matrisfilter",
                      *(() if on_postgresql else ("TAK-import av en miljö", "TAK-API-synk av en miljö",
                                                  "TAK-API-synk, oförändrad ögonblicksbild")),
                      # every list against stock Flask-Admin over the same table
                      "Listor mot Flask-Admins standardvy", "Beställningar (kön, ofiltrerad), sida 1 ",
                      "Producentanslutningar, sida 1 ", "Logiska adressater, sida 1 ", "Ändringslogg, sida 1 ",
                      "Utkorg, sida 1 "):
        assert operation in table, f"{operation} saknas i tabellen:\n{table}"
    assert table.count("| ") > 20 and "skala 0.01" in table
    assert ("postgresql" if on_postgresql else "sqlite") in table
