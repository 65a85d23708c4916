"""Customer service registers a producer connection in the admin, in a real browser."""
import sqlalchemy as sa

from extensions import db
from models import ProducerConnection


def choose_in_select2(page, field, text, expected):
    """Open one of Flask-Admin's select2 fields, type, and pick the suggestion."""
    page.click(f"#s2id_{field}")
    page.keyboard.type(text)
    option = page.locator(".select2-result-label", has_text=expected).first
    option.wait_for()
    option.click()


def test_register_producer_connection_with_ajax_lookups(officer_page, live_server, catalog):
    page = officer_page
    page.goto(f"{live_server}/admin/producerconnection/new/")
    assert page.locator("h1, .nav-tabs").first.is_visible()

    choose_in_select2(page, "environment", "QA", "NTJP QA")
    page.click("#s2id_producer")
    page.keyboard.type("finns-inte")
    page.locator(".select2-no-results", has_text="Inga träffar").wait_for()  # Select2 speaks Swedish
    page.keyboard.press("Escape")
    choose_in_select2(page, "producer", "92v4", "Region Stockholm -- TakeCare -- Akutmottagning")
    choose_in_select2(page, "contract", "getbook", "GetBookingDetails v1 (crm:scheduling)")
    choose_in_select2(page, "logical_address", "1000", "VG: Region Stockholm")
    choose_in_select2(page, "rivta_profile", "21", "RIVTABP21")
    page.fill("#url", "ftp://fel.example.se")
    page.fill("#valid_from", "2026-01-01")
    page.fill("#valid_to", "2126-01-01")
    page.click("input[type=submit][value='Spara']")

    # Refused with a Swedish message beside the field; everything else still filled in.
    page.locator("text=http:// eller https://").wait_for()  # the refused page, once it has come
    assert page.locator(".alert", has_text="Posten kunde inte skapas").is_visible()
    assert page.input_value("#valid_to") == "2126-01-01"
    assert "Region Stockholm -- TakeCare" in page.locator("#s2id_producer").inner_text()

    page.fill("#url", "https://qa.example.se/GetBookingDetails")
    page.click("input[type=submit][value='Spara']")
    page.locator("text=Posten har skapats").wait_for()

    stored = db.session.scalars(sa.select(ProducerConnection).where(
        ProducerConnection.url == "https://qa.example.se/GetBookingDetails")).one()
    assert (stored.environment.display, stored.producer.hsa_id) == ("NTJP QA", "SE2321000016-92V4")


def test_two_officers_on_one_instance_in_two_browsers(officer_page, browser, live_server, catalog, accounts):
    """Both open the same system instance; the first saves; the second is told to reload and keeps
    what they typed. The change is the first one's."""
    from models import ADMIN, SystemInstance

    from ..conftest import PASSWORD
    from .conftest import log_in_with_password

    edit_url = f"{live_server}/admin/systeminstance/edit/?id={catalog['producer'].id}"
    first = officer_page
    second_context = browser.new_context(locale="sv-SE")
    second = second_context.new_page()
    try:
        log_in_with_password(second, live_server, accounts[ADMIN].email, PASSWORD)
        first.goto(edit_url)
        second.goto(edit_url)
        first.fill("#other_info", "Ändrad av kundservice")
        first.click("input[type=submit][value='Spara']")
        first.wait_for_url(f"{live_server}/admin/systeminstance/")  # saved: back at the list

        second.fill("#other_info", "Ändrad av administratören")
        second.click("input[type=submit][value='Spara']")
        second.locator("text=Någon annan har ändrat uppgifterna sedan du öppnade sidan").wait_for()
        assert second.input_value("#other_info") == "Ändrad av administratören"
    finally:
        second_context.close()
    db.session.expire_all()
    assert db.session.get(SystemInstance, catalog["producer"].id).other_info == "Ändrad av kundservice"


def test_start_page_fetches_the_figures_per_environment(officer_page, live_server, catalog):
    page = officer_page
    page.goto(f"{live_server}/admin/")
    row = page.locator("#environment-figures tr", has_text="NTJP TEST")
    row.wait_for()
    assert row.inner_text().split() == ["NTJP", "TEST", "1", "1", "1", "1", "–", "–"]
    assert page.locator("#environment-figures", has_text="Logiska adressater i registret totalt: 1.").is_visible()
    assert page.locator("#menu-choices").is_visible()
    assert page.get_attribute(".navbar-toggler", "aria-label") == "Visa eller dölj menyn"
