"""The change log: one mechanism records create/update/delete of master data and users,
with who, when and before/after; customer service reads it in a list and on each details page."""
import datetime as dt

import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import ADMIN, ChangeLog, Organisation, User

from .conftest import PASSWORD, csrf_token, log_in, page_text


def entries(entity_type, entity_id=None, action=None):
    """Log rows of one register; the fixtures' own inserts are logged too, hence the action filter."""
    query = sa.select(ChangeLog).where(ChangeLog.entity_type == entity_type).order_by(ChangeLog.id)
    if action is not None:
        query = query.where(ChangeLog.action == action)
    if entity_id is not None:
        query = query.where(ChangeLog.entity_id == str(entity_id))
    return db.session.scalars(query).all()


def post_form(client, path, data):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=True)


def test_create_update_delete_through_the_admin_are_logged(officer_client, accounts):
    post_form(officer_client, "/admin/organisation/new/", {"org_number": "556559-4230", "name": "Inera AB"})
    organisation = db.session.scalars(sa.select(Organisation)).one()
    post_form(officer_client, f"/admin/organisation/edit/?id={organisation.id}",
              {"org_number": "556559-4230", "name": "Inera AB (ny)"})
    token = csrf_token(officer_client.get("/admin/organisation/").get_data(as_text=True))
    officer_client.post("/admin/organisation/delete/", data={"id": organisation.id, "csrf_token": token})

    created, updated, deleted = entries("Organisation", organisation.id)
    assert (created.action, created.user_name, created.user_id) == ("create", "Karl Kundservice",
                                                                   accounts["customer_service"].id)
    assert created.before is None
    assert created.after == {"org_number": "5565594230", "name": "Inera AB", "id": organisation.id}
    assert created.label == "556559-4230 - Inera AB"
    assert (updated.action, updated.before, updated.after) == (
        "update", {"name": "Inera AB"}, {"name": "Inera AB (ny)"})
    assert deleted.action == "delete" and deleted.after is None
    assert deleted.before["name"] == "Inera AB (ny)"


def test_related_rows_and_environments_are_logged_readably(officer_client, catalog):
    producer = catalog["producer"]
    post_form(officer_client, f"/admin/systeminstance/edit/?id={producer.id}", {
        "hsa_id": producer.hsa_id, "organisation": catalog["organisation"].id, "system": catalog["system"].id,
        "other_info": "Akutmottagning", "environments": [catalog["test"].id, catalog["qa"].id],
        "tech_contact_name": "Tea Tekniker"})
    [update] = entries("SystemInstance", producer.id, "update")
    assert update.before == {"environments": ["NTJP TEST"], "tech_contact_name": None}
    assert update.after == {"environments": ["NTJP QA", "NTJP TEST"], "tech_contact_name": "Tea Tekniker"}


def test_saving_without_changes_logs_nothing(officer_client, catalog):
    post_form(officer_client, f"/admin/system/edit/?id={catalog['system'].id}", {"name": "TakeCare"})
    assert entries("System", action="update") == []


def test_passwords_never_reach_the_log_and_logins_are_not_changes(app, accounts):
    admin_client = log_in(app.test_client(), accounts[ADMIN])
    orderer = accounts["orderer"]
    saved = post_form(admin_client, f"/admin/user/edit/?id={orderer.id}", {
        "name": orderer.name, "email": orderer.email, "phone": orderer.phone, "hsa_id": orderer.hsa_id,
        "role": "orderer", "active": "y", "new_password": "ett-helt-nytt-lösen"})
    assert "Posten sparades" in page_text(saved)
    [update] = entries("User", orderer.id, "update")
    assert update.after == {"password_hash": "(ändrat)"}
    assert "pbkdf2" not in str(update.before) + str(update.after) and "scrypt" not in str(update.after)

    client = app.test_client()
    token = csrf_token(client.get("/auth/").get_data(as_text=True))
    client.post("/auth/", data={"csrf_token": token, "email": orderer.email, "password": "ett-helt-nytt-lösen"})
    assert len(entries("User", orderer.id, "update")) == 1


def test_change_log_list_filter_and_details(officer_client, catalog):
    post_form(officer_client, f"/admin/system/edit/?id={catalog['system'].id}", {"name": "TakeCare <b>2</b>"})
    post_form(officer_client, "/admin/organisation/new/", {"org_number": "556559-4230", "name": "Inera AB"})

    listing = page_text(officer_client.get("/admin/changelog/"))
    assert "Karl Kundservice" in listing and "Ändrad" in listing and "Skapad" in listing

    only_systems = officer_client.get("/admin/changelog/?flt0_register_equals=System")
    assert "TakeCare" in page_text(only_systems) and "Inera AB" not in page_text(only_systems)

    today = swedish_today().isoformat()
    assert "Inera AB" in page_text(officer_client.get(f"/admin/changelog/?flt0_tidpunkt_between={today}+to+{today}"))
    assert "Inera AB" not in page_text(officer_client.get("/admin/changelog/?flt0_tidpunkt_between=2020-01-01+to+2020-12-31"))

    entry = entries("System", action="update")[0]
    details = officer_client.get(f"/admin/changelog/details/?id={entry.id}")
    html = details.get_data(as_text=True)
    assert "TakeCare &lt;b&gt;2&lt;/b&gt;" in html and "<b>2</b>" not in html
    text = page_text(details)
    assert "Produktnamn" in text or "Namn" in text
    assert "TakeCare" in text


def test_details_page_of_a_register_shows_its_history(officer_client, catalog):
    system = catalog["system"]
    post_form(officer_client, f"/admin/system/edit/?id={system.id}", {"name": "TakeCare 2"})
    text = page_text(officer_client.get(f"/admin/system/details/?id={system.id}"))
    history = text.split("Ändringshistorik")[1]
    assert "Karl Kundservice" in history and "Ändrad" in history
    assert "TakeCare TakeCare 2" in history  # Namn | Före | Efter


def test_changes_in_code_outside_requests_are_attributed_to_the_command_line(app):
    db.session.add(User(role="orderer", name="Ny", email="ny@example.se"))
    db.session.commit()
    [created] = entries("User")
    assert created.user_name == "System (kommandorad)" and created.user_id is None


def test_orderer_cannot_read_the_change_log(orderer_client):
    assert orderer_client.get("/admin/changelog/").status_code == 403


def test_user_admin_cannot_lock_themself_out(app, accounts):
    admin = accounts[ADMIN]
    client = log_in(app.test_client(), admin)
    response = post_form(client, f"/admin/user/edit/?id={admin.id}", {
        "name": admin.name, "email": admin.email, "role": "orderer", "active": "y"})
    assert "Du kan inte ta bort din egen administratörsroll" in page_text(response)
    db.session.refresh(admin)
    assert admin.role == ADMIN


def test_admin_creates_an_account_that_can_log_in(app, accounts):
    client = log_in(app.test_client(), accounts[ADMIN])
    response = post_form(client, "/admin/user/new/", {
        "name": "Kim Kundservice", "email": "kim@inera.example", "role": "customer_service", "active": "y",
        "new_password": "kort"})
    assert "minst 10 tecken" in page_text(response)
    post_form(client, "/admin/user/new/", {
        "name": "Kim Kundservice", "email": "kim@inera.example", "role": "customer_service", "active": "y",
        "new_password": PASSWORD})
    fresh = app.test_client()
    token = csrf_token(fresh.get("/auth/").get_data(as_text=True))
    assert fresh.post("/auth/", data={"csrf_token": token, "email": "kim@inera.example",
                                      "password": PASSWORD}).location == "/admin/"


def test_admin_unlocks_accounts_with_the_list_action(app, accounts):
    locked = accounts["customer_service"]
    locked.locked_until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=10)
    db.session.commit()
    client = log_in(app.test_client(), accounts[ADMIN])
    token = csrf_token(client.get("/admin/user/").get_data(as_text=True))
    response = client.post("/admin/user/action/", data={"action": "unlock", "rowid": [str(locked.id)],
                                                        "csrf_token": token}, follow_redirects=True)
    assert "1 konton har låsts upp" in page_text(response)
    db.session.refresh(locked)
    assert locked.locked_until is None
