"""The consumer order through the test client: the matrix data, posted changes, disabled cells."""
import json

import sqlalchemy as sa

from extensions import db
from models import LogicalAddress, Order

from .conftest import csrf_token, page_text
from .test_producer_order import post_step


def start_consumer(client, catalog):
    return post_step(client, "/konsument/", {"environment_id": catalog["test"].id, "change_date": "",
                                             "producer_id": catalog["consumer"].id, "go": "next"})


def the_order():
    return db.session.scalars(sa.select(Order)).one()


def test_matrix_shows_enabled_and_existing_cells(orderer_client, catalog):
    response = start_consumer(orderer_client, catalog)
    order = the_order()
    assert (order.kind, response.location) == ("consumer", f"/konsument/{order.number}/matris")
    page = page_text(orderer_client.get(response.location))
    assert "Installerade tjänstekontrakt med anslutning till producent/er visas nedan" in page
    assert "Redigera kontaktuppgifter" in page
    data = orderer_client.get(f"/konsument/{order.number}/matris/{catalog['domain'].id}").get_json()
    assert [c["label"] for c in data["columns"]] == ["GetBookingDetails 1.x"]
    assert data["rows"] == [["SE2321000016-1000", "VG: Region Stockholm", 1, 1]]  # enabled, already authorised


def test_changes_removal_and_disabled_cells_cannot_be_ordered(orderer_client, catalog):
    start_consumer(orderer_client, catalog)
    order = the_order()
    lonely = LogicalAddress(hsa_id="SE2321000016-9ZZZ", name="Utan producent")
    db.session.add(lonely)
    db.session.commit()
    contract_id = catalog["contract"].id
    refused = post_step(orderer_client, f"/konsument/{order.number}/matris", {"go": "next", "changes": json.dumps([
        [contract_id, "SE2321000016-1000", False, True],   # uncheck an existing authorisation
        [contract_id, "SE2321000016-9ZZZ", True, False],   # a disabled cell, posted anyway
    ])})
    assert refused.status_code == 400
    assert "Ingen producent svarar för SE2321000016-9ZZZ" in page_text(refused)
    db.session.refresh(order)
    assert order.content["cells"] == {"add": [], "remove": []}  # nothing of a refused post is stored
    post_step(orderer_client, f"/konsument/{order.number}/matris", {"go": "next", "changes": json.dumps([
        [contract_id, "se2321000016-1000", False, False],  # lower-cased, and "existing" not believed
    ])})
    db.session.refresh(order)
    assert order.content["cells"] == {"add": [], "remove": [[contract_id, "SE2321000016-1000"]]}
    post_step(orderer_client, f"/konsument/{order.number}/bestallare", {
        "orderer_name": "Anna", "orderer_phone": "1", "orderer_email": "a@b.se", "go": "next"})
    summary = page_text(orderer_client.get(f"/konsument/{order.number}/sammanfattning"))
    assert ("Konsumenten ska ha UPPDATERAD adresseringsbehörighet på följande tjänstekontrakt för följande "
            "logiska adressater") in summary
    assert "Behörighet som tas bort GetBookingDetails v1" in summary
    assert "SE2321000016-9ZZZ" not in summary  # no producer answers it: not orderable

    token = csrf_token(orderer_client.get(f"/konsument/{order.number}/sammanfattning").get_data(as_text=True))
    orderer_client.post(f"/konsument/{order.number}/bestall", data={"csrf_token": token})
    db.session.expire_all()
    order = the_order()
    assert order.status == "submitted"
    json_doc = orderer_client.get(f"/mina-bestallningar/{order.number}")
    assert "Tjänstekonsument" in page_text(json_doc)
    from ordering import order_kinds
    lists = order_kinds.change_set(order).tak_lists()
    assert lists["exkludera"]["anropsbehorigheter"] == [{"logiskAdress": "SE2321000016-1000",
                                                         "tjanstekontrakt": catalog["contract"].namespace,
                                                         "tjanstekonsument": "HSATEST2-C5J"}]
    assert lists["inkludera"]["anropsbehorigheter"] == []


def test_malformed_changes_are_refused(orderer_client, catalog):
    start_consumer(orderer_client, catalog)
    order = the_order()
    response = post_step(orderer_client, f"/konsument/{order.number}/matris", {"changes": "{inte json"})
    assert response.status_code == 400
    assert "Ändringarna i matrisen kunde inte läsas." in page_text(response)


def test_consumer_order_mail_lists_the_authorisations(orderer_client, catalog):
    from models import OutboundEmail

    start_consumer(orderer_client, catalog)
    order = the_order()
    post_step(orderer_client, f"/konsument/{order.number}/matris", {"go": "next", "changes": json.dumps(
        [[catalog["contract"].id, "SE2321000016-1000", False, True]])})
    post_step(orderer_client, f"/konsument/{order.number}/bestallare", {
        "orderer_name": "Anna", "orderer_phone": "1", "orderer_email": "a@b.se", "go": "next"})
    token = csrf_token(orderer_client.get(f"/konsument/{order.number}/sammanfattning").get_data(as_text=True))
    orderer_client.post(f"/konsument/{order.number}/bestall", data={"csrf_token": token})
    mail = db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)).first()
    assert "Behörighet som tas bort:" in mail.text_body and "SE2321000016-1000" in mail.text_body
    assert "Tjänstekonsument: HSATEST2-C5J" in mail.text_body


def test_edit_contacts_from_the_order_and_come_back(orderer_client, catalog):
    start_consumer(orderer_client, catalog)
    order = the_order()
    matrix_page = orderer_client.get(f"/konsument/{order.number}/matris").get_data(as_text=True)
    consumer = catalog["consumer"]
    link = f"/systeminformation/instans/{consumer.id}?next=/konsument/{order.number}/matris"
    assert link in matrix_page
    from .test_system_information import valid_instance

    data = valid_instance(catalog, hsa_id=consumer.hsa_id, environment_ids=[str(catalog["test"].id)],
                          tech_contact_name="Ny Tekniker", main_contact_email="", tech_contact_email="",
                          support_email="")  # its contact addresses as they are: only a proven contact changes those
    consumer.organisation = catalog["organisation"]  # the orderer's own organisation: changed at once
    db.session.commit()
    response = post_step(orderer_client, link, data)
    assert response.location == f"/konsument/{order.number}/matris"
    assert "Ny Tekniker" in page_text(orderer_client.get(response.location))

    consumer.organisation = None  # someone else's system: a change request, and back to the order all the same
    db.session.commit()
    response = post_step(orderer_client, link, {**data, "tech_contact_name": "Annan Tekniker"})
    assert response.location == f"/konsument/{order.number}/matris"
    page = page_text(orderer_client.get(response.location))
    assert "skickats till kundservice för godkännande" in page and "Annan Tekniker" not in page
