"""SITHS login through a trusted proxy, password login with lockout, sessions and CSRF."""
import datetime as dt
import time
from urllib.parse import quote, urlsplit

import pytest
import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from extensions import db
from identity.accounts import MAX_FAILED_LOGINS
from identity.siths import CertificateError, hsa_id_from_certificate
from models import CUSTOMER_SERVICE, ORDERER, User

from .conftest import PASSWORD, csrf_token, log_in, page_text

PROXY = "10.20.30.40"
HEADER = "X-SSL-Client-Cert"


def certificate(serial_number="SE2321000016-ABC1", common_name="Anna Andersson", utf8=False):
    """A SITHS-like client certificate, PEM, URL-encoded as nginx's $ssl_client_escaped_cert.
    utf8: the serialNumber as UTF8String, which can hold what a PrintableString cannot (<, >)."""
    from cryptography.x509.name import _ASN1Type

    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if serial_number:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number,
                                             _type=_ASN1Type.UTF8String if utf8 else _ASN1Type.PrintableString))
    subject = x509.Name(attributes)
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    return quote(cert.public_bytes(serialization.Encoding.PEM).decode())


@pytest.fixture
def siths_app(app):
    app.config["TRUSTED_PROXIES"] = f"{PROXY}, 192.168.0.0/24"
    return app


def from_proxy(client, path, cert, address=PROXY):
    return client.get(path, headers={HEADER: cert}, environ_base={"REMOTE_ADDR": address})


def users_with(hsa_id):
    return db.session.scalars(sa.select(User).where(User.hsa_id == hsa_id)).all()


def test_hsa_id_is_read_from_subject_serial_number():
    assert hsa_id_from_certificate(certificate("se2321000016-abc1")) == "SE2321000016-ABC1"
    with pytest.raises(CertificateError, match="saknar HSA-id"):
        hsa_id_from_certificate(certificate(serial_number=None))
    with pytest.raises(CertificateError, match="kunde inte läsas"):
        hsa_id_from_certificate("-----BEGIN CERTIFICATE-----%0Agarbage%0A-----END CERTIFICATE-----")


def test_forged_header_from_untrusted_address_logs_nobody_in(siths_app, client):
    response = from_proxy(client, "/auth/siths", certificate(), address="10.99.0.1")
    assert urlsplit(response.location).path == "/auth/"
    assert users_with("SE2321000016-ABC1") == []
    assert urlsplit(client.get("/admin/").location).path == "/auth/"


def test_header_is_ignored_when_no_proxy_is_trusted(app, client):
    from_proxy(client, "/auth/siths", certificate())
    assert users_with("SE2321000016-ABC1") == []


def test_first_siths_login_creates_orderer_and_asks_for_details(siths_app, client):
    response = from_proxy(client, "/auth/siths?next=/admin/", certificate())
    assert urlsplit(response.location).path == "/mina-uppgifter/"
    [user] = users_with("SE2321000016-ABC1")
    assert user.role == ORDERER and user.last_login is not None

    profile = client.get(response.location)
    assert "Välkommen till beställningsstödet" in page_text(profile)
    saved = client.post(response.location, data={
        "csrf_token": csrf_token(profile.get_data(as_text=True)),
        "name": "Anna Andersson", "email": "anna.andersson@region.example", "phone": "070-123 45 67"})
    assert saved.location == "/admin/"  # back to where the login was heading
    db.session.refresh(user)
    assert (user.name, user.email, user.phone) == ("Anna Andersson", "anna.andersson@region.example", "070-123 45 67")


def test_protected_page_from_trusted_proxy_logs_in_with_the_card(siths_app, client, accounts):
    orderer = accounts[ORDERER]
    response = from_proxy(client, "/admin/", certificate(orderer.hsa_id))
    assert urlsplit(response.location).path == "/auth/siths"
    done = from_proxy(client, response.location, certificate(orderer.hsa_id))
    assert done.location == "/admin/"
    assert "Anna Beställare" in page_text(client.get("/admin/"))
    assert len(users_with(orderer.hsa_id)) == 1


def test_certificate_without_serial_number_is_refused_clearly(siths_app, client):
    response = from_proxy(client, "/auth/siths", certificate(serial_number=None))
    assert response.status_code == 403
    assert "Certifikatet saknar HSA-id (serialNumber)" in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_deactivated_siths_user_is_refused(siths_app, client, accounts):
    accounts[ORDERER].active = False
    db.session.commit()
    response = from_proxy(client, "/auth/siths", certificate(accounts[ORDERER].hsa_id))
    assert response.status_code == 403
    assert "Kontot är spärrat" in page_text(response)


def password_login(client, email, password, next_url=None):
    path = "/auth/" + (f"?next={next_url}" if next_url else "")
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "email": email, "password": password})


def test_password_login_and_logout(client, accounts):
    officer = accounts[CUSTOMER_SERVICE]
    response = password_login(client, "  KARL.kundservice@inera.example ", PASSWORD)
    assert response.location == "/admin/"
    assert "Karl Kundservice (Kundservice)" in page_text(client.get("/admin/"))
    db.session.refresh(officer)
    assert officer.last_login is not None

    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": token}).location == "/auth/"
    assert urlsplit(client.get("/admin/").location).path == "/auth/"


def test_wrong_password_and_unknown_account_get_the_same_message(client, accounts):
    wrong = page_text(password_login(client, accounts[CUSTOMER_SERVICE].email, "fel"))
    unknown = page_text(password_login(client, "ingen@example.se", "fel"))
    assert "Inloggningen misslyckades" in wrong
    assert wrong == unknown
    assert 'value="ingen@example.se"' in password_login(client, "ingen@example.se", "fel").get_data(as_text=True)


def test_account_is_locked_after_five_failures(client, accounts):
    officer = accounts[CUSTOMER_SERVICE]
    for _ in range(MAX_FAILED_LOGINS):
        assert password_login(client, officer.email, "fel").status_code == 200
    locked = password_login(client, officer.email, PASSWORD)
    assert locked.status_code == 200 and "Inloggningen misslyckades" in page_text(locked)
    db.session.refresh(officer)
    assert officer.locked_until is not None

    officer.locked_until = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)  # 15 minutes later
    db.session.commit()
    assert password_login(client, officer.email, PASSWORD).location == "/admin/"
    db.session.refresh(officer)
    assert officer.failed_logins == 0 and officer.locked_until is None


def test_inactive_account_cannot_log_in_and_loses_its_session(app, client, accounts):
    officer = accounts[CUSTOMER_SERVICE]
    logged_in = log_in(app.test_client(), officer)
    officer.active = False
    db.session.commit()
    assert "Inloggningen misslyckades" in page_text(password_login(client, officer.email, PASSWORD))
    assert urlsplit(logged_in.get("/admin/").location).path == "/auth/"


def test_next_must_be_a_path_on_this_site(client, accounts):
    response = password_login(client, accounts[CUSTOMER_SERVICE].email, PASSWORD, next_url="//evil.example/x")
    assert response.location == "/admin/"


def test_idle_session_is_ended(app, orderer_client):
    with orderer_client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    response = orderer_client.get("/mina-uppgifter/")
    assert urlsplit(response.location).path == "/auth/"
    assert "inaktivitet" in page_text(orderer_client.get(response.location))


def test_session_cookie_is_http_only_and_secure_when_configured(app, client, accounts):
    cookie = password_login(client, accounts[CUSTOMER_SERVICE].email, PASSWORD).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = password_login(app.test_client(), accounts[CUSTOMER_SERVICE].email, PASSWORD).headers["Set-Cookie"]
    assert "Secure" in cookie


@pytest.mark.parametrize("path, data", [
    ("/auth/", {"email": "karl.kundservice@inera.example", "password": PASSWORD}),
    ("/mina-uppgifter/", {"name": "Förfalskad", "email": "x@example.se", "phone": "1"}),
    ("/auth/logout", {}),
])
def test_post_without_csrf_token_is_refused(orderer_client, accounts, path, data):
    response = orderer_client.post(path, data=data)
    assert response.status_code == 400
    assert "säkerhetskod" in page_text(response)
    db.session.refresh(accounts[ORDERER])
    assert accounts[ORDERER].name == "Anna Beställare"


def test_profile_errors_are_shown_beside_the_fields_and_input_kept(orderer_client, accounts):
    page = orderer_client.get("/mina-uppgifter/")
    response = orderer_client.post("/mina-uppgifter/", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "name": "Anna Ny",
        "email": accounts[CUSTOMER_SERVICE].email.upper(), "phone": ""})
    text = page_text(response)
    assert "E-postadressen används redan av ett annat konto" in text
    assert "Ange ditt telefonnummer" in text
    assert 'value="Anna Ny"' in response.get_data(as_text=True)
    db.session.refresh(accounts[ORDERER])
    assert accounts[ORDERER].name == "Anna Beställare"


def test_demo_accounts_only_in_demo_mode(app, client):
    from identity.demo_accounts import ensure_demo_accounts

    ensure_demo_accounts(db.session)
    assert "Demokonton" not in page_text(client.get("/auth/"))
    token = csrf_token(client.get("/auth/").get_data(as_text=True))
    assert client.post("/auth/demo", data={"csrf_token": token, "email": "bestallare@demo.example"}).status_code == 404

    app.config["DEMO_MODE"] = True
    page = client.get("/auth/")
    assert "Logga in som Demo Beställare" in page_text(page)
    response = client.post("/auth/demo", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                               "email": "bestallare@demo.example"})
    assert response.location == "/admin/"
    assert "Demo Beställare (Beställare)" in page_text(client.get("/admin/"))


def test_demo_command_creates_accounts_only_in_demo_mode(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "--if-empty", "--scale", "0.1"])  # the accounts are tested, not the size
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    app.config["DEMO_MODE"] = True
    result = runner.invoke(args=["demo", "--if-empty", "--scale", "0.1"])
    assert "Demokonton: 3 nya" in result.output
    roles = sorted(db.session.scalars(sa.select(User.role)))
    assert roles == ["admin", "customer_service", "orderer"]
    # Nobody reads the demo's mail: its accounts count as having proved their addresses.
    assert all(user.proven_email == user.email for user in db.session.scalars(sa.select(User)))


def test_users_create_command_prompts_for_password(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--role", "admin", "--email", "ny.admin@inera.example",
                                 "--name", "Ny Admin"], input="ett-långt-lösen\nett-långt-lösen\n")
    assert result.exit_code == 0, result.output
    assert "ett-långt-lösen" not in result.output
    assert password_login(client, "ny.admin@inera.example", "ett-långt-lösen").location == "/admin/"
    again = runner.invoke(args=["users", "create", "--role", "admin", "--email", "NY.ADMIN@inera.example"],
                          input="ett-långt-lösen\nett-långt-lösen\n")
    assert again.exit_code != 0 and "finns redan" in again.output
    short = runner.invoke(args=["users", "create", "--role", "orderer", "--email", "kort@example.se"], input="kort\nkort\n")
    assert short.exit_code != 0 and "minst 10 tecken" in short.output
