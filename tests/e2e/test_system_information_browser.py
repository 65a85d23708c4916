"""A new orderer registers their system in Chromium, as the manual's first section describes."""
import sqlalchemy as sa

from extensions import db
from models import OutboundEmail, SystemInstance

from ..conftest import PASSWORD
from .conftest import log_in_with_password, open_menu


def pick(page, field, text, expected):
    """Type into a search field, move with the arrow keys and choose with Enter (once the page's
    script, which searches while one types, has run: typing before that finds nothing)."""
    page.wait_for_load_state("load")
    box = page.locator(f"#{field}_search")
    box.fill("")
    box.type(text, delay=20)
    page.locator(f"#{field}_list li", has_text=expected).first.wait_for()
    while "active" not in (page.locator(f"#{field}_list li.active").get_attribute("class") or "") or \
            expected not in page.locator(f"#{field}_list li.active").inner_text():
        box.press("ArrowDown")
    box.press("Enter")


def add_environment(page, name):
    page.wait_for_load_state()  # the page's script handles the button; before it runs, the button submits
    page.select_option("#environment_choice", label=name)
    page.click("button[data-add]")
    page.locator("#chosen-environments li", has_text=name).wait_for()  # the page's script has added it


def test_new_orderer_registers_and_maintains_a_system(page, live_server, catalog, accounts):
    from extensions import db

    orderer = accounts["orderer"]
    orderer.verified_email = orderer.email  # proved on Mina uppgifter (tests/test_trust_boundaries.py)
    db.session.commit()
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    open_menu(page, "Beställ", "Administrera systeminformation")
    page.click("a.nav-link:has-text('Skapa')")

    page.fill("#other_info", "Röntgen Södersjukhuset")
    page.fill("#hsa_id", "se2321000016-92v4")  # already registered: told while typing
    page.locator("#hsa_id-check", has_text="HSA-ID finns redan, välj Administrera befintlig").wait_for()
    page.fill("#hsa_id", "SE5565594230-RTG9")
    add_environment(page, "NTJP TEST")

    # The organisation is missing: add it and come back with everything still filled in.
    page.click("button:has-text('Lägg till ny organisation')")
    page.fill("#organisation #org_number", "556559-4230")
    page.fill("#organisation #name", "Inera AB")
    page.click("#organisation button:has-text('Spara')")
    page.locator("text=Organisationen 556559-4230 - Inera AB har lagts till").wait_for()
    assert page.input_value("#organisation_search") == "556559-4230 - Inera AB"
    assert page.input_value("#other_info") == "Röntgen Södersjukhuset"
    assert page.locator("#chosen-environments").inner_text().count("NTJP TEST") == 1

    page.click("button:has-text('Lägg till nytt system')")
    page.fill("#system #name", "Röntgensystemet Sectra")
    page.click("#system button:has-text('Spara')")
    page.locator("text=Systemet Röntgensystemet Sectra har lagts till").wait_for()
    assert page.input_value("#system_search") == "Röntgensystemet Sectra"
    assert page.input_value("#hsa_id") == "SE5565594230-RTG9"

    add_environment(page, "NTJP QA")
    page.fill("#main_contact_name", "Anna Beställare")  # the orderer is its contact: she may maintain it
    page.fill("#main_contact_email", "anna.bestallare@region.example")
    page.fill("#tech_contact_name", "Tore Tekniker")
    page.fill("#tech_contact_email", "tore@inera.example")
    page.fill("#support_email", "support@inera.example")
    page.click("button:has-text('Uppdatera')")
    page.locator("text=Systeminstansen har skapats").wait_for()
    title = "[SE5565594230-RTG9] Inera AB -- Röntgensystemet Sectra -- Röntgen Södersjukhuset"
    assert page.locator("#instance-title").inner_text() == title

    # Later: find it under Administrera befintlig, change the technical contact, drop QA.
    page.click("a.nav-link:has-text('Administrera befintlig')")
    pick(page, "instance", "rtg9", "Röntgensystemet Sectra")
    page.locator("#instance-title", has_text="SE5565594230-RTG9").wait_for()
    page.fill("#tech_contact_name", "Tina Tekniker")
    page.fill("#tech_contact_email", "tina@inera.example")
    page.wait_for_load_state()
    page.locator("#chosen-environments li", has_text="NTJP QA").locator("button:has-text('Ta bort')").click()
    page.locator("#chosen-environments li", has_text="NTJP QA").wait_for(state="detached")
    page.click("button:has-text('Uppdatera')")
    page.locator("text=Systeminstansen har uppdaterats").wait_for()
    assert page.input_value("#tech_contact_name") == "Tina Tekniker"
    assert page.locator("#chosen-environments").inner_text().strip().splitlines()[0] == "NTJP TEST"
    assert "NTJP QA" not in page.locator("#chosen-environments").inner_text()

    db.session.expire_all()
    instance = db.session.scalars(sa.select(SystemInstance).where(SystemInstance.hsa_id == "SE5565594230-RTG9")).one()
    assert ([e.display for e in instance.environments], instance.tech_contact_email) == (["NTJP TEST"],
                                                                                         "tina@inera.example")
    mails = db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)).all()
    assert [m.subject for m in mails] == ["Beställningsstöd: Ny systeminstans SE5565594230-RTG9",
                                          "Beställningsstöd: Ändrad systeminstans SE5565594230-RTG9"]
    assert "* Teknisk kontaktperson – för- och efternamn: Tina Tekniker  (tidigare: Tore Tekniker)" in mails[1].text_body


def test_organisation_chosen_by_typing_and_keyboard(page, live_server, catalog, accounts):
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    page.goto(f"{live_server}/systeminformation/ny")
    pick(page, "organisation", "2321", "232100-0016 - Region Stockholm")
    pick(page, "system", "take", "TakeCare")
    page.click("button:has-text('Uppdatera')")  # the rest missing: errors beside the fields, choices kept
    page.locator("text=Minst en driftmiljö måste läggas till").wait_for()
    assert page.input_value("#organisation_search") == "232100-0016 - Region Stockholm"
    assert page.input_value("#system_search") == "TakeCare"
    assert page.locator(".invalid-feedback", has_text="Ange HSA-ID som finns på systemets SITHS-certifikat").is_visible()


def test_an_unrelated_orderers_change_waits_for_customer_service(browser, page, live_server, catalog, accounts):
    consumer = catalog["consumer"]  # Intygstjänsten: not the orderer's organisation, not her as contact
    consumer.main_contact_email = "agare@intyg.example"
    db.session.commit()
    log_in_with_password(page, live_server, accounts["orderer"].email, PASSWORD)
    page.goto(f"{live_server}/systeminformation/instans/{consumer.id}")
    page.locator("#change-request-note").wait_for()
    assert page.locator("#hsa_id").get_attribute("readonly") is not None
    pick(page, "organisation", "2321", "232100-0016 - Region Stockholm")
    pick(page, "system", "take", "TakeCare")
    page.fill("#main_contact_name", "Kim Kapare")
    page.fill("#tech_contact_name", "Tore Tekniker")
    page.click("button:has-text('Uppdatera')")
    page.locator("text=har skickats till kundservice för godkännande").wait_for()
    db.session.expire_all()
    assert db.session.get(SystemInstance, consumer.id).main_contact_name is None  # nothing changed yet

    officer = browser.new_context(locale="sv-SE").new_page()
    log_in_with_password(officer, live_server, accounts["customer_service"].email, PASSWORD)
    officer.locator("#figure-change-requests a").click()
    officer.locator("a[title='Visa post'], a.icon[href*='details']").first.click()
    officer.locator("#requested-changes", has_text="Kim Kapare").wait_for()
    officer.on("dialog", lambda dialog: dialog.accept())
    officer.click("button:has-text('Godkänn')")
    officer.locator("text=Ändringen är godkänd och gjord").wait_for()
    officer.context.close()

    db.session.expire_all()
    assert db.session.get(SystemInstance, consumer.id).main_contact_name == "Kim Kapare"
    subjects = {mail.subject: mail.recipients for mail in db.session.scalars(sa.select(OutboundEmail))}
    assert "agare@intyg.example" in subjects["Ändringsförfrågan för systeminstans HSATEST2-C5J är godkänd"]
