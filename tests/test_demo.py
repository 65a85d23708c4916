"""The demo generator: deterministic, valid identifiers, something on every screen."""
import sqlalchemy as sa

from demo.generator import generate_demo
from extensions import db
from forms.identifiers import hsa_id_problem, org_number_problem, url_problem
from models import (
    CallAuthorization,
    Environment,
    LogicalAddress,
    Organisation,
    ProducerConnection,
    ServiceContract,
    ServiceDomain,
    SystemInstance,
)


def fingerprint():
    return (
        sorted(db.session.scalars(sa.select(LogicalAddress.hsa_id))),
        sorted(db.session.scalars(sa.select(SystemInstance.hsa_id))),
        db.session.scalar(sa.select(sa.func.count()).select_from(ProducerConnection)),
        db.session.scalar(sa.select(sa.func.count()).select_from(CallAuthorization)),
    )


def test_demo_is_realistic_and_valid(app):
    counts = generate_demo()
    assert [e.display for e in db.session.scalars(sa.select(Environment).order_by(Environment.id))] == [
        "NTJP DEV", "NTJP TEST", "NTJP QA", "NTJP PROD"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ServiceDomain)) >= 40
    assert 150 <= db.session.scalar(sa.select(sa.func.count()).select_from(ServiceContract)) <= 250
    assert counts["producentanslutningar"] > 1000 and counts["anropsbehörigheter"] > 1000
    for hsa_id in db.session.scalars(sa.select(SystemInstance.hsa_id)):
        assert hsa_id_problem(hsa_id) is None, hsa_id
    for hsa_id in db.session.scalars(sa.select(LogicalAddress.hsa_id)):
        assert hsa_id_problem(hsa_id) is None, hsa_id
    for number in db.session.scalars(sa.select(Organisation.org_number)):
        assert org_number_problem(number) is None, number
    for url in db.session.scalars(sa.select(ProducerConnection.url).limit(200)):
        assert url_problem(url) is None, url
    names = set(db.session.scalars(sa.select(LogicalAddress.name)))
    assert "VG: Region Värmland" in names and any(n.startswith("VE: Värmland - ") for n in names)
    instance = db.session.scalars(sa.select(SystemInstance).where(SystemInstance.organisation_id.is_not(None))).first()
    assert str(instance).startswith(f"[{instance.hsa_id}] Region ")
    assert instance.main_contact_email and instance.support_email


def fresh_database():
    db.session.remove()  # PostgreSQL: an open read transaction would block DROP TABLE
    db.drop_all()
    db.create_all()


def test_same_seed_gives_same_data_and_scale_grows_it(app):
    generate_demo(seed=7)
    first = fingerprint()
    fresh_database()
    generate_demo(seed=7)
    assert fingerprint() == first
    fresh_database()
    generate_demo(seed=7, scale=2)
    assert len(fingerprint()[0]) > 1.8 * len(first[0])


def test_cli_loads_only_into_an_empty_database(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--scale", "0.1"])  # the guard, not the size, is tested here
    assert first.exit_code == 0 and "Demodata inläst" in first.output
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "redan data" in again.output
    quiet = runner.invoke(args=["demo", "--if-empty"])
    assert quiet.exit_code == 0 and "lästes inte in" in quiet.output


def test_demo_back_office_has_an_order_in_each_status(app):
    """`flask demo` in demo mode (scripts/run.sh) fills the queue through the order lifecycle."""
    from models import Order, OutboundEmail

    app.config["DEMO_MODE"] = True
    result = app.test_cli_runner().invoke(args=["demo", "--scale", "0.2"])
    assert result.exit_code == 0, result.output
    assert "Demobeställningar i kundservicens kö" in result.output
    found = db.session.scalars(sa.select(Order).order_by(Order.number)).all()
    assert [order.status for order in found] == ["submitted", "in_progress", "done", "done", "rejected", "cancelled"]
    verified, deviating = found[2], found[3]
    assert verified.verified_at is not None and verified.verification_differences == []
    assert deviating.verified_at is not None and deviating.verification_differences  # flagged after "the import"
    assert found[1].case_number == "INC0001002"
    assert found[4].history[-1].comment == "Tjänstekontraktet är inte installerat hos producenten ännu."
    assert all(order.sent_header and order.search_text for order in found)  # sent as real orders are
    subjects = list(db.session.scalars(sa.select(OutboundEmail.subject)))
    assert len(subjects) >= 12 and any("genomförd" in subject for subject in subjects)
    mail = db.session.scalars(sa.select(OutboundEmail)).first()
    assert "http://127.0.0.1:5000/" in mail.text_body  # the demo's links point where run.sh serves
