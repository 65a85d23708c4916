"""The key pages cost the same number of SQL statements whether they show one row or many:
a query per row (N+1) would make them slow at national scale, long before a benchmark notices."""
import contextlib
import re

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from demo.national import BENCH_OFFICER, BENCH_ORDERER, LARGE_DOMAIN, generate_national
from extensions import db
from models import (
    CallAuthorization,
    Environment,
    LogicalAddress,
    Order,
    ProducerConnection,
    ServiceContract,
    ServiceDomain,
    User,
)
from models.orders import CONSUMER, PRODUCER
from ordering import orders
from ordering import producer_order as po

from .conftest import log_in


@contextlib.contextmanager
def counting():
    statements = []

    def count(*args, **kwargs):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def statements_for(client, url):
    db.session.expire_all()  # as a new request: nothing already loaded
    with counting() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements), response.get_data(as_text=True)


@pytest.fixture
def national(app):
    generate_national(size=0.002)
    user = {email: db.session.scalar(sa.select(User).filter_by(email=email)) for email in (BENCH_ORDERER,
                                                                                          BENCH_OFFICER)}
    return {"orderer": log_in(app.test_client(), user[BENCH_ORDERER]),
            "officer": log_in(app.test_client(), user[BENCH_OFFICER]), "user": user[BENCH_ORDERER],
            "prod": db.session.scalar(sa.select(Environment).filter_by(name="PROD")),
            "large": db.session.scalar(sa.select(ServiceDomain).filter_by(namespace=LARGE_DOMAIN))}


def one_address(model):
    return db.session.scalar(sa.select(LogicalAddress.hsa_id).join(model).order_by(LogicalAddress.id.desc()).limit(1))


@pytest.mark.parametrize("register", [ProducerConnection, CallAuthorization])
def test_connection_registers(national, register):
    url = f"/admin/{register.__name__.lower()}/"
    few, few_page = statements_for(national["officer"], url + f"?search={one_address(register)}")
    many, many_page = statements_for(national["officer"], url)
    assert many_page.count("<tr") >= 50 > few_page.count("<tr")
    assert many == few


def test_order_queue(national):
    """With its Organisation column: orders sent before the header kept it read the system's."""
    number = db.session.scalar(sa.select(Order.number).where(Order.status == "done").limit(1))
    few, few_page = statements_for(national["officer"], f"/admin/backoffice/?search=BS-{number}")
    many, many_page = statements_for(national["officer"], "/admin/backoffice/")
    assert many_page.count("BS-") > few_page.count("BS-")
    newest = db.session.scalar(sa.select(Order).where(Order.status != "draft")
                               .order_by(Order.submitted_at.desc(), Order.id.desc()).limit(1))
    assert "organisation" not in (newest.sent_header or {})  # the generator's orders: the fallback is what is counted
    assert re.search(rf'class="col-organisation">\s*{re.escape(newest.system_instance.organisation.name)}\s*<', many_page)
    assert many == few


def test_mina_bestallningar(national):
    """The bench orderer has 20 orders at this size; a new orderer has one."""
    many, many_page = statements_for(national["orderer"], "/mina-bestallningar/")
    newcomer = db.session.scalar(sa.select(User).filter_by(email="bestallare3@example.se"))
    db.session.execute(sa.delete(Order).where(Order.orderer_id == newcomer.id, Order.id != sa.select(
        sa.func.min(Order.id)).where(Order.orderer_id == newcomer.id).scalar_subquery()))
    db.session.commit()
    few, few_page = statements_for(log_in(national["orderer"].application.test_client(), newcomer),
                                   "/mina-bestallningar/")
    assert many_page.count('data-number="') >= 20 > few_page.count('data-number="') >= 1
    assert many == few


def draft(national, kind, instance_id, **content):
    order = orders.create_draft(kind, national["user"], environment_id=national["prod"].id,
                                system_instance_id=instance_id)
    orders.save_draft(order, content=content)
    return order


def test_consumer_matrix(national):
    consumer = db.session.scalar(sa.select(CallAuthorization.consumer_id).limit(1))
    order = draft(national, CONSUMER, consumer, cells={"add": [], "remove": []}, contracts=[])
    other_domain = db.session.scalar(sa.select(ServiceContract.domain_id).join(ProducerConnection).where(
        ServiceContract.domain_id != national["large"].id, ProducerConnection.environment_id == national["prod"].id)
        .limit(1))
    few, few_data = statements_for(national["orderer"], f"/konsument/{order.number}/matris/{other_domain}")
    many, many_data = statements_for(national["orderer"], f"/konsument/{order.number}/matris/{national['large'].id}")
    assert many_data.count('"SE') != few_data.count('"SE')  # different numbers of rows
    assert many == few


def test_producer_summary(national):
    """One contract and one addressee, or ten contracts and fifty: the same statements."""
    large_contracts = db.session.scalars(sa.select(ServiceContract).where(
        ServiceContract.domain_id == national["large"].id).order_by(ServiceContract.id)).all()
    producer = db.session.scalar(sa.select(ProducerConnection.producer_id).where(
        ProducerConnection.contract_id == large_contracts[0].id).limit(1))
    unconnected = db.session.scalars(sa.select(LogicalAddress).order_by(LogicalAddress.id.desc()).limit(50)).all()

    def summary_of(contracts, addresses):
        entries = [{**po.contract_entry(c), "url": "https://ny.example.se/x", "profile": "RIVTABP21"}
                   for c in contracts]
        order = draft(national, PRODUCER, producer, mode="add", consumer_choice="separate", contracts=entries,
                      add_addresses=[{"hsa_id": a.hsa_id, "name": a.name, "new": False} for a in addresses])
        return statements_for(national["orderer"], f"/producent/{order.number}/sammanfattning")

    few, few_page = summary_of(large_contracts[:1], unconnected[:1])
    many, many_page = summary_of(large_contracts, unconnected)
    assert many_page.count(unconnected[-1].hsa_id) >= 10 > few_page.count(unconnected[-1].hsa_id)
    assert many == few


def test_change_requests(app, catalog, accounts):
    """Ändringsförfrågningar: each row shows its instance with organisation and system, loaded with the page."""
    from models import InstanceChangeRequest, Organisation, System, SystemInstance

    officer = log_in(app.test_client(), accounts["customer_service"])

    def requests(count):
        for n in range(count):
            key = f"{count}{n}"
            instance = SystemInstance(hsa_id=f"SE2321000016-CR{key}",
                                      organisation=Organisation(org_number=key.zfill(10), name=f"Org {key}"),
                                      system=System(name=f"System {key}"))
            db.session.add(InstanceChangeRequest(instance=instance, changes=[["Övrigt", "", "x"]], proposed={},
                                                 requested_by_name="Anna"))
        db.session.commit()

    requests(1)
    db.session.expunge_all()  # nothing of the rows in the session: each page loads what it shows
    few, few_page = statements_for(officer, "/admin/changerequest/")
    requests(6)
    db.session.expunge_all()
    many, many_page = statements_for(officer, "/admin/changerequest/")
    assert many_page.count("Org ") > few_page.count("Org ")
    assert many == few
