"""Administrera tjänstekonsument in Chromium: the matrix, and the 10 × 5,000 domain."""
import sqlalchemy as sa

from demo.generator import generate_demo
from extensions import db
from models import Order

from ..conftest import PASSWORD
from .conftest import log_in_with_password, open_menu
from .test_producer_order_browser import choose_with_keys


def start_consumer_order(page, consumer_search, consumer_label):
    open_menu(page, "Beställ", "Administrera tjänstekonsument")
    page.select_option("#environment_id", label="NTJP QA")
    choose_with_keys(page, "producer", consumer_search, consumer_label)
    page.click("button:has-text('Nästa')")
    page.locator("text=Installerade tjänstekontrakt med anslutning till producent/er visas nedan").wait_for()


def test_matrix_order_from_domain_to_mina_bestallningar(page, live_server, accounts):
    generate_demo(scale=0.2, large_domain=True)
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    start_consumer_order(page, "lkon", "-LKON")
    page.select_option("#domain_choice", label="[demo:largedomain] Stor testdomän")
    page.locator("#matrix tbody tr[data-hsa]").first.wait_for()

    page.fill("#address_filter", "Vårdenhet 0001")  # 00010 … 00019
    page.locator("#matrix-count", has_text="10 av 5000 adressater").wait_for()
    page.locator("#matrix thead th[data-column]").first.locator("button:has-text('Välj alla')").click()
    rows = page.locator("#matrix tbody tr[data-hsa]")
    first_column = [rows.nth(i).locator("td").nth(0).locator("input") for i in range(rows.count())]
    assert all(box.is_checked() for box in first_column if box.is_enabled())

    existing = page.locator("#matrix tbody td:not(.for-removal) input:checked:enabled").last
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 204):
        existing.uncheck()
    page.locator("#removal-note", has_text="OBS! Notera att behörighet till Logisk adressat ligger för borttagande").wait_for()
    assert page.locator("#matrix td.for-removal.table-danger").count() >= 1

    page.click("button:has-text('Nästa')")
    page.click("button:has-text('Se sammanfattning')")
    summary = page.locator(".order-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "Konsumenten ska ha UPPDATERAD adresseringsbehörighet" in text
    assert "Ny behörighet" in text and "Behörighet som tas bort" in text and "Operation01 v1" in text
    page.click("button:has-text('Beställ')")
    page.locator("#sent-confirmation").wait_for()
    order = db.session.scalars(sa.select(Order)).one()
    page.click("#admin-navbar-collapse >> text=Mina beställningar")
    row = page.locator(f"tr[data-number='BS-{order.number}']")
    assert "Tjänstekonsument" in row.inner_text() and "Skickad" in row.inner_text()


def test_large_matrix_is_usable(page, live_server, accounts):
    generate_demo(scale=0.2, large_domain=True)
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    start_consumer_order(page, "lkon", "-LKON")
    page.select_option("#domain_choice", label="[demo:largedomain] Stor testdomän")
    page.locator("#matrix-count", has_text="5000 av 5000 adressater").wait_for()
    assert page.locator("#matrix thead th[data-column]").count() == 10
    assert page.locator("#matrix tbody tr[data-hsa]").count() < 200  # only the rows in view are drawn
    page.locator("#matrix-scroll").evaluate("element => element.scrollTop = element.scrollHeight")
    page.locator("#matrix tbody tr[data-hsa='SE2321000016-L05000']").wait_for()
    page.fill("#address_filter", "L04999")
    page.locator("#matrix-count", has_text="1 av 5000 adressater").wait_for()
    assert page.locator("#matrix tbody tr[data-hsa]").count() == 1
