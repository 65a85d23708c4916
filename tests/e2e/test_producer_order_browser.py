"""A new orderer orders a producer connection for a demo producer in NTJP QA, in Chromium."""
import sqlalchemy as sa

from demo.generator import generate_demo
from extensions import db
from models import Environment, LogicalAddress, Order, ProducerConnection, ServiceContract, SystemInstance

from ..conftest import PASSWORD
from .conftest import log_in_with_password, open_menu

NEW_ADDRESS = "SE2321000081-NY01"


def choose_with_keys(page, field, text, expected):
    """Type, then walk the suggestions with the arrow keys until the expected one, and press Enter."""
    box = page.locator(f"#{field}_search")
    box.click()
    box.type(text, delay=30)
    page.locator(f"#{field}_list li", has_text=expected).first.wait_for()
    for _ in range(20):
        if expected in (page.locator(f"#{field}_list li.active").inner_text() or ""):
            break
        box.press("ArrowDown")
    box.press("Enter")


def demo_in_qa():
    generate_demo(scale=0.2)
    qa = db.session.scalar(sa.select(Environment).filter_by(name="QA"))
    producer = db.session.scalar(sa.select(SystemInstance).where(SystemInstance.hsa_id == "SE2321000081-5AW7"))
    contract = db.session.scalar(sa.select(ServiceContract).where(
        ServiceContract.namespace == "urn:riv:crm:scheduling:GetBookingDetailsResponder:1"))
    connected = sa.select(ProducerConnection.logical_address_id).where(
        ProducerConnection.environment_id == qa.id, ProducerConnection.producer_id == producer.id,
        ProducerConnection.contract_id == contract.id)
    existing = db.session.scalars(sa.select(LogicalAddress).where(LogicalAddress.id.not_in(connected))
                                  .order_by(LogicalAddress.hsa_id)).first()
    return qa, producer, contract, existing


def connected_contract(environment, producer):
    """A contract the producer already answers in the environment."""
    return db.session.scalars(sa.select(ServiceContract).join(
        ProducerConnection, ProducerConnection.contract_id == ServiceContract.id).where(
        ProducerConnection.environment_id == environment.id, ProducerConnection.producer_id == producer.id)
        .order_by(ServiceContract.name)).first()


def start_order(page, live_server, search="Getb", contract_label="GetBookingDetails v1",
                chosen="GetBookingDetails (crm:scheduling)"):
    open_menu(page, "Beställ", "Administrera tjänsteproducent")
    page.select_option("#environment_id", label="NTJP QA")
    choose_with_keys(page, "producer", "5aw7", "Region Blekinge -- Melior")
    page.click("button:has-text('Nästa')")
    page.locator("text=Välj tjänstekontrakt som omfattas").wait_for()
    choose_with_keys(page, "contract", search, contract_label)
    page.locator("#chosen-contracts", has_text=chosen).wait_for()
    page.click("button:has-text('Nästa')")
    page.locator("text=Logiska adressater för beställning").wait_for()


def test_order_producer_connection_from_start_to_mina_bestallningar(page, live_server, accounts):
    qa, producer, contract, existing = demo_in_qa()
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    start_order(page, live_server)

    page.fill("#new_hsa_id", NEW_ADDRESS.lower())
    page.fill("#new_name", "VE: Blekinge - Barnkliniken Karlskrona")
    page.click("button:has-text('Lägg till'):not(:has-text('alla'))")
    page.locator("#chosen-addresses", has_text=NEW_ADDRESS).wait_for()
    choose_with_keys(page, "address", existing.hsa_id, existing.hsa_id)
    page.locator("#chosen-addresses", has_text=existing.hsa_id).wait_for()
    page.click("button:has-text('Nästa')")

    page.locator("text=Ange RIVTA-profil och URL för valda kontrakt").wait_for()
    page.fill(f"#url_{contract.id}", "https://melior.blekinge.example/GetBookingDetails/1")
    page.select_option(f"#profile_{contract.id}", "RIVTABP21")
    page.click("button:has-text('Nästa')")

    page.locator("#choice_together").wait_for(state="attached")
    page.wait_for_load_state()  # the step's script switches the consumer part; a click before it is undone
    page.check("#choice_together", force=True)
    choose_with_keys(page, "consumer", "1177", "1177 Vårdguidens e-tjänster")
    page.locator("#chosen-consumers", has_text="1177 Vårdguidens e-tjänster").wait_for()
    page.click("button:has-text('Nästa')")

    page.fill("#other_info", "Ny mottagning öppnar – åäö")
    page.click("button:has-text('Se sammanfattning')")
    summary = page.locator(".order-summary")
    summary.wait_for()
    text = summary.inner_text()
    for expected in ("NTJP QA", "Ordinarie handläggningstid", "SE2321000081-5AW7", "Melior", "GetBookingDetails v1",
                     NEW_ADDRESS, existing.hsa_id, "VE: Blekinge - Barnkliniken Karlskrona",
                     "1177 Vårdguidens e-tjänster", "Anna Beställare"):
        assert expected in text, expected

    with page.expect_popup() as popup:
        page.click("text=Utskrift (nytt fönster)")
    printout = popup.value
    printout.wait_for_load_state()
    assert "Ny mottagning öppnar – åäö" in printout.locator("body").inner_text()
    printout.close()

    page.click("button:has-text('Beställ')")
    page.locator("#sent-confirmation", has_text="Bekräftelse och ärendenummer kommer via mail").wait_for()
    page.click("#admin-navbar-collapse >> text=Mina beställningar")
    order = db.session.scalars(sa.select(Order)).one()
    row = page.locator(f"tr[data-number='BS-{order.number}']")
    assert "Skickad" in row.inner_text() and "NTJP QA" in row.inner_text()


def test_reopen_saved_draft_and_remove_an_addressee(page, live_server, accounts):
    qa, producer, _, _ = demo_in_qa()
    contract = connected_contract(qa, producer)
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    start_order(page, live_server, search=contract.name, contract_label=f"{contract.name} v{contract.major}",
                chosen=f"{contract.name} ({contract.domain.namespace})")
    page.click("button:has-text('Spara utkast')")
    page.locator("text=är sparat").wait_for()
    order = db.session.scalars(sa.select(Order)).one()

    page.goto(f"{live_server}/admin/")
    page.click("#admin-navbar-collapse >> text=Mina beställningar")
    page.fill("#nummer", f"BS-{order.number}")
    page.click("button:has-text('Öppna')")
    page.locator("text=Logiska adressater för beställning").wait_for()

    page.check("#mode_remove", force=True)  # the page comes back in removal mode
    first = page.locator("#connected-addresses li").first
    name = first.inner_text()
    page.wait_for_load_state("load")  # its script has bound the lists before the click
    first.click()
    page.locator("#removal-addresses li", has_text=name).wait_for()
    page.click("button:has-text('Nästa')")
    page.locator("#orderer_name").wait_for()  # no URL or consumer step when removing
    page.click("button:has-text('Se sammanfattning')")
    removed = page.locator("#removed-connections")
    removed.wait_for()
    assert name.split(" (")[0] in removed.inner_text()
    page.click("button:has-text('Beställ')")
    page.locator("#sent-confirmation").wait_for()
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "submitted"


def test_chosen_contract_survives_a_reload(page, live_server, accounts):
    demo_in_qa()
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    start_order(page, live_server)  # ends on the next step; go back and reload
    order = db.session.scalars(sa.select(Order)).one()
    page.goto(f"{live_server}/producent/{order.number}/kontrakt")
    with page.expect_response(lambda response: response.request.method == "POST" and response.status == 204):
        choose_with_keys(page, "contract", "MakeBooking", "MakeBooking v1")  # saved as soon as it is chosen
    page.reload()
    chosen = page.locator("#chosen-contracts").inner_text()
    assert "MakeBooking" in chosen and "GetBookingDetails" in chosen
