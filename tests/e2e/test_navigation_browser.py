"""The navigation bar fits one row at 1366 px for every role; its groups open by keyboard."""
import pytest

from models import ADMIN, CUSTOMER_SERVICE, ORDERER

from ..conftest import PASSWORD
from .conftest import log_in_with_password


@pytest.mark.parametrize("role", [ORDERER, CUSTOMER_SERVICE, ADMIN])
def test_menu_is_one_row_at_1366_px(page, live_server, accounts, role):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in_with_password(page, live_server, accounts[role].email, PASSWORD)
    tops = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#admin-navbar-collapse > .navbar-brand, #admin-navbar-collapse > ul > li'))
        .filter(e => e.getBoundingClientRect().height > 0).map(e => Math.round(e.getBoundingClientRect().top))""")
    assert len(tops) >= 4 and max(tops) - min(tops) <= 8, tops  # one row, not wrapped
    assert page.evaluate("() => document.querySelector('nav.navbar').getBoundingClientRect().height") < 70


def test_groups_open_by_keyboard_and_mark_the_current_page(officer_page, live_server):
    page = officer_page
    page.goto(f"{live_server}/admin/logicaladdress/")
    toggle = page.locator("#admin-navbar-collapse .dropdown-toggle", has_text="Register")
    toggle.focus()
    page.keyboard.press("Enter")
    menu = page.locator("#admin-navbar-collapse .dropdown-menu.show")
    menu.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.locator("[role=group]").count() == 2  # Organisation och system, Tjänsteadresseringskatalog
    assert menu.locator("[aria-current=page]").inner_text() == "Logiska adressater"
    page.keyboard.press("Escape")
    assert page.locator("#admin-navbar-collapse .dropdown-menu.show").count() == 0
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Register"
