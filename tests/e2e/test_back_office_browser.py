"""The loop in Chromium: an orderer sends, customer service takes it, records the ärendenummer,
marks it done; the orderer sees Genomförd and the case number, and the next order sees the
addressee as connected."""
import sqlalchemy as sa

from extensions import db
from models import Order

from ..conftest import PASSWORD
from .conftest import log_in_with_password
from .test_producer_order_browser import NEW_ADDRESS, choose_with_keys, demo_in_qa, start_order


def test_order_to_customer_service_to_done(browser, live_server, accounts):
    qa, producer, contract, existing = demo_in_qa()
    orderer = browser.new_context(locale="sv-SE").new_page()
    officer = browser.new_context(locale="sv-SE").new_page()
    for page in (orderer, officer):
        page.set_default_timeout(10000)

    log_in_with_password(orderer, live_server, accounts["orderer"].email, PASSWORD)
    start_order(orderer, live_server)
    orderer.fill("#new_hsa_id", NEW_ADDRESS)
    orderer.fill("#new_name", "VE: Blekinge - Barnkliniken Karlskrona")
    orderer.click("button[value=add_new]")
    orderer.locator("#chosen-addresses", has_text=NEW_ADDRESS).wait_for()
    orderer.click("button:has-text('Nästa')")
    orderer.fill(f"#url_{contract.id}", "https://melior.blekinge.example/GetBookingDetails/1")
    orderer.click("button:has-text('Nästa')")
    orderer.click("button:has-text('Nästa')")
    orderer.click("button:has-text('Se sammanfattning')")
    orderer.click("button:has-text('Beställ')")
    orderer.locator("#sent-confirmation").wait_for()
    order = db.session.scalars(sa.select(Order)).one()

    log_in_with_password(officer, live_server, accounts["customer_service"].email, PASSWORD)
    officer.goto(f"{live_server}/admin/backoffice/")
    officer.click(f"a:has-text('BS-{order.number}')")
    officer.locator("#tak-json", has_text=NEW_ADDRESS).wait_for()
    officer.click("button:has-text('Under handläggning')")
    officer.locator("#order-status", has_text="Under handläggning").wait_for()
    officer.fill("#case_number", "INC-4711")
    officer.click("button:has-text('Spara och meddela beställaren')")
    officer.locator("#case-number", has_text="INC-4711").wait_for()
    officer.on("dialog", lambda dialog: dialog.accept())
    officer.click("button:has-text('Genomförd')")
    officer.locator("#order-status", has_text="Genomförd").wait_for()
    assert "Genomförd" in officer.locator("#order-history").inner_text()

    orderer.click("#admin-navbar-collapse >> text=Mina beställningar")
    row = orderer.locator(f"tr[data-number='BS-{order.number}']")
    assert "Genomförd" in row.inner_text()
    row.locator("a").first.click()
    assert "ärendenummer INC-4711" in orderer.locator("body").inner_text()

    # A new order for the same producer and contract: the addressee is now connected.
    start_order(orderer, live_server)
    choose_with_keys(orderer, "address", NEW_ADDRESS, NEW_ADDRESS)
    orderer.click("button:has-text('Spara utkast')")
    orderer.locator(".already-connected", has_text="redan ansluten till producenten").wait_for()
