"""Trust boundaries: who may change a system, sessions that really end, links and redirects
nobody can bend, and defence in depth."""
import re
from urllib.parse import quote, unquote, urlsplit

import pytest
import sqlalchemy as sa

from extensions import db
from models import ADMIN, CUSTOMER_SERVICE, ORDERER, InstanceChangeRequest, Order, OutboundEmail, SystemInstance, User

from .conftest import PASSWORD, csrf_token, log_in, page_text
from .test_login import PROXY, certificate, from_proxy, password_login
from .test_system_information import valid_instance
from .test_work_overview import overview


def mails():
    return db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)).all()


def post(client, path, data, page=None):
    token = csrf_token(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def instance_form(catalog, instance, **changes):
    data = valid_instance(catalog, hsa_id=instance.hsa_id, other_info=instance.other_info or "",
                          environment_ids=[str(e.id) for e in instance.environments], main_contact_name="Kim Kontakt",
                          main_contact_email=instance.main_contact_email or "",
                          tech_contact_email=instance.tech_contact_email or "",
                          support_email=instance.support_email or "",
                          organisation=str(instance.organisation.id) if instance.organisation else "")
    data.update(changes)
    return data


# --- 1. Who may change a system instance -----------------------------------------------------

@pytest.fixture
def foreign_instance(catalog):
    """An instance of another organisation, whose contact is not our orderer."""
    instance = catalog["consumer"]
    instance.main_contact_email = "agare@intyg.example"
    instance.organisation, instance.system = catalog["organisation"], catalog["system"]
    from models import Organisation

    instance.organisation = Organisation(org_number="5565594230", name="Inera AB")
    db.session.commit()
    return instance


def test_an_unrelated_orderers_change_waits_for_approval(orderer_client, officer_client, catalog, foreign_instance):
    path = f"/systeminformation/instans/{foreign_instance.id}"
    assert "skickas till kundservice som en ändringsförfrågan" in page_text(orderer_client.get(path))
    response = post(orderer_client, path, instance_form(catalog, foreign_instance, other_info="Kapad",
                                                        hsa_id="SE5565594230-KAPAD"))
    assert response.status_code == 302
    db.session.refresh(foreign_instance)
    assert (foreign_instance.other_info, foreign_instance.hsa_id) == (None, "HSATEST2-C5J")  # nothing changed
    [request] = db.session.scalars(sa.select(InstanceChangeRequest)).all()
    assert request.status == "pending" and ["Övrigt", "", "Kapad"] in request.changes
    assert not any(label == "HSA-ID" for label, _, _ in request.changes)  # the HSA-id is not the orderer's
    [mail] = mails()
    assert "agare@intyg.example" in mail.recipients and "kundservice@localhost" in mail.recipients

    assert overview(officer_client)["change-requests"][1] == 1
    listing = page_text(officer_client.get("/admin/changerequest/?flt0_status_equals=pending"))
    assert "Anna Beställare" in listing and "Väntar på kundservice" in listing
    details = officer_client.get(f"/admin/changerequest/details/?id={request.id}")
    assert "Kapad" in page_text(details)
    token = csrf_token(details.get_data(as_text=True))
    refused = officer_client.post(f"/admin/changerequest/avgor/{request.id}",
                                  data={"csrf_token": token, "decision": "reject"}, follow_redirects=True)
    assert "Ange en motivering" in page_text(refused)
    officer_client.post(f"/admin/changerequest/avgor/{request.id}", data={"csrf_token": token, "decision": "approve"})
    db.session.expire_all()
    instance = db.session.get(SystemInstance, foreign_instance.id)
    assert instance.other_info == "Kapad" and instance.hsa_id == "HSATEST2-C5J"
    decided = [m for m in mails() if "godkänd" in m.subject]
    assert len(decided) == 1 and "agare@intyg.example" in decided[0].recipients
    from models import ChangeLog

    logged = {entry.entity_type for entry in db.session.scalars(sa.select(ChangeLog))}
    assert {"InstanceChangeRequest", "SystemInstance"} <= logged


def prove_email(client):
    """Skicka bekräftelselänk, then open the link the mail carries, as the signed-in user."""
    post(client, "/mina-uppgifter/bekrafta-epost", {}, page="/mina-uppgifter/")
    link = re.search(r"https?://\S+/mina-uppgifter/bekrafta-epost/\S+", mails()[-1].text_body).group(0)
    return client.get(urlsplit(link).path, follow_redirects=True)


def test_a_typed_address_makes_nobody_a_contact_a_proven_one_does(orderer_client, catalog, foreign_instance,
                                                                  accounts):
    path = f"/systeminformation/instans/{foreign_instance.id}"
    foreign_instance.tech_contact_email = "ANNA.bestallare@region.example"  # the orderer's address, typed
    db.session.commit()
    post(orderer_client, path, instance_form(catalog, foreign_instance, other_info="Som kontakt"))
    db.session.refresh(foreign_instance)
    assert foreign_instance.other_info is None  # not proven: a change request
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InstanceChangeRequest)) == 1
    assert "är inte bekräftad" in page_text(orderer_client.get("/mina-uppgifter/"))

    confirmed = prove_email(orderer_client)
    assert "anna.bestallare@region.example är bekräftad som din e-postadress" in page_text(confirmed)
    post(orderer_client, path, instance_form(catalog, foreign_instance, other_info="Som kontakt"))
    db.session.refresh(foreign_instance)
    assert foreign_instance.other_info == "Som kontakt"

    # Another address on the profile is not proven by the old proof.
    post(orderer_client, "/mina-uppgifter/", {"name": "Anna Beställare", "email": "agare@intyg.example", "phone": "1"})
    db.session.refresh(accounts[ORDERER])
    assert accounts[ORDERER].proven_email is None


def test_a_proof_link_works_only_for_its_user_and_address(app, orderer_client, accounts):
    post(orderer_client, "/mina-uppgifter/bekrafta-epost", {}, page="/mina-uppgifter/")
    path = urlsplit(re.search(r"https?://\S+/mina-uppgifter/bekrafta-epost/\S+", mails()[-1].text_body).group(0)).path
    officer = log_in(app.test_client(), accounts[CUSTOMER_SERVICE])
    assert "Länken skickades till en annan användare" in page_text(officer.get(path, follow_redirects=True))
    assert "Länken är inte giltig" in page_text(orderer_client.get(path + "x", follow_redirects=True))
    post(orderer_client, "/mina-uppgifter/", {"name": "Anna Beställare", "email": "annan@region.example", "phone": "1"})
    assert "inte längre har angett" in page_text(orderer_client.get(path, follow_redirects=True))
    db.session.expire_all()
    assert all(user.verified_email is None for user in db.session.scalars(sa.select(User)))


def test_someone_in_the_organisation_asks_before_moving_it_or_changing_its_contacts(orderer_client, catalog):
    # The orderer's HSA-id SE2321000016-P001 names the producer's organisation 2321000016.
    producer = catalog["producer"]
    path = f"/systeminformation/instans/{producer.id}"
    post(orderer_client, path, instance_form(catalog, producer, other_info="Egen organisation",
                                             hsa_id="SE2321000016-NYTT"))
    db.session.refresh(producer)
    assert producer.other_info == "Egen organisation"
    assert producer.hsa_id == "SE2321000016-92V4"  # read-only for orderers, whatever is posted
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InstanceChangeRequest)) == 0

    post(orderer_client, path, instance_form(catalog, producer, main_contact_email="kapad@annan.example"))
    db.session.refresh(producer)
    assert producer.main_contact_email != "kapad@annan.example"
    [request] = db.session.scalars(sa.select(InstanceChangeRequest)).all()
    assert request.status == "pending"


def test_the_hostile_orderers_way_into_another_regions_system_is_closed(orderer_client, catalog, foreign_instance,
                                                                         accounts):
    """Posing as a contact by typing its address, then moving it into one's own organisation."""
    path = f"/systeminformation/instans/{foreign_instance.id}"
    post(orderer_client, "/mina-uppgifter/", {"name": "Anna Beställare", "email": "agare@intyg.example", "phone": "1"})
    own = catalog["organisation"]  # 2321000016: the orderer's own organisation
    post(orderer_client, path, instance_form(catalog, foreign_instance, organisation=str(own.id),
                                             other_info="Min nu"))
    db.session.refresh(foreign_instance)
    assert foreign_instance.organisation.org_number == "5565594230" and foreign_instance.other_info is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InstanceChangeRequest)) == 1


def test_customer_service_may_change_the_hsa_id(officer_client, catalog):
    producer = catalog["producer"]
    post(officer_client, f"/systeminformation/instans/{producer.id}",
         instance_form(catalog, producer, hsa_id="SE2321000016-92V5"))
    db.session.refresh(producer)
    assert producer.hsa_id == "SE2321000016-92V5"


def test_the_back_office_says_how_the_orderer_relates_to_the_system(orderer_client, officer_client, catalog,
                                                                  foreign_instance):
    from .test_back_office import send
    from .test_producer_order import build_order

    order = send(orderer_client, build_order(orderer_client, catalog))  # the producer: the orderer's organisation
    page = page_text(officer_client.get(f"/kundservice/bestallning/{order.number}"))
    assert "Beställaren är i systemets organisation." in page
    order.system_instance = foreign_instance
    db.session.commit()
    page = page_text(officer_client.get(f"/kundservice/bestallning/{order.number}"))
    assert "beställaren är varken kontaktperson för systemet eller i dess organisation" in page


# --- 2. Sessions that end --------------------------------------------------------------------

def replay(app, cookie):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def logged_in(app, user):
    client = app.test_client()
    assert password_login(client, user.email, PASSWORD).status_code == 302
    return client, client.get_cookie("session").value


def is_logged_out(client):
    return urlsplit(client.get("/admin/").location or "").path == "/auth/"


def test_a_cookie_from_before_logout_is_dead(app, accounts):
    client, cookie = logged_in(app, accounts[CUSTOMER_SERVICE])
    other_device, _ = logged_in(app, accounts[CUSTOMER_SERVICE])
    post(client, "/auth/logout", {}, page="/admin/")
    assert is_logged_out(replay(app, cookie))
    assert is_logged_out(other_device)  # logout ends every session of the user


@pytest.mark.parametrize("change", ["password", "deactivate", "role"])
def test_an_administrators_change_ends_the_users_sessions(app, accounts, change):
    client, cookie = logged_in(app, accounts[CUSTOMER_SERVICE])
    admin = log_in(app.test_client(), accounts[ADMIN])
    user = accounts[CUSTOMER_SERVICE]
    path = f"/admin/user/edit/?id={user.id}"
    form = {"name": user.name, "email": user.email, "role": user.role, "active": "y", "version": user.version}
    if change == "password":
        form["new_password"] = "ett-nytt-lösenord-1"
    elif change == "deactivate":
        form.pop("active")
    else:
        form["role"] = ORDERER
    post(admin, path, form)
    db.session.expire_all()
    assert db.session.get(User, user.id).session_generation == 1
    assert is_logged_out(replay(app, cookie))


def test_the_csrf_token_is_new_after_login(app, accounts):
    client = app.test_client()
    before = csrf_token(client.get("/auth/").get_data(as_text=True))
    password_login(client, accounts[CUSTOMER_SERVICE].email, PASSWORD)
    after = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert before != after


def test_a_siths_session_is_bound_to_its_card(app, client, accounts):
    app.config["TRUSTED_PROXIES"] = PROXY
    orderer = accounts[ORDERER]
    card = certificate(orderer.hsa_id)
    from_proxy(client, "/auth/siths", card)
    assert "Anna Beställare" in page_text(from_proxy(client, "/admin/", card))
    someone_else = from_proxy(client, "/admin/", certificate("SE2321000016-ANNAN"))
    assert urlsplit(someone_else.location).path.startswith("/auth/")
    assert is_logged_out(client)


def test_the_kept_instance_form_lives_on_the_server(orderer_client, catalog):
    for _ in range(3):  # three kept drafts pushed the cookie past 4 kB before
        data = {**valid_instance(catalog, other_info="x" * 250, main_contact_name="N" * 250), "missing": "organisation"}
        post(orderer_client, "/systeminformation/ny", data)
    assert len(orderer_client.get_cookie("session").value) < 1000
    restored = orderer_client.get("/systeminformation/ny?draft=1")
    assert "x" * 250 in restored.get_data(as_text=True)


# --- 3. Links and redirects --------------------------------------------------------------------

def test_mail_links_come_from_the_configured_address(app, orderer_client, catalog):
    from .test_producer_order import build_order

    app.config["PUBLIC_BASE_URL"] = "https://bestallningsstod.example.se"
    order = build_order(orderer_client, catalog)
    token = csrf_token(orderer_client.get(f"/producent/{order.number}/sammanfattning").get_data(as_text=True))
    forged = app.test_client()  # the same session, sent to a forged host name
    forged.set_cookie("session", orderer_client.get_cookie("session").value, domain="evil.example")
    response = forged.post(f"/producent/{order.number}/bestall", data={"csrf_token": token}, headers={
        "Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert response.status_code == 302, page_text(response)
    bodies = " ".join(m.text_body + (m.html_body or "") for m in mails())
    assert "https://bestallningsstod.example.se/kundservice/bestallning/" in bodies
    assert "evil.example" not in bodies


def test_unknown_hosts_are_refused(app, client):
    app.config["TRUSTED_HOSTS"] = ["bestallningsstod.example.se"]
    assert client.get("/auth/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/auth/", headers={"Host": "bestallningsstod.example.se"}).status_code == 200


REDIRECT_VECTORS = ["//evil.example", "/\\evil.example", "/%09/evil.example", "http:evil.example",
                    "javascript:alert(1)", "/%0d%0aSet-Cookie:x=1", "https://evil.example/", "/\t/evil.example"]


@pytest.mark.parametrize("vector", REDIRECT_VECTORS)
def test_login_never_redirects_off_site(client, accounts, vector):
    path = "/auth/?next=" + (vector if "%" in vector else quote(vector, safe="/:"))
    token = csrf_token(client.get(path).get_data(as_text=True))
    response = client.post(path, data={"csrf_token": token, "email": accounts[CUSTOMER_SERVICE].email,
                                       "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/admin/"


@pytest.mark.parametrize("vector", REDIRECT_VECTORS)
def test_flask_admins_return_url_never_leaves_the_site(officer_client, catalog, vector):
    organisation = catalog["organisation"]
    encoded = vector if "%" in vector else quote(vector, safe="/:")
    page = officer_client.get(f"/admin/organisation/details/?id={organisation.id}&url={encoded}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "evil.example" not in html and "javascript:alert" not in html


@pytest.mark.parametrize("vector", REDIRECT_VECTORS)
def test_flask_admins_posted_return_url_never_leaves_the_site(officer_client, catalog, vector):
    organisation = catalog["organisation"]
    path = f"/admin/organisation/edit/?id={organisation.id}"
    token = csrf_token(officer_client.get(path).get_data(as_text=True))
    answer = officer_client.post(path, data={"csrf_token": token, "org_number": organisation.org_number,
                                             "name": "Region Stockholm", "url": unquote(vector)})
    assert answer.status_code == 302
    assert urlsplit(answer.location).netloc in ("", "localhost") and "evil" not in answer.location


def test_systeminfo_next_is_followed_only_on_this_site(orderer_client, catalog):
    producer = catalog["producer"]
    response = post(orderer_client, f"/systeminformation/instans/{producer.id}?next=/%09/evil.example",
                    instance_form(catalog, producer), page=f"/systeminformation/instans/{producer.id}")
    assert urlsplit(response.location).netloc in ("", "localhost") and "evil" not in response.location


# --- 4. Defence in depth ---------------------------------------------------------------------

@pytest.mark.parametrize("serial, message", [
    ("<SCRIPT>alert(1)</SCRIPT>", "inget giltigt HSA-id"),
    ("SE2321000016-" + "A" * 60, "inget giltigt HSA-id"), ("VS0001", "inget giltigt HSA-id"),
])
def test_a_certificate_serial_must_be_a_personal_hsa_id(app, client, serial, message):
    app.config["TRUSTED_PROXIES"] = PROXY
    response = from_proxy(client, "/auth/siths", certificate(serial, utf8=True))
    assert response.status_code == 403 and message in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_junk_before_the_certificate_is_refused(app, client):
    app.config["TRUSTED_PROXIES"] = PROXY
    response = from_proxy(client, "/auth/siths", quote("skräp\n") + certificate())
    assert response.status_code == 403 and "kunde inte läsas" in page_text(response)


def test_gunicorn_refuses_to_start_without_secret_key(monkeypatch):
    import importlib.util
    import types

    spec = importlib.util.spec_from_file_location("gunicorn_conf", "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    for workers in (3, 1):  # one worker too: a recycled worker would make a new key
        with pytest.raises(SystemExit, match="SECRET_KEY saknas"):
            conf.on_starting(types.SimpleNamespace(cfg=types.SimpleNamespace(workers=workers)))
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    conf.on_starting(types.SimpleNamespace(cfg=types.SimpleNamespace(workers=3)))


def test_signed_in_pages_and_tak_orders_are_not_stored(orderer_client, client):
    assert orderer_client.get("/mina-bestallningar/").headers["Cache-Control"] == "no-store"
    assert client.get("/bs-api/api/takOrders/1").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/auth/").headers.get("Cache-Control", "")


def test_route_numbers_are_ascii_digits_only(orderer_client, catalog):
    from .test_producer_order import start

    start(orderer_client, catalog)
    order = db.session.scalars(sa.select(Order)).one()
    assert orderer_client.get(f"/mina-bestallningar/{order.number}").status_code == 200
    assert orderer_client.get("/mina-bestallningar/%EF%BC%91").status_code == 404  # fullwidth 1


def test_back_office_search_treats_wildcards_as_text(officer_client, orderer_client, catalog):
    from .test_back_office import send
    from .test_producer_order import build_order

    order = send(orderer_client, build_order(orderer_client, catalog))
    assert f"BS-{order.number}" in page_text(officer_client.get("/admin/backoffice/?search=7p3k"))  # an addressee
    assert f"BS-{order.number}" in page_text(officer_client.get("/admin/backoffice/?search=92v4"))  # the system
    for wildcard in ("%", "_", "hsa_id"):
        assert f"BS-{order.number}" not in page_text(officer_client.get(f"/admin/backoffice/?search={quote(wildcard)}"))


def test_tak_credentials_may_be_limited_to_environments(app, client, orderer_client, catalog):
    from .test_back_office import send
    from .test_producer_order import build_order

    app.config["TAK_API_TOKENS"] = "alla, bara-qa=NTJP-QA, test-och-qa=NTJP-QA|NTJP-TEST"
    order = send(orderer_client, build_order(orderer_client, catalog))  # NTJP TEST
    path = f"/bs-api/api/takOrders/{order.number}"
    assert client.get(path, headers={"Authorization": "Bearer alla"}).status_code == 200
    assert client.get(path, headers={"Authorization": "Bearer test-och-qa"}).status_code == 200
    refused = client.get(path, headers={"Authorization": "Bearer bara-qa"})
    assert refused.status_code == 403 and "NTJP-TEST" in refused.get_data(as_text=True)


def test_the_orderers_email_is_checked_as_an_email_address(orderer_client, catalog):
    from .test_producer_order import build_order, post_step, step_url

    order = build_order(orderer_client, catalog)
    response = post_step(orderer_client, step_url(order, "bestallare"), {
        "orderer_name": "Anna", "orderer_phone": "1", "orderer_email": "a@b", "go": "next"})
    assert "Ange en giltig e-postadress" in page_text(response)
    db.session.refresh(order)
    assert order.orderer_email == "anna.bestallare@region.example"


def as_it_is(instance, **changes):
    """The instance page's form as it shows the instance now, with some fields changed."""
    names = ["other_info", "hsa_id", "main_contact_name", "main_contact_email", "main_contact_phone",
             "tech_contact_name", "tech_contact_email", "tech_contact_phone", "support_email", "support_phone"]
    data = {name: getattr(instance, name) or "" for name in names}
    data.update(organisation=str(instance.organisation.id) if instance.organisation else "",
                system=str(instance.system.id) if instance.system else "",
                environment_ids=[str(e.id) for e in instance.environments])
    data.update(changes)
    return data


def test_approving_a_request_writes_only_its_fields_and_never_over_a_later_change(
        orderer_client, officer_client, catalog, foreign_instance, accounts):
    path = f"/systeminformation/instans/{foreign_instance.id}"
    foreign_instance.main_contact_name, foreign_instance.tech_contact_name = "Kim Kontakt", "Tore Tekniker"
    db.session.commit()
    answer = post(orderer_client, path, as_it_is(foreign_instance, other_info="Begärt"))  # the whole form, one field changed
    assert answer.status_code == 302, page_text(answer)
    [request] = db.session.scalars(sa.select(InstanceChangeRequest)).all()
    assert [label for label, _, _ in request.changes] == ["Övrigt"]
    # Customer service changes other fields directly meanwhile.
    post(officer_client, path, instance_form(catalog, foreign_instance, support_phone="08-111 11 11",
                                             tech_contact_email="ny.tekniker@intyg.example"))
    details = officer_client.get(f"/admin/changerequest/details/?id={request.id}")
    approved = officer_client.post(f"/admin/changerequest/avgor/{request.id}", data={
        "csrf_token": csrf_token(details.get_data(as_text=True)), "decision": "approve"}, follow_redirects=True)
    assert "Ändringen är godkänd" in page_text(approved), page_text(approved)[:3000]
    db.session.expire_all()
    instance = db.session.get(SystemInstance, foreign_instance.id)
    assert instance.other_info == "Begärt"
    assert (instance.support_phone, instance.tech_contact_email) == ("08-111 11 11", "ny.tekniker@intyg.example")

    # A field the request changes that has changed since: refused, and shown on the request's page.
    post(orderer_client, path, as_it_is(instance, other_info="Andra begäran"))
    second = db.session.scalars(sa.select(InstanceChangeRequest).order_by(InstanceChangeRequest.id.desc())).first()
    post(officer_client, path, instance_form(catalog, instance, other_info="Kundservice"))
    details = officer_client.get(f"/admin/changerequest/details/?id={second.id}")
    assert "ändrat sedan, nu: Kundservice" in page_text(details)
    refused = officer_client.post(f"/admin/changerequest/avgor/{second.id}", data={
        "csrf_token": csrf_token(details.get_data(as_text=True)), "decision": "approve"}, follow_redirects=True)
    assert "Systemet har ändrats sedan förfrågan gjordes: Övrigt" in page_text(refused)
    db.session.expire_all()
    assert db.session.get(SystemInstance, foreign_instance.id).other_info == "Kundservice"
    assert db.session.get(InstanceChangeRequest, second.id).status == "pending"
