"""From a Katalogkvalitet finding to a sent clean-up order, in Chromium as customer service works."""
import sqlalchemy as sa

from extensions import db
from models import Order

from ..test_catalog_health import Catalogue
from .test_accessibility import violations


def test_from_a_finding_to_a_sent_clean_up_order(app, officer_page, live_server):
    catalogue = Catalogue()
    catalogue.routing("GetA", "ADR-1")
    catalogue.authorization("KONS-1", "GetA", "ADR-1")
    catalogue.authorization("KONS-1", "GetA", "ADR-2")
    catalogue.authorization("KONS-2", "GetB", "ADR-3")
    db.session.commit()
    page = officer_page
    page.goto(f"{live_server}/admin/katalogkvalitet/")
    page.click("button:has-text('Beräkna nu')")
    page.locator("#finding-behorighet-utan-vagval td", has_text="2").first.wait_for()
    assert violations(page) == []  # the report with its findings
    page.click("#finding-behorighet-utan-vagval >> text=Visa rader")
    assert violations(page) == []  # the rows with their check boxes and the clean-up choice
    page.locator("#finding-rows tr", has_text="ADR-2").locator("input[type=checkbox]").check()
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Skapa städbeställning')")
    page.locator("text=tar bort 1 rader").wait_for()
    page.click("button:has-text('Se sammanfattning')")
    summary = page.locator(".order-summary")
    summary.locator("text=Städning av katalogen").wait_for()
    assert "ADR-2" in summary.inner_text() and "ADR-3" not in summary.inner_text()
    page.click("button:has-text('Beställ')")
    page.locator("#sent-confirmation", has_text="Skickad").wait_for()
    db.session.expire_all()
    order = db.session.scalar(sa.select(Order).where(Order.kind == "cleanup"))
    assert order.status == "submitted" and order.choices.cleans == "behorighet-utan-vagval"
