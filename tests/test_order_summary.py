"""What the orderer and customer service see of an order: RIVTA profile and URL per contract, the
authorisations a removal takes with it, contract names, and a mail when the order is done."""
import sqlalchemy as sa

from extensions import db
from models import OutboundEmail

from .conftest import page_text
from .test_back_office import act, send
from .test_producer_order import build_order, post_step, start, step_url, the_order


def mails_to(address):
    return [m for m in db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)) if address in m.recipients]


def test_profile_and_url_per_contract_everywhere(orderer_client, officer_client, catalog):
    order = send(orderer_client, build_order(orderer_client, catalog, url="https://ny.example.se/GetBookingDetails"))
    expected = "GetBookingDetails v1: RIVTABP21, https://ny.example.se/GetBookingDetails"
    previous = "Ändras från RIVTABP21, https://tp.example.se/GetBookingDetails"
    pages = {
        "read-only": page_text(orderer_client.get(f"/mina-bestallningar/{order.number}")),
        "printout": page_text(orderer_client.get(f"/mina-bestallningar/{order.number}/utskrift")),
        "back office": page_text(officer_client.get(f"/kundservice/bestallning/{order.number}")),
    }
    for name, text in pages.items():
        assert expected in text and previous in text, name
    for mail in mails_to("kundservice@localhost") + mails_to(order.orderer_email):
        assert "GetBookingDetails v1: RIVTABP21, https://ny.example.se/GetBookingDetails" in mail.text_body
        assert "ändras från RIVTABP21, https://tp.example.se/GetBookingDetails" in mail.text_body
        assert "https://ny.example.se/GetBookingDetails" in mail.html_body


def test_a_removal_lists_the_authorisations_it_takes_along(orderer_client, catalog):
    start(orderer_client, catalog)
    order = the_order()
    post_step(orderer_client, step_url(order, "kontrakt"), {"contract_ids": [catalog["contract"].id], "go": "next"})
    post_step(orderer_client, step_url(order, "adressater"), {"mode": "remove", "remove_hsa_id": ["SE2321000016-1000"],
                                                              "go": "next"})
    post_step(orderer_client, step_url(order, "bestallare"), {
        "orderer_name": "Anna", "orderer_phone": "1", "orderer_email": "anna@region.example", "go": "next"})
    summary = page_text(orderer_client.get(step_url(order, "sammanfattning")))
    assert "Anropsbehörigheter som tas bort med adressaterna" in summary
    assert "Tjänstekonsument HSATEST2-C5J: VG: Region Stockholm SE2321000016-1000" in summary
    assert "RIVTA-profil och URL" not in summary  # a removal changes no URL
    send(orderer_client, order)
    [mail] = mails_to("kundservice@localhost")
    assert "Tjänstekonsument HSATEST2-C5J: VG: Region Stockholm SE2321000016-1000" in mail.text_body


def test_send_problems_name_the_contract_not_its_urn(orderer_client, catalog):
    order = build_order(orderer_client, catalog)
    contract = dict(order.content["contracts"][0], url="")
    from ordering import orders

    orders.save_draft(order, content={"contracts": [contract]})
    text = page_text(orderer_client.get(step_url(order, "sammanfattning")))
    assert "Ange RIVTA-profil och giltig URL för GetBookingDetails v1." in text
    assert "urn:riv:crm:scheduling" not in text


def test_the_orderer_is_mailed_when_the_order_is_done(orderer_client, officer_client, catalog):
    order = send(orderer_client, build_order(orderer_client, catalog))
    act(officer_client, order, "arendenummer", case_number="INC-4711")
    act(officer_client, order, "status", to="done")
    done = [m for m in mails_to(order.orderer_email) if "genomförd" in m.subject]
    assert [m.subject for m in done] == [f"Beställning {order.display_number} är genomförd"]
    assert "Ärendenummer: INC-4711" in done[0].text_body
    assert "Nya producentanslutningar" in done[0].text_body and "VE: Barnneurologi" in done[0].text_body
