"""Real-life faults against gunicorn (several workers) on PostgreSQL: SMTP down, a killed worker,
a double submit, two officers on one record, a database restart. Nothing may be lost or doubled."""
import html.parser
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.client import Client
from bench.server import wait_until_healthy

from .conftest import ROOT

PASSWORD = "demo"
ORDERER, OFFICER, ADMIN = "bestallare@demo.example", "kundservice@demo.example", "admin@demo.example"
STALE = "Någon annan har ändrat uppgifterna sedan du öppnade sidan"


@pytest.fixture(scope="module")
def database(production_database):
    engine = sa.create_engine(production_database, pool_pre_ping=True)
    yield engine
    engine.dispose()


def scalar(engine, query, **params):
    with engine.connect() as connection:
        return connection.execute(sa.text(query), params).scalar()


def rows(engine, query, **params):
    with engine.connect() as connection:
        return connection.execute(sa.text(query), params).all()


@pytest.fixture(scope="module")
def catalog(database):
    """An environment, a producer attached to it and an installed contract from the demo data."""
    environment = scalar(database, "SELECT id FROM environment WHERE name = 'TEST'")
    return {
        "environment": environment,
        "producer": scalar(database, "SELECT system_instance_id FROM system_instance_environment WHERE "
                                     "environment_id = :e ORDER BY system_instance_id LIMIT 1", e=environment),
        "contract": scalar(database, "SELECT contract_id FROM installed_contract WHERE environment_id = :e "
                                     "ORDER BY id LIMIT 1", e=environment),
    }


def logged_in(base_url, email):
    return Client(base_url).log_in(email, PASSWORD)


def ready_draft(client, catalog, label):
    """A complete producer order, one step at a time as the browser sends it; returns its number."""
    response = client.submit("/producent/", {"environment_id": catalog["environment"], "change_date": "",
                                             "producer_id": catalog["producer"], "go": "next"})
    assert response.status == 302, response.text[:500]
    number = int(re.search(r"/producent/(\d+)/", response.location).group(1))
    step = f"/producent/{number}/"
    contract = catalog["contract"]
    for name, form in (
            ("kontrakt", {"contract_ids": contract, "go": "next"}),
            ("adressater", {"mode": "add", "action": "add_new", "new_hsa_id": f"SE2321000016-F{label}",
                            "new_name": f"VE: Feltest {label}"}),
            ("adressater", {"mode": "add", "add_hsa_id": f"SE2321000016-F{label}", "add_name": f"VE: Feltest {label}",
                            "add_new": "1", "go": "next"}),
            ("url", {f"url_{contract}": f"https://feltest.example.se/{label}", f"profile_{contract}": "RIVTABP21",
                     "go": "next"}),
            ("konsumenter", {"consumer_choice": "separate", "go": "next"}),
            ("bestallare", {"orderer_name": "Demo Beställare", "orderer_phone": "010-123 45 67",
                            "orderer_email": ORDERER, "go": "next"})):
        response = client.submit(step + name, form)
        assert response.status in (200, 302), (name, response.status, response.text[:500])
    return number


def send(client, number, token):
    return client.post(f"/producent/{number}/bestall", {"csrf_token": token})


def mails_for(engine, numbers):
    return rows(engine, "SELECT reference, status, last_error FROM outbound_email WHERE reference = ANY(:refs)",
                refs=[f"BS-{n}" for n in numbers])


def outbox_send(database_url, smtp_port):
    environment = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "app", "MAIL_SERVER": "127.0.0.1",
                   "MAIL_PORT": str(smtp_port)}
    return subprocess.Popen([sys.executable, "-m", "flask", "outbox", "send", "--now"], cwd=ROOT, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_smtp_down_during_50_submissions(production, production_database, database, smtp, catalog):
    base_url, _ = production
    client = logged_in(base_url, ORDERER)
    numbers = [ready_draft(client, catalog, f"S{n:03d}") for n in range(50)]
    token = client.csrf_token(f"/producent/{numbers[0]}/sammanfattning")
    received_before = len(smtp.inbox.messages)
    smtp.stop()
    try:
        for number in numbers:
            response = send(client, number, token)
            assert response.status == 302 and response.location.endswith(f"/{number}/skickad")
    finally:
        smtp.start()
    statuses = rows(database, "SELECT status FROM bs_order WHERE number = ANY(:n)", n=numbers)
    assert [status for (status,) in statuses] == ["submitted"] * 50
    queued = mails_for(database, numbers)
    assert len(queued) == 100 and all(status == "pending" and error for _, status, error in queued)

    # SMTP is back: two senders at once (two cron hosts) deliver everything, nothing twice.
    senders = [outbox_send(production_database, smtp.port) for _ in range(2)]
    for sender in senders:
        _, errors = sender.communicate(timeout=120)
        assert sender.returncode == 0, errors
    assert all(status == "sent" for _, status, _ in mails_for(database, numbers))
    subjects = [str(message["Subject"]) for message in smtp.inbox.messages[received_before:]]
    for number in numbers:
        mine = [subject for subject in subjects if re.search(rf"BS-{number}\b", subject)]
        assert len(mine) == 2, (number, mine)  # customer service + the orderer's confirmation, once each


def worker_pids(master_pid):
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            children.append(int(stat.parent.name))
    return children


def test_a_killed_worker_leaves_the_order_whole_or_absent(production, database, catalog):
    base_url, master = production
    client = logged_in(base_url, ORDERER)
    number = ready_draft(client, catalog, "K001")
    token = client.csrf_token(f"/producent/{number}/sammanfattning")
    before = rows(database, "SELECT status, content, step FROM bs_order WHERE number = :n", n=number)

    outcome = {}
    with database.connect() as locker:
        # Hold the outbox so the submission stops midway: order updated, mails not yet written.
        transaction = locker.begin()
        locker.execute(sa.text("LOCK TABLE outbound_email IN EXCLUSIVE MODE"))
        request = threading.Thread(target=lambda: outcome.update(result=_try(send, client, number, token)))
        request.start()
        wait_until(lambda: scalar(database, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"),
                   "the submission never reached the outbox")
        for pid in worker_pids(master.pid):
            os.kill(pid, signal.SIGKILL)
        request.join(timeout=30)
        transaction.rollback()
    assert isinstance(outcome["result"], Exception) or outcome["result"].status >= 500

    wait_until(lambda: not scalar(database, "SELECT count(*) FROM pg_stat_activity WHERE state LIKE "
                                            "'idle in transaction%' OR wait_event_type = 'Lock'"),
               "PostgreSQL never rolled back the killed worker's transaction")
    assert rows(database, "SELECT status, content, step FROM bs_order WHERE number = :n", n=number) == before
    assert mails_for(database, [number]) == []

    wait_until_healthy(base_url)  # gunicorn has replaced its workers; the draft can be sent
    again = logged_in(base_url, ORDERER)
    assert send(again, number, again.csrf_token(f"/producent/{number}/sammanfattning")).status == 302
    assert scalar(database, "SELECT status FROM bs_order WHERE number = :n", n=number) == "submitted"
    assert len(mails_for(database, [number])) == 2


def wait_until(condition, failure, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.05)


def _try(function, *args):
    try:
        return function(*args)
    except Exception as error:  # the connection dies with the worker
        return error


def test_double_submit_at_the_same_moment_gives_one_order(production, database, catalog):
    base_url, _ = production
    client = logged_in(base_url, ORDERER)
    number = ready_draft(client, catalog, "D001")
    token = client.csrf_token(f"/producent/{number}/sammanfattning")
    start = threading.Barrier(2)
    results = []

    def click():
        start.wait()
        results.append(send(client, number, token))

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status for r in results] == [302, 302]
    assert all(r.location.endswith(f"/{number}/skickad") for r in results)
    assert scalar(database, "SELECT count(*) FROM bs_order WHERE number = :n", n=number) == 1
    assert scalar(database, "SELECT count(*) FROM order_status_change c JOIN bs_order o ON o.id = c.order_id "
                            "WHERE o.number = :n AND c.to_status = 'submitted'", n=number) == 1
    assert len(mails_for(database, [number])) == 2


def test_parallel_orderers_get_unique_numbers(production, database, catalog):
    base_url, _ = production
    clients = [logged_in(base_url, ORDERER) for _ in range(6)]
    numbers = []

    def create(client):
        response = client.submit("/producent/", {"environment_id": catalog["environment"], "change_date": "",
                                                 "producer_id": catalog["producer"], "go": "next"})
        numbers.append(int(re.search(r"/producent/(\d+)/", response.location).group(1)))

    threads = [threading.Thread(target=create, args=(client,)) for client in clients for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(numbers) == 18 and len(set(numbers)) == 18


class _FormFields(html.parser.HTMLParser):
    """The values a browser would post from the page's edit form."""

    def __init__(self):
        super().__init__()
        self.fields, self.in_form, self.select, self.textarea = [], False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post" and "admin-form" in attrs.get("class", ""):
            self.in_form = True
        if not self.in_form or not attrs.get("name") and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "checkbox") or \
                tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields.append((attrs["name"], ""))

    def handle_data(self, data):
        if self.textarea:
            self.fields[-1] = (self.textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_form = False


def edit_form(client, path):
    parser = _FormFields()
    parser.feed(client.get(path).text)
    fields = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields


def test_two_officers_editing_one_instance(production, database, catalog):
    base_url, _ = production
    first, second = logged_in(base_url, OFFICER), logged_in(base_url, ADMIN)
    path = f"/admin/systeminstance/edit/?id={catalog['producer']}"
    first_form, second_form = edit_form(first, path), edit_form(second, path)
    assert first_form["version_seen"] == second_form["version_seen"]

    first_form["other_info"] = ["Ändrad av kundservice"]
    saved = first.post(path, first_form)
    assert saved.status == 302
    second_form["other_info"] = ["Ändrad av administratören"]
    refused = second.post(path, second_form)
    assert refused.status == 200 and STALE in refused.text
    assert "Ändrad av administratören" in refused.text  # the second officer's input is still in the form
    assert scalar(database, "SELECT other_info FROM system_instance WHERE id = :i",
                  i=catalog["producer"]) == "Ändrad av kundservice"


def test_zz_database_restart_while_the_application_runs(production, postgres):
    """Named to run last: it takes the shared database away for a moment."""
    base_url, _ = production
    officer = logged_in(base_url, OFFICER)
    assert officer.get("/admin/backoffice/").status == 200
    postgres.stop()
    try:
        started = time.monotonic()
        health = Client(base_url).get("/healthz")
        assert health.status == 503 and b'"database"' in health.body
        page = officer.get("/admin/backoffice/")
        assert page.status == 500 and "Ett oväntat fel inträffade" in page.text
        assert time.monotonic() - started < 20  # failed cleanly, did not hang
    finally:
        postgres.start()
    wait_until_healthy(base_url, timeout=30)
    for _ in range(6):  # every worker's pool recovers, not just one
        assert officer.get("/admin/backoffice/").status == 200
