"""Order integrity in Chromium: a new addressee without the SE form ordered to Skickad with its URL
shown read-only, a typed but not added addressee kept by Nästa, an invalid URL that does not
overwrite the saved one, the "redan ansluten" warning when an addressee is picked."""
import sqlalchemy as sa

from extensions import db
from models import Order, ProducerConnection

from ..conftest import PASSWORD
from .conftest import log_in_with_password, open_menu
from .test_producer_order_browser import choose_with_keys, connected_contract, demo_in_qa, start_order

URL = "https://melior.blekinge.example/GetBookingDetails/1"


def type_an_addressee_and_press_next(page, live_server, accounts, hsa_id, name):
    """Up to the addressee step; an addressee typed but not added with Lägg till, then Nästa."""
    _, _, contract, _ = demo_in_qa()
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    start_order(page, live_server)
    page.fill("#new_hsa_id", hsa_id)
    page.fill("#new_name", name)
    page.click("button:has-text('Nästa')")
    return contract


def test_a_new_addressee_not_of_the_se_form_goes_all_the_way_to_skickad(page, live_server, accounts):
    contract = type_an_addressee_and_press_next(page, live_server, accounts, "VS0001", "Vårdsystem utan SE-id")

    page.locator("text=Ange RIVTA-profil och URL för valda kontrakt").wait_for()
    order = db.session.scalars(sa.select(Order)).one()
    assert order.content["add_addresses"] == [{"hsa_id": "VS0001", "name": "Vårdsystem utan SE-id", "new": True}]
    page.fill(f"#url_{contract.id}", URL)
    page.click("button:has-text('Nästa')")
    page.click("button:has-text('Nästa')")  # consumers separately
    page.click("button:has-text('Se sammanfattning')")
    page.click("button:has-text('Beställ')")
    page.locator("#sent-confirmation").wait_for()
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == "submitted"

    page.goto(f"{live_server}/mina-bestallningar/{order.number}")
    settings = page.locator("#contract-settings").inner_text()
    assert "GetBookingDetails v1:" in settings and URL in settings
    assert "VS0001" in page.locator(".order-summary").inner_text()


def test_a_typed_addressee_with_a_fault_stops_nasta_and_nothing_is_lost(page, live_server, accounts):
    type_an_addressee_and_press_next(page, live_server, accounts, "Västerbotten-1", "Region Västerbotten")
    page.locator("text=Ett HSA-id får inte innehålla å, ä eller ö.").wait_for()
    assert page.input_value("#new_hsa_id") == "Västerbotten-1"
    assert page.input_value("#new_name") == "Region Västerbotten"


def test_an_invalid_url_does_not_overwrite_the_saved_one(page, live_server, accounts):
    contract = type_an_addressee_and_press_next(page, live_server, accounts, "SE2321000081-NY02", "VE: Ny")
    page.fill(f"#url_{contract.id}", URL)
    page.click("button:has-text('Spara utkast')")
    page.locator("text=är sparat").wait_for()

    page.fill(f"#url_{contract.id}", "melior.blekinge.example/utan-schema")
    page.click("button:has-text('Nästa')")
    page.locator("text=börjar med http:// eller https://").wait_for()
    assert page.input_value(f"#url_{contract.id}") == "melior.blekinge.example/utan-schema"
    page.goto(page.url)  # a fresh GET: what the draft holds
    assert page.input_value(f"#url_{contract.id}") == URL


def test_already_connected_is_warned_when_the_addressee_is_picked(page, live_server, accounts):
    qa, producer, _, _ = demo_in_qa()
    contract = connected_contract(qa, producer)
    address = db.session.scalars(sa.select(ProducerConnection).where(
        ProducerConnection.environment_id == qa.id, ProducerConnection.producer_id == producer.id,
        ProducerConnection.contract_id == contract.id)).first().logical_address
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    start_order(page, live_server, search=contract.name, contract_label=f"{contract.name} v{contract.major}",
                chosen=f"{contract.name} ({contract.domain.namespace})")
    choose_with_keys(page, "address", address.hsa_id, address.hsa_id)
    warning = page.locator("#chosen-addresses .already-connected")
    warning.wait_for()  # before the step is saved
    assert f"redan ansluten till producenten för {contract.name} {contract.major}.x" in warning.inner_text()


def test_choosing_a_domain_in_the_matrix_raises_no_script_error(page, live_server, accounts):
    demo_in_qa()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    open_menu(page, "Beställ", "Administrera tjänstekonsument")
    page.select_option("#environment_id", label="NTJP QA")
    choose_with_keys(page, "producer", "1177", "1177 Vårdguidens e-tjänster")
    page.click("button:has-text('Nästa')")
    page.locator("#domain_choice").wait_for()
    page.select_option("#domain_choice", index=1)
    page.locator("#matrix thead th").first.wait_for()
    assert errors == []
