"""Who may open what: every endpoint in app.url_map × every role, from one explicit table.

A new view without a rule here makes test_every_endpoint_has_a_rule fail, so access is
always decided on purpose."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for

from models import ADMIN, CUSTOMER_SERVICE, ORDERER, ROLES

from .conftest import csrf_token, log_in, page_text

PUBLIC = "public"
API = "api"  # its own credentials (TAK's certificate or token); a login session is not one
# Exact endpoints first, then whole views (the blueprint part of the endpoint).
RULES = {
    "static": PUBLIC,
    "admin.static": PUBLIC,
    "auth": PUBLIC,
    "tak_api": API,
    "faq": PUBLIC,
    "accessibility": PUBLIC,  # the accessibility statement, linked from every page
    "root": PUBLIC,  # only redirects to the start page
    "favicon": PUBLIC,  # browsers ask before anyone logs in
    "healthz": PUBLIC,  # the load balancer asks without a session; it reveals only "ok"
    "admin.index": ORDERER,
    "figures": CUSTOMER_SERVICE,  # the start page's figures per environment
    "profile": ORDERER,
    "systeminfo": ORDERER,
    "directory": ORDERER,
    "producer": ORDERER,
    "consumer": ORDERER,
    "orders": ORDERER,
    "rollback": ORDERER,  # återställningsbeställning: made from one's own order
    "cleanup": CUSTOMER_SERVICE,  # städbeställning: made from a Katalogkvalitet finding
    "cataloghealth": CUSTOMER_SERVICE,
    "organisation": CUSTOMER_SERVICE,
    "system": CUSTOMER_SERVICE,
    "systeminstance": CUSTOMER_SERVICE,
    "environment": CUSTOMER_SERVICE,
    "servicedomain": CUSTOMER_SERVICE,
    "servicecontract": CUSTOMER_SERVICE,
    "installedcontract": CUSTOMER_SERVICE,
    "logicaladdress": CUSTOMER_SERVICE,
    "rivtaprofile": CUSTOMER_SERVICE,
    "producerconnection": CUSTOMER_SERVICE,
    "callauthorization": CUSTOMER_SERVICE,
    "changelog": CUSTOMER_SERVICE,
    "backoffice": CUSTOMER_SERVICE,
    "casework": CUSTOMER_SERVICE,
    "changerequest": CUSTOMER_SERVICE,
    "outbox": CUSTOMER_SERVICE,
    "catalogsync": CUSTOMER_SERVICE,
    "faqentry": CUSTOMER_SERVICE,
    "user": ADMIN,
}


def rule_for(endpoint):
    return RULES.get(endpoint, RULES.get(endpoint.split(".")[0]))


def endpoints(app):
    return sorted({rule.endpoint: rule for rule in app.url_map.iter_rules()}.items())


def test_every_endpoint_has_a_rule(app):
    missing = [endpoint for endpoint, _ in endpoints(app) if rule_for(endpoint) is None]
    assert not missing, f"Endpoints utan åtkomstregel i RULES: {missing}"


def is_login_redirect(response):
    return response.status_code == 302 and urlsplit(response.location).path == "/auth/"


def request(app, client, rule, token):
    with app.test_request_context():
        path = url_for(rule.endpoint, **{argument: "1" for argument in rule.arguments})
    if "GET" in rule.methods:
        return path, client.get(path)
    return path, client.post(path, data={"csrf_token": token})


def outcome_problem(role, required, path, method, response):
    """None when the response is what the role should get, else a description."""
    status = response.status_code
    if status >= 500:
        return f"{status} (serverfel)"
    if required == PUBLIC:
        return f"{status} för en publik sida" if status in (401, 403) else None
    if required == API:
        return None if status == 401 else f"{status} – väntade 401 utan TAK-behörighet"
    if role is None:
        if not is_login_redirect(response):
            return f"{status} {response.location} – väntade omdirigering till inloggningen"
        if method == "GET" and parse_qs(urlsplit(response.location).query).get("next") != [path]:
            return f"inloggningen kommer inte tillbaka till {path}: {response.location}"
        return None
    allowed = ROLES.index(role) >= ROLES.index(required)
    if allowed and (status == 403 or is_login_redirect(response)):
        return f"{status} – rollen ska nå sidan"
    if not allowed and status != 403:
        return f"{status} – rollen ska få 403"
    return None


@pytest.mark.parametrize("role", [None, ORDERER, CUSTOMER_SERVICE, ADMIN])
def test_access_matrix(app, accounts, role):
    client = app.test_client()
    problems = []
    for endpoint, rule in endpoints(app):
        if role is not None:
            log_in(client, accounts[role])  # again each time: auth.logout ends the session
        token = csrf_token(client.get("/auth/" if role is None else "/mina-uppgifter/").get_data(as_text=True))
        method = "GET" if "GET" in rule.methods else "POST"
        path, response = request(app, client, rule, token)
        problem = outcome_problem(role, rule_for(endpoint), path, method, response)
        if problem:
            problems.append(f"{method} {path} ({endpoint}): {problem}")
    assert not problems, "\n".join(problems)


def test_forbidden_page_is_swedish(orderer_client):
    response = orderer_client.get("/admin/organisation/")
    assert response.status_code == 403
    assert "Du saknar behörighet till den här sidan" in page_text(response)


@pytest.mark.parametrize("role, shown, hidden", [
    (ORDERER, ["Start", "Administrera systeminformation", "Administrera tjänsteproducent", "Mina beställningar",
               "Mina uppgifter", "FAQ"], ["Organisation och system", "Tjänsteadresseringskatalog",
                                          "Ändringslogg", "Användare"]),
    (CUSTOMER_SERVICE, ["Mina uppgifter", "Organisation och system", "Tjänsteadresseringskatalog",
                        "Ändringslogg"], ["Användare"]),
    (ADMIN, ["Organisation och system", "Ändringslogg", "Användare"], []),
])
def test_menu_shows_only_what_the_role_may_open(app, accounts, role, shown, hidden):
    client = log_in(app.test_client(), accounts[role])
    menu = page_text(client.get("/admin/")).split("Logga ut")[0]
    for item in shown:
        assert item in menu
    for item in hidden:
        assert item not in menu


def test_the_menu_made_once_is_still_each_roles_and_pages_own(app, accounts):
    """The menu is rendered once per role and page: in one process, roles and pages taking turns
    still get their own."""
    clients = {role: log_in(app.test_client(), accounts[role]) for role in (ORDERER, CUSTOMER_SERVICE, ADMIN)}

    def menu(role, url, **kwargs):
        html = clients[role].get(url, **kwargs).get_data(as_text=True)
        return html.split('id="user-menu"')[0].split('aria-label="Huvudmeny"')[1]

    for _ in range(2):
        assert "Användare" in menu(ADMIN, "/admin/") and "Användare" not in menu(CUSTOMER_SERVICE, "/admin/")
        assert "Ändringslogg" in menu(CUSTOMER_SERVICE, "/admin/") and "Ändringslogg" not in menu(ORDERER, "/admin/")
    for url, current in [("/admin/logicaladdress/", "Logiska adressater"), ("/admin/rivtaprofile/", "RIVTA-profiler"),
                         ("/admin/logicaladdress/", "Logiska adressater")]:
        marked = re.findall(r'aria-current="page" href="[^"]*">([^<]+)<', menu(CUSTOMER_SERVICE, url))
        assert marked == [current]


def test_style_sheets_and_scripts_kept_from_a_views_first_page_are_on_all_its_pages(app, accounts):
    client = log_in(app.test_client(), accounts[CUSTOMER_SERVICE])
    assets = ("bootstrap.min.css", "admin.css", "jquery.min.js", "bootstrap.min.js", "helpers.js",
              "/static/css/bestallningsstod.css", "/static/js/admin_sv.js")
    urls = ("/admin/rivtaprofile/", "/admin/rivtaprofile/new/", "/admin/logicaladdress/", "/admin/")
    visits = [[client.get(url).get_data(as_text=True) for url in urls] for _ in range(2)]
    for first, again in zip(*visits):
        assert [again.count(asset) for asset in assets] == [first.count(asset) for asset in assets]
        assert all(again.count(asset) >= 1 for asset in assets)


def test_anonymous_user_returns_to_the_requested_page_after_login(app, client, accounts):
    response = client.get("/admin/organisation/?search=Inera")
    assert is_login_redirect(response)
    login_page = client.get(response.location)
    assert "Logga in för att fortsätta" in page_text(login_page)
    done = client.post(response.location, data={
        "csrf_token": csrf_token(login_page.get_data(as_text=True)),
        "email": accounts[CUSTOMER_SERVICE].email, "password": "rätt-lösenord-1"})
    assert done.status_code == 302
    assert done.location == "/admin/organisation/?search=Inera"


def test_every_http_error_is_a_swedish_page(orderer_client):
    wrong_method = orderer_client.get("/auth/logout")
    assert wrong_method.status_code == 405
    assert "Sidan kan inte öppnas på det sättet" in page_text(wrong_method)
    assert "Logga ut" in page_text(wrong_method)  # inside the layout, menu and all
    missing = orderer_client.get("/finns-inte")
    assert missing.status_code == 404 and "Sidan du söker finns inte." in page_text(missing)


OFF_SITE = ["//evil.example", "/\\evil.example", "/%09/evil.example", "http:evil.example", "javascript:alert(1)",
            "/x%0d%0aSet-Cookie:%20a=1", "https://evil.example/"]


@pytest.mark.parametrize("vector", OFF_SITE)
def test_no_route_redirects_off_site_or_fails_on_a_redirect_target(app, accounts, vector):
    """Every GET route, as customer service (who reaches the most), with next= and url= set to a
    hostile target: never a 500, never a Location that leaves the site."""
    client = app.test_client()
    problems = []
    for endpoint, rule in endpoints(app):
        if "GET" not in rule.methods or rule_for(endpoint) == API:
            continue
        log_in(client, accounts[CUSTOMER_SERVICE])
        with app.test_request_context():
            path = url_for(rule.endpoint, **{argument: "1" for argument in rule.arguments})
        response = client.get(f"{path}{'&' if '?' in path else '?'}next={vector}&url={vector}")
        location = response.headers.get("Location", "")
        if response.status_code >= 500 or "evil" in location or location.startswith(("javascript", "http:e")):
            problems.append(f"{path}: {response.status_code} {location}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", [None, ORDERER, CUSTOMER_SERVICE])
def test_every_page_says_it_is_swedish(app, accounts, role):
    """WCAG 3.1.1: every HTML page any role can open carries lang="sv"."""
    client = app.test_client()
    missing = []
    for endpoint, rule in endpoints(app):
        if "GET" not in rule.methods or rule_for(endpoint) == API:
            continue
        if role is not None:
            log_in(client, accounts[role])
        with app.test_request_context():
            path = url_for(rule.endpoint, **{argument: "1" for argument in rule.arguments})
        response = client.get(path, follow_redirects=True)
        if response.mimetype == "text/html" and '<html lang="sv"' not in response.get_data(as_text=True)[:300]:
            missing.append(path)
    assert not missing, missing
