"""Customer service handles sent orders; a done order is applied to the catalog with TAK's rules."""
import datetime as dt

import pytest
import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import (
    CallAuthorization,
    LogicalAddress,
    Order,
    OutboundEmail,
    ProducerConnection,
)
from models.catalog import validity_end
from ordering import producer_order as po
from ordering.apply import apply_change_set

from .conftest import csrf_token, page_text
from .test_producer_order import NEW_ADDRESS, build_order, post_step, start, step_url
from .test_tak_json import sent_order


def today():
    return swedish_today()  # read when used: a run may pass midnight


def send(client, order):
    token = csrf_token(client.get(step_url(order, "sammanfattning")).get_data(as_text=True))
    client.post(f"/producent/{order.number}/bestall", data={"csrf_token": token})
    db.session.expire_all()
    return db.session.get(Order, order.id)


def act(client, order, path, **data):
    page = client.get(f"/kundservice/bestallning/{order.number}")
    return client.post(f"/kundservice/bestallning/{order.number}/{path}",
                       data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data}, follow_redirects=True)


@pytest.fixture
def sent(orderer_client, catalog):
    return send(orderer_client, build_order(orderer_client, catalog, consumers=(catalog["consumer"].id,)))


def test_queue_lists_sent_orders_with_filters_and_search(officer_client, orderer_client, catalog, sent):
    start(orderer_client, catalog)  # a draft: not customer service's business yet
    listing = page_text(officer_client.get("/admin/backoffice/"))
    assert f"BS-{sent.number}" in listing and "Skickad" in listing and "Lista (1)" in listing
    for term in (f"BS-{sent.number}", NEW_ADDRESS.lower(), "92v4"):
        assert f"BS-{sent.number}" in page_text(officer_client.get(f"/admin/backoffice/?search={term}")), term
    assert f"BS-{sent.number}" not in page_text(officer_client.get("/admin/backoffice/?search=SE9999999999-X"))
    assert f"BS-{sent.number}" not in page_text(officer_client.get("/admin/backoffice/?flt0_status_equals=done"))
    assert f"BS-{sent.number}" in page_text(officer_client.get("/admin/backoffice/?flt0_status_equals=submitted"))


def test_order_page_shows_summary_json_and_history(officer_client, sent):
    page = officer_client.get(f"/kundservice/bestallning/{sent.number}")
    text = page_text(page)
    assert "Sammanställning" not in text and "Nya producentanslutningar" in text
    assert '&#34;plattform&#34;: &#34;NTJP-TEST&#34;' in page.get_data(as_text=True) or '"NTJP-TEST"' in text
    assert "Skickad Anna Beställare" in text
    download = officer_client.get(f"/kundservice/bestallning/{sent.number}/tak.json")
    assert download.headers["Content-Disposition"] == f'attachment; filename="BS-{sent.number}.json"'
    assert download.get_json()["inkludera"]["vagval"][0]["logiskAdress"] == NEW_ADDRESS


def test_case_number_and_done_close_the_loop(officer_client, orderer_client, catalog, sent):
    act(officer_client, sent, "status", to="in_progress")
    response = act(officer_client, sent, "arendenummer", case_number="INC-2026-0042")
    assert "Ärendenummer INC-2026-0042 är registrerat" in page_text(response)
    mail = db.session.scalars(sa.select(OutboundEmail).where(OutboundEmail.subject.like("Bekräftelse och%"))).one()
    assert mail.recipients == ["anna.bestallare@region.example"] and "INC-2026-0042" in mail.text_body

    act(officer_client, sent, "status", to="done")
    db.session.expire_all()
    order = db.session.get(Order, sent.id)
    assert order.status == "done"
    assert [h.to_label for h in order.history] == ["Utkast", "Skickad", "Under handläggning", "Under handläggning",
                                                  "Genomförd"]
    assert order.history[-1].user_name == "Karl Kundservice"

    address = db.session.scalar(sa.select(LogicalAddress).where(LogicalAddress.hsa_id == NEW_ADDRESS))
    connection = db.session.scalars(sa.select(ProducerConnection).where(
        ProducerConnection.logical_address_id == address.id)).one()
    assert (connection.valid_from, connection.valid_to) == (today(), validity_end(today()))
    assert db.session.scalar(sa.select(CallAuthorization).where(
        CallAuthorization.logical_address_id == address.id, CallAuthorization.consumer_id == catalog["consumer"].id))

    mine = page_text(orderer_client.get("/mina-bestallningar/"))
    assert "Genomförd" in mine
    assert "ärendenummer INC-2026-0042" in page_text(orderer_client.get(f"/mina-bestallningar/{sent.number}"))
    # The summary of a done order still says what was ordered, not what the catalog now holds.
    assert f"VE: Barnneurologi {NEW_ADDRESS}" in page_text(orderer_client.get(f"/mina-bestallningar/{sent.number}"))
    # The next order sees the addressee as connected.
    start(orderer_client, catalog)
    draft = db.session.scalars(sa.select(Order).where(Order.status == "draft")).one()
    post_step(orderer_client, step_url(draft, "kontrakt"), {"contract_ids": [catalog["contract"].id], "go": "next"})
    post_step(orderer_client, step_url(draft, "adressater"), {"mode": "add", "action": "add_new",
                                                              "new_hsa_id": NEW_ADDRESS, "new_name": "x"})
    assert "redan ansluten till producenten" in page_text(orderer_client.get(step_url(draft, "adressater")))


def test_rejection_needs_a_reason_and_mails_it(officer_client, sent):
    assert "Ange en motivering" in page_text(act(officer_client, sent, "status", to="rejected", comment=" "))
    act(officer_client, sent, "status", to="rejected", comment="Fel miljö – beställ i QA först.")
    db.session.expire_all()
    assert db.session.get(Order, sent.id).status_label == "Avvisad"
    mail = db.session.scalars(sa.select(OutboundEmail).where(OutboundEmail.subject.like("%avvisats"))).one()
    assert "Fel miljö – beställ i QA först." in mail.text_body
    assert "kan inte bli Genomförd" in page_text(act(officer_client, sent, "status", to="done"))


def test_orderer_cannot_reach_the_back_office(orderer_client, sent):
    assert orderer_client.get(f"/kundservice/bestallning/{sent.number}").status_code == 403
    assert orderer_client.get("/admin/backoffice/").status_code == 403


# --- Applying to the catalog: catalog before + order → catalog after -------------------------------

def connections(catalog):
    return sorted((c.logical_address.hsa_id, c.url, c.valid_from, c.valid_to) for c in db.session.scalars(
        sa.select(ProducerConnection).where(ProducerConnection.environment_id == catalog["test"].id)))


def order_for(catalog, content):
    order = sent_order(catalog["test"], catalog["producer"], content)
    return order, po.change_set(order)


def test_apply_replaces_a_changed_url(catalog):
    entry = {**po.contract_entry(catalog["contract"]), "profile": "RIVTABP21", "url": "https://ny.example.se"}
    order, changes = order_for(catalog, {"mode": "add", "contracts": [entry]})
    start = today() + dt.timedelta(days=7)
    apply_change_set(order, changes, start)
    old_start = today() - dt.timedelta(days=10)
    assert connections(catalog) == sorted([
        ("SE2321000016-1000", "https://tp.example.se/GetBookingDetails", old_start, start - dt.timedelta(days=1)),
        ("SE2321000016-1000", "https://ny.example.se", start, validity_end(start))])


def test_apply_removal_ends_the_day_before_or_removes_what_had_not_started(catalog):
    order, changes = order_for(catalog, {"mode": "remove", "contracts": [po.contract_entry(catalog["contract"])],
                                         "remove_addresses": [{"hsa_id": "SE2321000016-1000", "name": ""}]})
    apply_change_set(order, changes, today())
    assert connections(catalog)[0][3] == today() - dt.timedelta(days=1)
    authorization = db.session.scalars(sa.select(CallAuthorization)).one()
    assert authorization.valid_to == today() - dt.timedelta(days=1)  # the consumer's access went with it

    connection = db.session.scalars(sa.select(ProducerConnection)).one()
    connection.valid_from, connection.valid_to = today() + dt.timedelta(days=1), today() + dt.timedelta(days=99)
    db.session.commit()
    order.content = {**order.content, "facts": {"connections": [[catalog["contract"].namespace.lower(),
                                                                "se2321000016-1000", connection.url, "RIVTABP21"]]}}
    apply_change_set(order, po.change_set(order), today())
    assert connections(catalog) == []  # it had not started: gone, not ended


def test_apply_extends_what_already_exists(catalog):
    entry = {**po.contract_entry(catalog["contract"]), "profile": "RIVTABP21",
             "url": "https://tp.example.se/GetBookingDetails"}
    order, _ = order_for(catalog, {"mode": "add", "contracts": [entry]})
    from models.tak_items import Routing
    from ordering.change_set import ChangeSet

    changes = ChangeSet(include_routings=[Routing(entry["namespace"], "SE2321000016-1000", catalog["producer"].hsa_id,
                                                  "RIVTABP21", entry["url"])])
    far = today() + dt.timedelta(days=40000)
    apply_change_set(order, changes, today())
    [row] = connections(catalog)
    assert row[3] == max(validity_end(today()), today() + dt.timedelta(days=36500)) and row[3] < far


@pytest.mark.parametrize("submitted_utc, first, last, listed", [
    ("2026-03-10 14:00", "2026-03-10", "2026-03-10", True),    # the last day counts in full
    ("2026-03-10 23:30", "2026-03-11", "2026-03-11", True),    # 00:30 Swedish time is the 11th
    ("2026-03-10 22:30", "2026-03-11", "2026-03-12", False),   # 23:30 Swedish time is still the 10th
    ("2026-03-12 00:00", "2026-03-10", "2026-03-11", False),   # 01:00 on the 12th is after the range
])
def test_queue_date_filter_takes_whole_swedish_days(officer_client, sent, submitted_utc, first, last, listed):
    sent.submitted_at = dt.datetime.fromisoformat(submitted_utc).replace(tzinfo=dt.timezone.utc)
    db.session.commit()
    text = page_text(officer_client.get(f"/admin/backoffice/?flt0_skickad_between={first}+to+{last}"))
    assert (f"BS-{sent.number}" in text) is listed, text[:300]


def test_queue_shows_how_long_orders_waited_and_filters_by_the_check_against_tak(app, officer_client):
    app.config["DEMO_MODE"] = True  # the demo leaves an order in each status (demo/orders.py)
    assert app.test_cli_runner().invoke(args=["demo", "--scale", "0.2"]).exit_code == 0
    numbers = {order.status_label + (" avviker" if order.verification_differences else ""): order.display_number
               for order in db.session.scalars(sa.select(Order))}
    verified, deviating = numbers["Genomförd"], numbers["Genomförd avviker"]

    def listed(query):
        text = page_text(officer_client.get(f"/admin/backoffice/?{query}"))
        return {number for number in numbers.values() if f"{number} " in text or text.endswith(number)}

    assert listed("flt0_kontroll_mot_tak_r=verifierad") == {verified}
    assert listed("flt0_kontroll_mot_tak_r=avviker") == {deviating}
    assert listed("flt0_kontroll_mot_tak_r=ej") == set()
    queue = page_text(officer_client.get("/admin/backoffice/"))
    assert "Väntat" in queue and "under 1 tim" in queue  # Skickad and Under handläggning, sent just now


def test_back_office_posts_are_parsed_by_forms(officer_client, sent):
    """A hand-made post gets the Swedish refusal a person would, and nothing changes."""
    page = f"/kundservice/bestallning/{sent.number}"
    token = csrf_token(officer_client.get(page).get_data(as_text=True))
    for path, data, message in (
            ("status", {"to": "cancelled"}, "Okänd status."),
            ("status", {"to": "done", "comment": "x" * 4001}, "Kommentaren får vara högst 4000 tecken."),
            ("arendenummer", {"case_number": " "}, "Ange ärendenummer."),
            ("arendenummer", {"case_number": "I" * 51}, "Ärendenumret får vara högst 50 tecken.")):
        refused = officer_client.post(f"{page}/{path}", data={"csrf_token": token, **data}, follow_redirects=True)
        assert message in page_text(refused), data
    db.session.expire_all()
    order = db.session.get(Order, sent.id)
    assert (order.status, order.case_number) == ("submitted", None)

    officer_client.post(f"{page}/status", data={"csrf_token": token, "to": "rejected",
                                                "comment": "Rad ett\r\nRad två"})
    db.session.expire_all()
    assert db.session.get(Order, sent.id).history[-1].comment == "Rad ett\nRad två"
