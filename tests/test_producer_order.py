"""The producer order through the test client: every step's validation, the draft, sending once,
and Mina beställningar."""
import datetime as dt
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import Order, RivtaProfile, ServiceContract
from models.catalog import InstalledContract

from .conftest import csrf_token, log_in, page_text

NEW_ADDRESS = "SE2321000016-7P3K"


@pytest.fixture
def more_catalog(catalog):
    """A second installed contract in the same domain, and the older RIVTA profile."""
    make_booking = ServiceContract(namespace="urn:riv:crm:scheduling:MakeBookingResponder:1", name="MakeBooking",
                                   major=1, minor=0, domain=catalog["domain"])
    db.session.add_all([make_booking, RivtaProfile(name="RIVTABP20"),
                        InstalledContract(environment=catalog["test"], contract=make_booking)])
    db.session.commit()
    return {**catalog, "make_booking": make_booking}


def post_step(client, path, data):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def start(client, catalog, **changes):
    data = {"environment_id": catalog["test"].id, "change_date": "", "producer_id": catalog["producer"].id,
            "go": "next", **changes}
    return post_step(client, "/producent/", data)


def the_order():
    return db.session.scalars(sa.select(Order)).one()


def step_url(order, step):
    return f"/producent/{order.number}/{step}"


def build_order(client, catalog, addresses=({"hsa_id": NEW_ADDRESS, "name": "VE: Barnneurologi"},),
                url="https://tp.example.se/GetBookingDetails", consumers=()):
    """Walk the steps with valid input; returns the draft."""
    start(client, catalog)
    order = the_order()
    post_step(client, step_url(order, "kontrakt"), {"contract_ids": [catalog["contract"].id], "go": "next"})
    for address in addresses:
        post_step(client, step_url(order, "adressater"), {"mode": "add", "new_hsa_id": address["hsa_id"],
                                                          "new_name": address["name"], "action": "add_new",
                                                          **current_addresses(order)})
    post_step(client, step_url(order, "adressater"), {"mode": "add", "go": "next", **current_addresses(order)})
    post_step(client, step_url(order, "url"), {f"url_{catalog['contract'].id}": url,
                                               f"profile_{catalog['contract'].id}": "RIVTABP21", "go": "next"})
    post_step(client, step_url(order, "konsumenter"), {
        "consumer_choice": "together" if consumers else "separate", "consumer_ids": list(consumers), "go": "next"})
    post_step(client, step_url(order, "bestallare"), {
        "other_info": "Gäller Östra sjukhuset – åäö ÅÄÖ", "orderer_name": "Anna Beställare",
        "orderer_phone": "010-111 11 11", "orderer_email": "anna.bestallare@region.example", "go": "next"})
    db.session.expire_all()
    return the_order()


def current_addresses(order):
    db.session.refresh(order)
    entries = order.content.get("add_addresses", [])
    return {"add_hsa_id": [e["hsa_id"] for e in entries], "add_name": [e["name"] for e in entries],
            "add_new": ["1" if e.get("new") else "0" for e in entries]}


def test_first_step_creates_a_numbered_draft_with_the_orderer_prefilled(orderer_client, catalog):
    response = start(orderer_client, catalog)
    order = the_order()
    assert response.location == step_url(order, "kontrakt")
    assert (order.status, order.kind, order.number) == ("draft", "producer", order.id)
    assert (order.orderer_name, order.orderer_email) == ("Anna Beställare", "anna.bestallare@region.example")
    assert order.history[0].to_status == "draft"


@pytest.mark.parametrize("changes, message", [
    ({"environment_id": ""}, "Välj miljö."),
    ({"change_date": "2020-01-01"}, "Datum för ändring kan inte ha passerat"),
    ({"change_date": "i morgon"}, "Ange datum som ÅÅÅÅ-MM-DD."),
    ({"producer_id": ""}, "Sök fram och välj tjänsteproducent."),
    ({"environment_id": "qa"}, "Systemet är inte anslutet till NTJP QA"),
])
def test_first_step_validation(orderer_client, catalog, changes, message):
    if changes.get("environment_id") == "qa":
        changes = {"environment_id": catalog["qa"].id}
    response = start(orderer_client, catalog, **changes)
    assert response.status_code == 200
    assert message in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 0


def test_contract_search_and_domain_statuses(orderer_client, more_catalog):
    start(orderer_client, more_catalog)
    order = the_order()
    found = orderer_client.get(f"/producent/{order.number}/sok/kontrakt?q=Getb").get_json()["results"]
    assert [r["label"] for r in found] == ["GetBookingDetails v1 – [crm:scheduling] Tidbokning"]
    by_domain = orderer_client.get(f"/producent/{order.number}/sok/kontrakt?q=tidbok").get_json()["results"]
    assert {r["name"] for r in by_domain} == {"GetBookingDetails", "MakeBooking"}
    statuses = orderer_client.get(f"/producent/{order.number}/doman/{more_catalog['domain'].id}").get_json()
    assert {(r["name"], r["status_text"]) for r in statuses["results"]} == {
        ("GetBookingDetails", "Ansluten"), ("MakeBooking", "Installerat, ej ansluten")}


def test_contracts_step_needs_one_installed_contract(orderer_client, catalog):
    start(orderer_client, catalog)
    order = the_order()
    response = post_step(orderer_client, step_url(order, "kontrakt"), {"go": "next"})
    assert "Välj minst ett tjänstekontrakt." in page_text(response)
    not_installed = ServiceContract(namespace="urn:riv:crm:scheduling:CancelBookingResponder:1", name="CancelBooking",
                                    major=1, minor=0, domain=catalog["domain"])
    db.session.add(not_installed)
    db.session.commit()
    response = post_step(orderer_client, step_url(order, "kontrakt"),
                         {"contract_ids": [catalog["contract"].id, not_installed.id], "go": "next"})
    assert "finns inte installerat i miljön" in page_text(response)
    db.session.refresh(order)
    assert order.content.get("contracts", []) == []  # a refused list is not stored, not even in part
    post_step(orderer_client, step_url(order, "kontrakt"), {"contract_ids": [catalog["contract"].id], "go": "next"})
    db.session.refresh(order)
    assert [c["name"] for c in order.content["contracts"]] == ["GetBookingDetails"]


def test_addressees_new_existing_pasted_and_already_connected(orderer_client, more_catalog):
    catalog = more_catalog
    start(orderer_client, catalog)
    order = the_order()
    post_step(orderer_client, step_url(order, "kontrakt"),
              {"contract_ids": [catalog["contract"].id, catalog["make_booking"].id], "go": "next"})
    path = step_url(order, "adressater")

    missing_name = post_step(orderer_client, path, {"mode": "add", "action": "add_new", "new_hsa_id": NEW_ADDRESS})
    assert "Ange namn på den logiska adressaten." in page_text(missing_name)
    assert f'value="{NEW_ADDRESS}"' in missing_name.get_data(as_text=True)  # kept

    # An id that exists is taken as the existing addressee, with its catalog name.
    post_step(orderer_client, path, {"mode": "add", "action": "add_new", "new_hsa_id": "se2321000016-1000",
                                     "new_name": "Annat namn"})
    db.session.refresh(order)
    assert order.content["add_addresses"] == [{"hsa_id": "SE2321000016-1000", "name": "VG: Region Stockholm",
                                               "new": False}]
    page = page_text(orderer_client.get(path))
    assert ("OBS! Logisk adressat är redan ansluten till producenten för GetBookingDetails 1.x. Lägger du till den "
            "kommer den ej beställas för detta eller dessa kontrakt.") in page

    pasted = post_step(orderer_client, path, {"mode": "add", "action": "paste", **current_addresses(order),
                                              "pasted": f"{NEW_ADDRESS}\tVE: Barnneurologi\nSE2321000016-1000\n"
                                                        "SE2321000016-9XYZ\nSE2321000016-Å1 Fel"})
    text = page_text(pasted)
    assert "SE2321000016-9XYZ finns inte som logisk adressat; ange ett namn" in text
    assert "Rad 4 (SE2321000016-Å1 Fel): Ett HSA-id får inte innehålla å, ä eller ö." in text
    assert "SE2321000016-Å1 Fel" in pasted.get_data(as_text=True)  # the pasted list stays on the page
    db.session.refresh(order)
    assert [a["hsa_id"] for a in order.content["add_addresses"]] == ["SE2321000016-1000", NEW_ADDRESS]


def test_a_refused_step_keeps_every_field_it_did_not_take(orderer_client, catalog):
    start(orderer_client, catalog)
    order = the_order()
    post_step(orderer_client, step_url(order, "kontrakt"), {"contract_ids": [catalog["contract"].id], "go": "next"})
    path = step_url(order, "adressater")
    pasted = f"{NEW_ADDRESS} VE: Barnneurologi\nSE2321000016-9XYZ Ny mottagning"
    refused = post_step(orderer_client, path, {"mode": "add", "action": "add_new", "new_hsa_id": "SE2321000016-ÅÄÖ",
                                               "new_name": "Ny", "pasted": pasted})
    html = refused.get_data(as_text=True)
    assert "får inte innehålla å, ä eller ö" in page_text(refused)
    assert 'value="SE2321000016-ÅÄÖ"' in html and 'value="Ny"' in html
    assert "SE2321000016-9XYZ Ny mottagning" in html  # the paste box was not emptied

    added = post_step(orderer_client, path, {"mode": "add", "action": "add_new", "new_hsa_id": NEW_ADDRESS,
                                             "new_name": "VE: Barnneurologi", "pasted": pasted})
    assert "SE2321000016-9XYZ Ny mottagning" in added.get_data(as_text=True)  # still not added: still there
    assert f'value="{NEW_ADDRESS}"' not in added.get_data(as_text=True).split('id="chosen-addresses"')[0]


def test_an_existing_addressee_posted_as_new_under_another_name_is_refused(orderer_client, catalog):
    start(orderer_client, catalog)
    order = the_order()
    post_step(orderer_client, step_url(order, "kontrakt"), {"contract_ids": [catalog["contract"].id], "go": "next"})
    forged = post_step(orderer_client, step_url(order, "adressater"), {
        "mode": "add", "go": "next", "add_hsa_id": "SE2321000016-1000", "add_name": "Mitt eget namn", "add_new": "1"})
    assert forged.status_code == 200
    text = page_text(forged)
    assert "SE2321000016-1000 finns redan som logisk adressat med namnet" in text and "VG: Region Stockholm" in text
    assert "kan inte beställas som ny adressat med ett annat namn." in text
    db.session.refresh(order)
    assert order.content["add_addresses"] == [] and order.step != "url"
    # As the page itself posts it (flagged existing, or new under the register's own name): taken.
    post_step(orderer_client, step_url(order, "adressater"), {
        "mode": "add", "go": "next", "add_hsa_id": "SE2321000016-1000", "add_name": "VG: Region Stockholm",
        "add_new": "1"})
    db.session.refresh(order)
    assert order.content["add_addresses"] == [{"hsa_id": "SE2321000016-1000", "name": "VG: Region Stockholm",
                                               "new": False}]


def test_free_text_keeps_the_line_breaks_tak_writes(orderer_client, catalog):
    start(orderer_client, catalog)
    order = the_order()
    post_step(orderer_client, step_url(order, "bestallare"), {
        "other_info": "Rad ett\r\nRad två\rRad tre\r\n", "orderer_name": "Anna", "orderer_phone": "1",
        "orderer_email": "anna@region.example", "go": "spara"})
    db.session.refresh(order)
    assert order.other_info == "Rad ett\nRad två\nRad tre"


def test_url_step_prefills_the_live_connection_and_validates(orderer_client, catalog):
    start(orderer_client, catalog)
    order = the_order()
    post_step(orderer_client, step_url(order, "kontrakt"), {"contract_ids": [catalog["contract"].id], "go": "next"})
    page = orderer_client.get(step_url(order, "url")).get_data(as_text=True)
    assert 'value="https://tp.example.se/GetBookingDetails"' in page
    bad = post_step(orderer_client, step_url(order, "url"), {f"url_{catalog['contract'].id}": "tp.example.se",
                                                             f"profile_{catalog['contract'].id}": "RIVTABP21",
                                                             "go": "next"})
    assert "börjar med http:// eller https://" in page_text(bad)
    assert 'value="tp.example.se"' in bad.get_data(as_text=True)


def test_consumers_together_needs_a_consumer(orderer_client, catalog):
    start(orderer_client, catalog)
    order = the_order()
    response = post_step(orderer_client, step_url(order, "konsumenter"), {"consumer_choice": "together", "go": "next"})
    assert "Sök fram och lägg till minst en tjänstekonsument." in page_text(response)
    found = orderer_client.get(f"/producent/{order.number}/sok/konsument?q=c5j").get_json()["results"]
    assert [r["label"] for r in found] == [str(catalog["consumer"])]


def test_orderer_step_requires_contact_details(orderer_client, catalog):
    start(orderer_client, catalog)
    order = the_order()
    response = post_step(orderer_client, step_url(order, "bestallare"), {
        "other_info": "Behålls", "orderer_name": "", "orderer_phone": "", "orderer_email": "fel", "go": "next"})
    text = page_text(response)
    assert "Ange namn." in text and "Ange telefon." in text and "Ange en giltig e-postadress" in text
    db.session.refresh(order)
    assert order.other_info == "Behålls"


def test_summary_send_once_and_mina_bestallningar(orderer_client, catalog):
    order = build_order(orderer_client, catalog, consumers=(catalog["consumer"].id,))
    summary = page_text(orderer_client.get(step_url(order, "sammanfattning")))
    for text in ("Sammanställning för bekräftelse", "Miljö NTJP TEST", "Datum för ändring Ordinarie handläggningstid",
                 "HSA-Id SE2321000016-92V4", "Namn på system TakeCare", "Nya producentanslutningar",
                 "GetBookingDetails v1", f"VE: Barnneurologi {NEW_ADDRESS}", "Nya logiska adressater",
                 "Beställningar av adresseringsbehörighet / etablering av samverkan",
                 "Tjänstekonsument: [HSATEST2-C5J]", "Namn Anna Beställare"):
        assert text in summary, text
    printout = orderer_client.get(f"/mina-bestallningar/{order.number}/utskrift")
    assert "Gäller Östra sjukhuset – åäö ÅÄÖ" in page_text(printout)

    token = csrf_token(orderer_client.get(step_url(order, "sammanfattning")).get_data(as_text=True))
    first = orderer_client.post(f"/producent/{order.number}/bestall", data={"csrf_token": token})
    again = orderer_client.post(f"/producent/{order.number}/bestall", data={"csrf_token": token})
    assert first.location == again.location == f"/mina-bestallningar/{order.number}/skickad"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 1
    db.session.expire_all()
    order = the_order()
    assert order.status == "submitted" and order.submitted_at is not None
    assert [h.to_status for h in order.history] == ["draft", "submitted"]
    confirmation = page_text(orderer_client.get(first.location))
    assert f"Beställning BS-{order.number} har status Skickad" in confirmation
    assert "Bekräftelse och ärendenummer kommer via mail" in confirmation

    listing = page_text(orderer_client.get("/mina-bestallningar/"))
    assert f"BS-{order.number}" in listing and "Skickad" in listing and "NTJP TEST" in listing
    # A sent order is read-only: its steps lead to the summary.
    assert orderer_client.get(step_url(order, "kontrakt")).location == f"/mina-bestallningar/{order.number}"


def test_regression_save_reopen_by_number_send(orderer_client, catalog):
    """The national tool's own scenario: save, reopen the draft by its number, the new addressee
    is still there, send, status Skickad, övrig information with åäö survives."""
    order = build_order(orderer_client, catalog)
    post_step(orderer_client, step_url(order, "bestallare"), {
        "other_info": "Gäller Östra sjukhuset – åäö ÅÄÖ", "orderer_name": "Anna Beställare",
        "orderer_phone": "010-111 11 11", "orderer_email": "anna.bestallare@region.example", "go": "save"})
    reopened = orderer_client.get(f"/mina-bestallningar/oppna?nummer=bs-{order.number}")
    assert reopened.location == step_url(order, "bestallare")
    assert NEW_ADDRESS in page_text(orderer_client.get(step_url(order, "adressater")))
    token = csrf_token(orderer_client.get(step_url(order, "sammanfattning")).get_data(as_text=True))
    orderer_client.post(f"/producent/{order.number}/bestall", data={"csrf_token": token})
    db.session.expire_all()
    order = the_order()
    assert order.status_label == "Skickad"
    assert order.other_info == "Gäller Östra sjukhuset – åäö ÅÄÖ"


def test_order_without_changes_cannot_be_sent(orderer_client, catalog):
    order = build_order(orderer_client, catalog, addresses=({"hsa_id": "SE2321000016-1000", "name": "x"},))
    summary = page_text(orderer_client.get(step_url(order, "sammanfattning")))
    assert "Beställningen innehåller inga ändringar och kan inte skickas." in summary
    assert "Beställs inte – redan anslutna" in summary
    token = csrf_token(orderer_client.get(step_url(order, "sammanfattning")).get_data(as_text=True))
    orderer_client.post(f"/producent/{order.number}/bestall", data={"csrf_token": token})
    db.session.expire_all()
    assert the_order().status == "draft"


def test_removal_of_common_addressees(orderer_client, catalog):
    start(orderer_client, catalog)
    order = the_order()
    post_step(orderer_client, step_url(order, "kontrakt"), {"contract_ids": [catalog["contract"].id], "go": "next"})
    adding = page_text(orderer_client.get(step_url(order, "adressater")))
    assert "VG: Region Stockholm (SE2321000016-1000)" not in adding  # looked up only when removing
    page = page_text(post_step(orderer_client, step_url(order, "adressater"), {"mode": "remove",
                                                                               "action": "switch_mode"}))
    assert "VG: Region Stockholm (SE2321000016-1000)" in page
    assert "Om en vårdgivare (VG) tas bort kommer även underliggande vårdenheter (VE) att försvinna" in page
    response = post_step(orderer_client, step_url(order, "adressater"), {
        "mode": "remove", "remove_hsa_id": "SE2321000016-1000", "remove_name": "VG: Region Stockholm", "go": "next"})
    assert response.location == step_url(order, "bestallare")  # no URL or consumer step when removing
    post_step(orderer_client, step_url(order, "bestallare"), {
        "orderer_name": "Anna", "orderer_phone": "1", "orderer_email": "a@b.se", "go": "next"})
    summary = page_text(orderer_client.get(step_url(order, "sammanfattning")))
    assert "Producentanslutningar som tas bort" in summary and "VG: Region Stockholm SE2321000016-1000" in summary


def test_withdraw_delete_and_other_peoples_orders(app, orderer_client, catalog, accounts):
    order = build_order(orderer_client, catalog)
    token = csrf_token(orderer_client.get("/mina-bestallningar/").get_data(as_text=True))
    other = log_in(app.test_client(), accounts["admin"])
    assert other.get(step_url(order, "kontrakt")).status_code == 404
    assert other.post(f"/mina-bestallningar/{order.number}/ta-bort",
                      data={"csrf_token": csrf_token(other.get("/mina-bestallningar/").get_data(as_text=True))}
                      ).status_code == 404

    orderer_client.post(f"/producent/{order.number}/bestall", data={"csrf_token": token})
    orderer_client.post(f"/mina-bestallningar/{order.number}/aterkalla", data={"csrf_token": token})
    db.session.expire_all()
    assert the_order().status_label == "Återkallad"
    assert "Bara utkast kan tas bort" in page_text(orderer_client.post(
        f"/mina-bestallningar/{order.number}/ta-bort", data={"csrf_token": token}, follow_redirects=True))

    start(orderer_client, catalog)
    draft = db.session.scalars(sa.select(Order).where(Order.status == "draft")).one()
    orderer_client.post(f"/mina-bestallningar/{draft.number}/ta-bort", data={"csrf_token": token})
    assert db.session.get(Order, draft.id) is None


def test_change_date_in_the_future_is_kept(orderer_client, catalog):
    tomorrow = (swedish_today() + dt.timedelta(days=1)).isoformat()
    start(orderer_client, catalog, change_date=tomorrow)
    assert the_order().change_date.isoformat() == tomorrow
    assert urlsplit(orderer_client.get("/producent/").location or "").path in ("", "/producent/")


def test_copy_to_another_environment(orderer_client, more_catalog):
    catalog = more_catalog
    catalog["producer"].environments.append(catalog["qa"])
    db.session.add(InstalledContract(environment=catalog["qa"], contract=catalog["make_booking"]))
    db.session.commit()
    start(orderer_client, catalog)
    order = the_order()
    post_step(orderer_client, step_url(order, "kontrakt"),
              {"contract_ids": [catalog["contract"].id, catalog["make_booking"].id], "go": "next"})
    post_step(orderer_client, step_url(order, "adressater"), {"mode": "add", "action": "add_new",
                                                              "new_hsa_id": NEW_ADDRESS, "new_name": "VE: Ny"})
    page = orderer_client.get(f"/mina-bestallningar/{order.number}")
    response = orderer_client.post(f"/mina-bestallningar/{order.number}/kopiera", data={
        "environment_id": catalog["qa"].id, "csrf_token": csrf_token(page.get_data(as_text=True))},
        follow_redirects=True)
    text = page_text(response)
    assert "för NTJP QA har samma innehåll som" in text
    assert "GetBookingDetails v1 är inte installerat i NTJP QA och togs bort ur utkastet." in text
    copy = db.session.scalars(sa.select(Order).where(Order.id != order.id)).one()
    assert (copy.environment.display, copy.status, copy.system_instance_id) == ("NTJP QA", "draft",
                                                                                 catalog["producer"].id)
    assert [c["name"] for c in copy.content["contracts"]] == ["MakeBooking"]
    assert copy.content["add_addresses"][0]["hsa_id"] == NEW_ADDRESS
    assert "Sammanställning för bekräftelse" in text and "NTJP QA" in text


def test_mina_bestallningar_does_not_query_per_order(orderer_client, catalog):
    """The list costs the same number of queries for 2 orders as for 6 (no query per row)."""
    from sqlalchemy import event

    def statements_for_list():
        seen = []
        listener = lambda *args, **kwargs: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert orderer_client.get("/mina-bestallningar/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    from models import SystemInstance

    def order_for_a_new_system(n):
        instance = SystemInstance(hsa_id=f"SE2321000016-N{n:03d}", tak_description=f"System {n}",
                                  environments=[catalog["test"]])
        db.session.add(instance)
        db.session.commit()
        start(orderer_client, catalog, producer_id=instance.id)
        db.session.expire_all()  # as in a new request: nothing already loaded

    for n in range(2):
        order_for_a_new_system(n)
    few = statements_for_list()
    for n in range(2, 6):
        order_for_a_new_system(n)
    assert statements_for_list() == few


def test_mina_bestallningar_shows_100_per_page_newest_first(orderer_client, catalog, accounts):
    """An orderer with 105 orders: the newest 100 on page 1, the oldest 5 on page 2."""
    from models import ORDERER

    user = accounts[ORDERER]
    for n in range(105):
        db.session.add(Order(kind="producer", status="draft", orderer_id=user.id, content={}, number=1000 + n,
                             created_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(hours=n)))
    db.session.commit()
    first_page = orderer_client.get("/mina-bestallningar/")
    first = first_page.get_data(as_text=True)
    assert first.count('data-number="BS-') == 100
    assert 'data-number="BS-1104"' in first and 'data-number="BS-1004"' not in first
    assert "Visar 1–100 av 105" in page_text(first_page) and "Äldre" in first
    second_page = orderer_client.get("/mina-bestallningar/?sida=2")
    second = second_page.get_data(as_text=True)
    assert second.count('data-number="BS-') == 5 and 'data-number="BS-1000"' in second
    assert "Visar 101–105 av 105" in page_text(second_page) and "Nyare" in second
