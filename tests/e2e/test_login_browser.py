"""Logging in as the demo orderer and as customer service, in Chromium."""
import sqlalchemy as sa

from extensions import db
from identity.demo_accounts import ensure_demo_accounts
from models import ChangeLog, User

from .conftest import open_menu


def menu_text(page):
    return page.locator("#admin-navbar-collapse").inner_text()


def test_demo_orderer_and_customer_service(app, page, live_server, catalog):
    app.config["DEMO_MODE"] = True
    ensure_demo_accounts(db.session)

    page.goto(f"{live_server}/admin/organisation/")
    assert "/auth/" in page.url and page.locator("text=Logga in för att fortsätta").is_visible()
    page.click("button:has-text('Logga in som Demo Beställare')")
    # Back at the page asked for, which an orderer may not open.
    page.locator("text=Du saknar behörighet till den här sidan").wait_for()
    assert page.url.endswith("/admin/organisation/")
    page.click("text=Till startsidan")
    menu = menu_text(page)
    for hidden in ("Organisation och system", "Tjänsteadresseringskatalog", "Uppföljning"):
        assert hidden not in menu
    assert page.locator("#admin-navbar-collapse a[href^='/admin/']").count() == 1  # only Start

    open_menu(page, "Demo Beställare (Beställare)", "Mina uppgifter")  # the user's own menu, at the right
    page.fill("#phone", "")
    page.click("button:has-text('Spara')")
    page.locator(".invalid-feedback", has_text="Ange ditt telefonnummer").wait_for()  # the refused page
    assert page.input_value("#name") == "Demo Beställare"
    page.fill("#phone", "070-765 43 21")
    page.click("button:has-text('Spara')")
    page.locator("text=Dina uppgifter har sparats").wait_for()
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.phone).where(User.email == "bestallare@demo.example")) == "070-765 43 21"

    page.click("button:has-text('Logga ut')")
    page.locator("text=Du är nu utloggad").wait_for()
    page.click("button:has-text('Logga in som Demo Kundservice')")
    page.locator("text=Demo Kundservice (Kundservice)").wait_for()
    page.click("#admin-navbar-collapse .dropdown-toggle:has-text('Register')")  # the registers' two groups
    menu = menu_text(page)
    assert "Organisation och system" in menu and "Tjänsteadresseringskatalog" in menu and "Uppföljning" in menu
    assert page.locator("#admin-navbar-collapse a[href='/admin/changelog/']").count() == 1
    assert page.locator("#admin-navbar-collapse a[href='/admin/user/']").count() == 0


def test_master_data_edit_appears_in_change_log_with_before_and_after(officer_page, live_server, catalog):
    page = officer_page
    page.goto(f"{live_server}/admin/organisation/edit/?id={catalog['organisation'].id}")
    page.fill("#name", "Region Stockholm (SLL)")
    page.click("input[type=submit][value='Spara']")
    page.locator("text=Posten sparades").wait_for()

    page.goto(f"{live_server}/admin/changelog/")
    row = page.locator("tr", has_text="Region Stockholm (SLL)").first
    assert "Ändrad" in row.inner_text() and "Karl Kundservice" in row.inner_text()
    row.locator("a[title]").first.click()
    changes = page.locator("table.change-table")
    changes.wait_for()
    assert "Region Stockholm" in changes.inner_text() and "Region Stockholm (SLL)" in changes.inner_text()

    entry = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.action == "update")).one()
    assert entry.before == {"name": "Region Stockholm"} and entry.after == {"name": "Region Stockholm (SLL)"}
