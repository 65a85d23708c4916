"""Fault tests: the application as production runs it – gunicorn with several workers on
PostgreSQL – on a PostgreSQL server of the test's own, so a test may stop and restart it.

They need PostgreSQL's server binaries (Debian's postgresql package; .ci/run installs it)."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench.server import free_port, gunicorn

from ..conftest import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3


def _server_binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresServer:
    """initdb'd into a temporary directory; start() and stop() simulate a database restart."""

    def __init__(self, binaries):
        self.binaries, self.port = binaries, free_port()
        self.root = Path(tempfile.mkdtemp(prefix="bs-faults-pg-"))
        self.root.chmod(0o755)
        self._run(f"{binaries}/initdb -D {self.root}/data -A trust -U postgres >/dev/null")

    def _run(self, command):
        if os.getuid() == 0:  # PostgreSQL refuses to run as root
            subprocess.run(["chown", "-R", "postgres", str(self.root)], check=True)
            subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True)
        else:
            subprocess.run(["sh", "-c", command], check=True)

    def start(self):
        self._run(f"{self.binaries}/pg_ctl -D {self.root}/data -l {self.root}/log -w -o "
                  f"'-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                  f"-c max_connections=100' start >/dev/null")

    def stop(self):
        self._run(f"{self.binaries}/pg_ctl -D {self.root}/data -m fast -w stop >/dev/null")

    def create_database(self, name):
        self._run(f"{self.binaries}/createdb -h 127.0.0.1 -p {self.port} -U postgres {name}")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    binaries = _server_binaries()
    if binaries is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL saknas; .ci/run ska installera Debians postgresql")
        pytest.skip("PostgreSQL:s serverprogram finns inte på den här maskinen")
    server = PostgresServer(binaries)
    server.start()
    yield server
    server.remove()


def flask(database_url, *args, env=None):
    environment = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "app", **(env or {})}
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=environment, check=True,
                          capture_output=True, text=True)


@pytest.fixture(scope="session")
def production_database(postgres):
    """Migrated on deploy, as the README says, with the demo catalogue and demo accounts."""
    url = postgres.create_database("faults")
    flask(url, "db", "upgrade")
    flask(url, "demo", env={"DEMO_MODE": "1"})
    return url


@pytest.fixture(scope="session")
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def production(production_database, smtp, tmp_path_factory):
    """gunicorn, several workers, PostgreSQL, SMTP: yields (base_url, gunicorn process)."""
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port), "MAIL_TIMEOUT": "5", "DEMO_MODE": "1",
           "LOG_FORMAT": "json", "LOG_REQUESTS": "1", "ORDER_MAIL_TO": "kundservice@example.se"}
    with gunicorn(production_database, workers=WORKERS, env=env, log_path=log) as running:
        yield running
