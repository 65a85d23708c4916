"""Fixtures: an app on a fresh database per test (SQLite file, or PostgreSQL via TEST_DATABASE_URL)."""
import datetime as dt
import functools
import os
import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, request_started

from app import create_app
from clock import swedish_today
from extensions import db
from identity.accounts import create_user
from models import (
    ADMIN,
    CUSTOMER_SERVICE,
    ORDERER,
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

SHARED = Path(__file__).resolve().parents[2] / "shared"
TAKDUMP = SHARED / "reference" / "tak" / "takdump_ntjp_test.json"
DOMAINS_XML = SHARED / "reference" / "tak" / "domains.xml"


def pytest_collection_modifyitems(items):
    """The browser tests (and the benchmark's, which drives Chromium too) are marked `browser`:
    scripts/test.sh runs them on their own, one at a time, after the rest ran on two workers – beside
    two busy workers a page's style sheets and scripts came late and the tests met half-loaded pages."""
    for item in items:
        if "/e2e/" in str(item.path).replace("\\", "/") or item.path.name == "test_bench.py":
            item.add_marker(pytest.mark.browser)


def shared_file(path):
    """A reference file from ../shared: on CI its absence is a failure, elsewhere a skip."""
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} saknas; CI måste ha ../shared")
        pytest.skip(f"{path} finns inte på den här maskinen")
    return path


def database_url(tmp_path):
    """SQLite: a file per test. PostgreSQL: TEST_DATABASE_URL's database – or, under pytest-xdist,
    a database of the worker's own beside it, so workers never drop each other's tables."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _worker_database(url, worker) if worker else url


@functools.cache
def _worker_database(url, worker):
    base = sa.engine.make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": own.database})
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": sa.pool.NullPool},
    })
    request_started.connect(_forget_previous_request, app)
    with app.app_context():
        _fresh_schema()
        yield app
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            db.drop_all()


def _fresh_schema():
    """An empty schema as the models describe it. SQLite: a new file per test, built. PostgreSQL: the
    worker's database is built once and emptied between tests (TRUNCATE, ids from 1 again) – building
    it took most of a short test; a test that dropped or migrated it (alembic_version appears) has it
    built again."""
    if db.engine.dialect.name == "postgresql":
        tables = set(sa.inspect(db.engine).get_table_names())
        if tables == set(db.metadata.tables):
            names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
    db.drop_all()
    _drop_alembic_version()
    db.create_all()


def _forget_previous_request(sender, **extra):
    # Requests reuse the test's app context, and with it flask.g – where Flask-Login caches the
    # user and Flask-WTF the CSRF token. In production each request has a fresh g; so here too.
    g.__dict__.clear()


def _drop_alembic_version():
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def client(app):
    """An anonymous browser."""
    return app.test_client()


PASSWORD = "rätt-lösenord-1"


@pytest.fixture
def accounts(app):
    """One active account per role, all with the password PASSWORD."""
    people = {
        ORDERER: create_user(role=ORDERER, email="anna.bestallare@region.example", name="Anna Beställare",
                             phone="010-111 11 11", hsa_id="SE2321000016-P001", password=PASSWORD),
        CUSTOMER_SERVICE: create_user(role=CUSTOMER_SERVICE, email="karl.kundservice@inera.example",
                                      name="Karl Kundservice", phone="010-222 22 22", password=PASSWORD),
        ADMIN: create_user(role=ADMIN, email="ada.admin@inera.example", name="Ada Admin", password=PASSWORD),
    }
    db.session.commit()
    return people


def log_in(client, user):
    """Put the user in the client's session, as a completed login does."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["last_seen"] = int(time.time())
    return client


@pytest.fixture
def officer_client(app, accounts):
    """A customer-service officer's browser."""
    return log_in(app.test_client(), accounts[CUSTOMER_SERVICE])


@pytest.fixture
def orderer_client(app, accounts):
    return log_in(app.test_client(), accounts[ORDERER])


@pytest.fixture
def catalog(app):
    """A small catalogue: one of everything, connected in NTJP TEST."""
    test = Environment(platform="NTJP", name="TEST")
    qa = Environment(platform="NTJP", name="QA")
    domain = ServiceDomain(namespace="crm:scheduling", swedish_name="Tidbokning")
    contract = ServiceContract(namespace="urn:riv:crm:scheduling:GetBookingDetailsResponder:1",
                               name="GetBookingDetails", major=1, minor=0, domain=domain)
    profile = RivtaProfile(name="RIVTABP21", description="RIV TA BP version 2.1")
    organisation = Organisation(org_number="2321000016", name="Region Stockholm")
    system = System(name="TakeCare")
    producer = SystemInstance(hsa_id="SE2321000016-92V4", organisation=organisation, system=system,
                              other_info="Akutmottagning", environments=[test])
    consumer = SystemInstance(hsa_id="HSATEST2-C5J", tak_description="Inera AB -- Intygstjänster -- Intygstjänsten",
                              environments=[test])
    address = LogicalAddress(hsa_id="SE2321000016-1000", name="VG: Region Stockholm")
    today = swedish_today()
    db.session.add_all([
        test, qa, domain, contract, profile, organisation, system, producer, consumer, address,
        InstalledContract(environment=test, contract=contract),
        ProducerConnection(environment=test, producer=producer, contract=contract, logical_address=address,
                           rivta_profile=profile, url="https://tp.example.se/GetBookingDetails",
                           valid_from=today - dt.timedelta(days=10), valid_to=today + dt.timedelta(days=36500)),
        CallAuthorization(environment=test, consumer=consumer, contract=contract, logical_address=address,
                          integration_agreement="TEST-1", valid_from=today - dt.timedelta(days=10),
                          valid_to=today + dt.timedelta(days=36500)),
    ])
    db.session.commit()
    return {"test": test, "qa": qa, "domain": domain, "contract": contract, "profile": profile,
            "organisation": organisation, "system": system, "producer": producer, "consumer": consumer,
            "address": address}


def csrf_token(html):
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html)
    assert match, "form has no CSRF token"
    return re.search(r'value="([^"]+)"', match.group(0)).group(1)


def page_text(response):
    """The visible text of a page, tags removed and whitespace collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


class _Inbox:
    """Messages a real SMTP server (aiosmtpd) on 127.0.0.1 received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd on a fixed local port; stop() and start() simulate an outage."""

    def __init__(self):
        self.inbox, self.port, self.controller = _Inbox(), free_port(), None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(app):
    """A real SMTP server the app is configured to use."""
    from extensions import mail

    server = SmtpServer()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False, MAIL_USE_SSL=False,
                      MAIL_SUPPRESS_SEND=False)
    app.extensions["mail"] = mail.init_mail(app.config)
    yield server
    server.stop()
