"""WCAG 2.1 AA, checked by axe-core in Chromium on every page each role reaches: every GET page in
the url_map, every register's list, create, edit and details, both order flows step by step and
the back office's order page – with real content (a sent order, drafts of both kinds)."""
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from flask import url_for

from extensions import db
from models import ADMIN, CUSTOMER_SERVICE, ORDERER, ROLES, Order
from ordering import orders
from ordering.instance_changes import request_change

from ..conftest import PASSWORD
from ..test_access import API, PUBLIC, endpoints, rule_for
from ..test_back_office import send
from ..test_consumer_order import start_consumer
from ..test_producer_order import build_order
from .conftest import log_in_with_password

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PRODUCER_STEPS = ["miljo", "kontrakt", "adressater", "url", "konsumenter", "bestallare", "sammanfattning"]
CONSUMER_STEPS = ["miljo", "matris", "bestallare", "sammanfattning"]
ARGUMENTS = {"key": "behorighet-utan-vagval"}
NOT_PAGES = ("ajax_lookup", "export", "cataloghealth.csv", "static", "healthz", "search_", "check_hsa_id", "matrix_data",
             "domain_contracts", "already_connected", "download", "root", "logout", "siths", "favicon",
             "profile.confirm")


def violations(page):
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} – " + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:6])
            + (f" (+{len(v['nodes']) - 6})" if len(v["nodes"]) > 6 else "")
            for v in result.response["violations"]]


def reachable(role, required):
    if required == PUBLIC:
        return True
    return role is not None and required != API and ROLES.index(role) >= ROLES.index(required)


def pages_for(app, role, ids):
    """Every HTML page the role may open, with ids of real rows."""
    paths = []
    with app.test_request_context():
        for endpoint, rule in endpoints(app):
            if "GET" not in rule.methods or any(part in endpoint for part in NOT_PAGES):
                continue
            if not reachable(role, rule_for(endpoint)):
                continue
            view = endpoint.split(".")[0]
            if endpoint.endswith((".edit_view", ".details_view")):
                if view in ids:
                    paths.append(url_for(endpoint, id=ids[view]))
                continue
            if "number" in rule.arguments:
                continue  # the orders' pages below
            # Ids 1 exist in the catalog fixture; a Katalogkvalitet finding is named by its key.
            paths.append(url_for(endpoint, **{argument: ARGUMENTS.get(argument, 1) for argument in rule.arguments}))
    return paths


@pytest.fixture
def work(orderer_client, catalog, accounts):
    """A sent producer order, drafts of both kinds and a waiting change request of a system."""
    sent = send(orderer_client, build_order(orderer_client, catalog, consumers=(catalog["consumer"].id,)))
    draft, _ = orders.copy_to_environment(sent, catalog["test"], accounts[ORDERER], keep_contract=lambda entry: True)
    start_consumer(orderer_client, catalog)
    matrix = db.session.scalars(sa.select(Order).where(Order.kind == "consumer")).one()
    change = request_change(catalog["producer"], {"other_info": "Röntgen och fysiologi"}, accounts[ORDERER])
    from clock import utc_now
    from models import CatalogSync

    sync = CatalogSync(environment_id=catalog["test"].id, started_at=utc_now(), finished_at=utc_now(),
                       succeeded=False, message="TAK-API svarade 500 på cooperations.")
    db.session.add(sync)
    db.session.commit()
    return {"sent": sent, "draft": draft, "matrix": matrix, "change": change, "sync": sync}


def audit(page, base, paths):
    """axe's violations per page, and pages that share a title (WCAG 2.4.2: the title says where you are)."""
    found, titles = {}, {}
    page.set_viewport_size({"width": 1366, "height": 900})
    for path in paths:
        response = page.goto(base + path)
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        problems = violations(page)
        titles.setdefault(page.title(), set()).add(urlsplit(page.url).path + "?" + urlsplit(page.url).query)
        if problems:
            found[path] = problems
    for title, where in titles.items():
        if len(where) > 1:
            found[f"titeln '{title}'"] = [f"delas av {sorted(where)}"]
    return found


def report(found):
    return "\n".join(f"{path}\n    " + "\n    ".join(problems) for path, problems in found.items())


@pytest.mark.parametrize("role", [None, ORDERER, CUSTOMER_SERVICE, ADMIN])
def test_every_page_passes_axe(app, page, live_server, accounts, catalog, work, role):
    ids = {view: 1 for view in ("organisation", "system", "systeminstance", "environment", "servicedomain",
                                "servicecontract", "logicaladdress", "rivtaprofile", "producerconnection",
                                "callauthorization", "changelog", "outbox", "faqentry", "user", "backoffice")}
    ids["changerequest"] = work["change"].id
    ids["catalogsync"] = work["sync"].id
    paths = pages_for(app, role, ids)
    if role is not None:
        log_in_with_password(page, live_server, accounts[role].email, PASSWORD)
    if role == ORDERER:
        sent, draft = work["sent"], work["draft"]
        paths += [f"/producent/{draft.number}/{step}" for step in PRODUCER_STEPS]
        paths += [f"/konsument/{work['matrix'].number}/{step}" for step in CONSUMER_STEPS]
        paths += [f"/mina-bestallningar/{sent.number}", f"/mina-bestallningar/{sent.number}/utskrift"]
    if role == CUSTOMER_SERVICE:
        paths.append(f"/kundservice/bestallning/{work['sent'].number}")
    found = audit(page, live_server, paths)
    assert not found, f"{len(found)} av {len(paths)} sidor bryter mot WCAG 2.1 AA:\n{report(found)}"


def test_error_pages_and_mails_pass_axe(app, page, live_server, accounts, catalog, work, officer_client):
    """The 403, 404 and 500 pages, and the HTML of every mail an order's life sends."""
    from models import OutboundEmail

    from ..test_back_office import act

    act(officer_client, work["sent"], "status", to="in_progress")
    act(officer_client, work["sent"], "arendenummer", case_number="INC-1")
    act(officer_client, work["sent"], "status", to="done")
    log_in_with_password(page, live_server, accounts[ORDERER].email, PASSWORD)
    found = audit(page, live_server, ["/finns-inte", "/admin/organisation/"])
    with app.test_request_context():
        server_error = app.jinja_env.get_template("errors/error.html").render(code=500, message="Serverfel")
    documents = {"500-sidan": server_error}
    documents.update({f"e-post '{mail.subject}'": mail.html_body
                      for mail in db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id))})
    assert len(documents) >= 5  # submitted, confirmation, case number, done – and the 500 page
    for name, html in documents.items():
        page.set_content(html)
        problems = violations(page)
        if problems:
            found[name] = problems
    assert not found, report(found)


def test_pages_with_errors_shown_pass_axe(page, live_server, accounts, catalog, work):
    """Errors beside their fields, tied to them, on the order steps, the system information and a register."""
    draft = work["draft"]
    log_in_with_password(page, live_server, accounts[ORDERER].email, PASSWORD)
    found = {}

    def check(name):
        problems = violations(page)
        if problems:
            found[name] = problems

    page.goto(f"{live_server}/producent/{draft.number}/adressater")
    page.fill("#new_hsa_id", "Vårdcentral Åby")
    page.click("button[value=add_new]")
    error = page.locator("[data-error-for=new_hsa_id]")
    error.wait_for()
    page.wait_for_load_state("load")  # the script that ties errors to fields has run
    assert page.get_attribute("#new_hsa_id", "aria-invalid") == "true"
    assert page.get_attribute("#new_hsa_id", "aria-describedby") == error.get_attribute("id")
    check("adressater med fel")

    page.goto(f"{live_server}/producent/{draft.number}/bestallare")
    page.fill("#orderer_email", "inte en adress")
    page.click("button:has-text('Se sammanfattning')")
    page.locator("[data-error-for=orderer_email]").wait_for()
    page.wait_for_load_state("load")
    assert page.get_attribute("#orderer_email", "aria-invalid") == "true"
    check("beställare med fel")

    page.goto(f"{live_server}/systeminformation/ny")
    page.locator("form button[type=submit]").last.click()
    page.locator(".invalid-feedback").first.wait_for()
    check("ny systeminstans med fel")
    assert not found, report(found)


def test_register_form_with_errors_passes_axe(officer_page, live_server):
    officer_page.goto(f"{live_server}/admin/organisation/new/")
    officer_page.fill("#org_number", "123")
    officer_page.fill("#name", "Region Test")
    officer_page.locator("main form input[type=submit]").first.click()
    officer_page.locator(".invalid-feedback, .help-block").first.wait_for()
    found = {}
    problems = violations(officer_page)
    if problems:
        found["ny organisation med fel"] = problems
    assert not found, report(found)


def test_orderer_pages_reflow_at_320_px(app, page, live_server, accounts, catalog, work):
    """WCAG 1.4.10: at 320 CSS px nothing needs sideways scrolling of the page (a wide table scrolls
    inside its own box); WCAG 1.4.4: at 200 % text the same holds at 640 px."""
    log_in_with_password(page, live_server, accounts[ORDERER].email, PASSWORD)
    paths = pages_for(app, ORDERER, {}) + [f"/producent/{work['draft'].number}/{step}" for step in PRODUCER_STEPS]
    paths += [f"/konsument/{work['matrix'].number}/{step}" for step in CONSUMER_STEPS]
    paths += [f"/mina-bestallningar/{work['sent'].number}"]
    too_wide = {}
    for width, zoom in ((320, "100%"), (640, "200%")):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(live_server + path)
            page.evaluate(f"() => document.documentElement.style.fontSize = '{zoom}'")
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            if scroll > width:
                too_wide[f"{path} vid {width} px, text {zoom}"] = [f"sidan är {scroll} px bred"]
    assert not too_wide, report(too_wide)
