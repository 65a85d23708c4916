"""Administrera systeminformation and Lägg till organisation eller systemnamn, through the test client."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from extensions import db
from models import ChangeLog, Organisation, OutboundEmail, System, SystemInstance

from .conftest import csrf_token, page_text

ADDITIONS = "/organisation-och-system/"


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def valid_instance(catalog, **changes):
    data = {
        "organisation": str(catalog["organisation"].id), "other_info": "Röntgen", "system": str(catalog["system"].id),
        "hsa_id": "SE2321000016-RTG1", "environment_ids": [str(catalog["test"].id), str(catalog["qa"].id)],
        "main_contact_name": "Åsa Öberg", "main_contact_email": "asa.oberg@regionstockholm.example",
        "main_contact_phone": "08-123 456 78", "tech_contact_name": "Tore Tekniker",
        "tech_contact_email": "tore@regionstockholm.example", "tech_contact_phone": "",
        "support_email": "support@regionstockholm.example", "support_phone": "08-999 00 00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def post(client, path, data, form_page=None):
    token = csrf_token(client.get(form_page or path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def test_create_instance_stores_it_and_tells_customer_service(app, orderer_client, catalog, accounts):
    response = post(orderer_client, "/systeminformation/ny", valid_instance(catalog))
    instance = db.session.scalars(sa.select(SystemInstance).where(SystemInstance.hsa_id == "SE2321000016-RTG1")).one()
    assert response.location == f"/systeminformation/instans/{instance.id}"
    assert str(instance) == "[SE2321000016-RTG1] Region Stockholm -- TakeCare -- Röntgen"
    assert sorted(e.display for e in instance.environments) == ["NTJP QA", "NTJP TEST"]
    assert (instance.main_contact_name, instance.tech_contact_phone) == ("Åsa Öberg", None)
    assert "Systeminstansen har skapats" in page_text(orderer_client.get(response.location))

    [mail] = db.session.scalars(sa.select(OutboundEmail)).all()
    assert mail.recipients == [app.config["ORDER_MAIL_TO"]]
    assert mail.subject == "Beställningsstöd: Ny systeminstans SE2321000016-RTG1"
    assert "* Huvudansvarig – för- och efternamn: Åsa Öberg" in mail.text_body
    assert "Anna Beställare" in mail.text_body and mail.status == "pending"
    [logged] = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.entity_type == "SystemInstance",
                                                             ChangeLog.entity_id == str(instance.id))).all()
    assert logged.user_name == "Anna Beställare" and logged.after["hsa_id"] == "SE2321000016-RTG1"


def test_update_marks_changed_fields_and_keeps_the_rest(orderer_client, catalog):
    producer = catalog["producer"]
    path = f"/systeminformation/instans/{producer.id}"
    page = page_text(orderer_client.get(path))
    assert "[SE2321000016-92V4] Region Stockholm -- TakeCare -- Akutmottagning" in page
    # In the producer's organisation, the orderer changes it directly – all but its contact addresses,
    # which only a proven contact changes without customer service (test_trust_boundaries).
    post(orderer_client, path, valid_instance(catalog, hsa_id="SE2321000016-92V4", other_info="Akutmottagning",
                                              environment_ids=[str(catalog["qa"].id)], main_contact_email="",
                                              tech_contact_email="", support_email=""))
    db.session.expire_all()
    assert [e.display for e in producer.environments] == ["NTJP QA"]
    [mail] = db.session.scalars(sa.select(OutboundEmail)).all()
    assert mail.subject == "Beställningsstöd: Ändrad systeminstans SE2321000016-92V4"
    assert "* Driftmiljöer: NTJP QA  (tidigare: NTJP TEST)" in mail.text_body
    assert "  Övrigt: Akutmottagning" in mail.text_body  # unchanged, not marked
    assert "<td>Driftmiljöer *</td>" in mail.html_body


def test_saving_without_changes_sends_nothing(orderer_client, catalog):
    consumer = catalog["consumer"]
    data = valid_instance(catalog, hsa_id=consumer.hsa_id, environment_ids=[str(catalog["test"].id)])
    path = f"/systeminformation/instans/{consumer.id}"
    post(orderer_client, path, data)
    post(orderer_client, path, data)
    assert count(OutboundEmail) == 1


def test_imported_instance_is_found_by_hsa_id_and_tak_description(orderer_client, catalog):
    found = orderer_client.get("/systeminformation/sok?q=intygstj").get_json()["results"]
    assert [r["label"] for r in found] == ["[HSATEST2-C5J] Inera AB -- Intygstjänster -- Intygstjänsten"]
    assert found[0]["url"] == f"/systeminformation/instans/{catalog['consumer'].id}"
    by_org = orderer_client.get("/systeminformation/sok?q=stockholm").get_json()["results"]
    assert [r["label"] for r in by_org] == [str(catalog["producer"])]
    assert orderer_client.get("/systeminformation/sok?q=%25").get_json()["results"] == []


def test_organisation_and_system_lookups(orderer_client, catalog):
    assert orderer_client.get("/systeminformation/organisationer?q=232100-00").get_json()["results"] == [
        {"id": catalog["organisation"].id, "label": "232100-0016 - Region Stockholm"}]
    assert orderer_client.get("/systeminformation/organisationer?q=stock").get_json()["results"][0]["label"] == \
        "232100-0016 - Region Stockholm"
    assert orderer_client.get("/systeminformation/system?q=takec").get_json()["results"] == [
        {"id": catalog["system"].id, "label": "TakeCare"}]


@pytest.mark.parametrize("changes, field_message", [
    ({"organisation": ""}, "Välj systemägande organisation i listan."),
    ({"organisation": "99999"}, "Välj systemägande organisation i listan."),
    ({"system": ""}, "Välj system i listan."),
    ({"hsa_id": ""}, "Ange HSA-ID som finns på systemets SITHS-certifikat."),
    ({"hsa_id": "SE2321000016-92v4"}, "HSA-ID finns redan, välj Administrera befintlig."),
    ({"hsa_id": "SE 2321000016"}, "Ett HSA-id får inte innehålla mellanslag."),
    ({"environment_ids": None}, "Minst en driftmiljö måste läggas till"),
    ({"environment_ids": ["999"]}, "Välj driftmiljö i listan."),
    ({"main_contact_name": ""}, "Ange för- och efternamn på huvudansvarig."),
    ({"tech_contact_name": " "}, "Ange för- och efternamn på teknisk kontaktperson."),
    ({"main_contact_email": "asa@"}, "Ange en giltig e-postadress"),
    ({"support_phone": "ring mig"}, "Ange telefonnumret med siffror"),
])
def test_bad_input_is_refused_beside_the_field_and_nothing_is_lost(orderer_client, catalog, changes, field_message):
    before = count(SystemInstance)
    data = valid_instance(catalog, **changes)
    response = post(orderer_client, "/systeminformation/ny", data)
    assert response.status_code == 200
    text = page_text(response)
    assert field_message in text, text[-2000:]
    assert "Uppgifterna sparades inte" in text
    html = response.get_data(as_text=True)
    for key in ("other_info", "main_contact_email", "tech_contact_email", "support_email"):
        if data.get(key) and key not in changes:
            assert f'value="{data[key]}"' in html
    if "environment_ids" not in changes:
        assert 'name="environment_ids" value="%s"' % catalog["qa"].id in html
    assert count(SystemInstance) == before and count(OutboundEmail) == 0


def test_hsa_id_check_while_typing(orderer_client, catalog):
    taken = orderer_client.get("/systeminformation/hsa-id?value=se2321000016-92v4").get_json()
    assert taken["taken"] and taken["message"] == "HSA-ID finns redan, välj Administrera befintlig."
    assert taken["url"] == f"/systeminformation/instans/{catalog['producer'].id}"
    own = orderer_client.get(f"/systeminformation/hsa-id?value=SE2321000016-92V4&instance={catalog['producer'].id}")
    assert own.get_json() == {"taken": False, "problem": None, "hints": []}
    assert "mellanslag" in orderer_client.get("/systeminformation/hsa-id?value=SE 1").get_json()["problem"]
    hinted = orderer_client.get("/systeminformation/hsa-id?value=vs0001").get_json()
    assert hinted["problem"] is None and "TAK lagrar nya id:n med versaler: VS0001." in hinted["hints"]


def test_missing_organisation_round_trip_keeps_the_draft(orderer_client, catalog):
    data = valid_instance(catalog, organisation="", missing="organisation")
    before = count(SystemInstance)
    leave = post(orderer_client, "/systeminformation/ny", data)
    target = urlsplit(leave.location)
    assert target.path == "/organisation-och-system/"
    back = parse_qs(target.query)["next"][0]
    assert back == "/systeminformation/ny?draft=1"
    assert count(SystemInstance) == before

    added = post(orderer_client, f"/organisation-och-system/organisation?next={back}",
                 {"org_number": "556559-4230", "name": "Inera AB"}, form_page=leave.location)
    organisation = db.session.scalars(sa.select(Organisation).where(Organisation.org_number == "5565594230")).one()
    assert added.location == f"/systeminformation/ny?draft=1&organisation={organisation.id}"

    form = orderer_client.get(added.location).get_data(as_text=True)
    assert 'value="556559-4230 - Inera AB"' in form
    assert f'name="organisation" type="hidden" value="{organisation.id}"' in form
    assert 'value="Röntgen"' in form and 'value="asa.oberg@regionstockholm.example"' in form
    assert f'name="environment_ids" value="{catalog["qa"].id}"' in form


def test_existing_organisation_or_system_is_pointed_to_not_duplicated(orderer_client, catalog):
    back = "/systeminformation/ny?draft=1"
    response = post(orderer_client, f"/organisation-och-system/organisation?next={back}",
                    {"org_number": "232100-0016", "name": "Region Sthlm"}, form_page=ADDITIONS)
    text = page_text(response)
    assert "Finns redan: 232100-0016 - Region Stockholm" in text
    assert f'href="{back}&amp;organisation={catalog["organisation"].id}"' in response.get_data(as_text=True)
    assert count(Organisation) == 1

    response = post(orderer_client, "/organisation-och-system/system", {"name": " takecare "}, form_page=ADDITIONS)
    assert "Finns redan: TakeCare" in page_text(response)
    assert count(System) == 1


def test_new_system_is_added(orderer_client):
    response = post(orderer_client, "/organisation-och-system/system", {"name": "Journalsystemet Superduper"},
                    form_page=ADDITIONS)
    assert response.location == "/organisation-och-system/"
    assert "Systemet Journalsystemet Superduper har lagts till" in page_text(orderer_client.get(response.location))
    assert db.session.scalar(sa.select(System.name)) == "Journalsystemet Superduper"


@pytest.mark.parametrize("path, data, message", [
    ("/organisation-och-system/organisation", {"org_number": "556559-4231", "name": "Fel AB"}, "kontrollsiffra"),
    ("/organisation-och-system/organisation", {"org_number": "", "name": "Utan nummer AB"}, "Ange organisationsnummer"),
    ("/organisation-och-system/system", {"name": ""}, "Ange systemets produktnamn"),
])
def test_addition_errors_in_swedish(orderer_client, path, data, message):
    response = post(orderer_client, path, data, form_page=ADDITIONS)
    assert message in page_text(response)
    html = response.get_data(as_text=True)
    for value in data.values():
        if value:  # as typed, or normalised (organisationsnummer without the dash)
            assert f'value="{value}"' in html or f'value="{value.replace("-", "")}"' in html
    assert count(Organisation) == 0 and count(System) == 0


def test_orderer_cannot_edit_organisations_in_the_registers(orderer_client):
    assert orderer_client.get("/admin/organisation/").status_code == 403
    assert orderer_client.get("/admin/system/edit/?id=1").status_code == 403


def test_user_text_is_escaped_in_pages_and_mail(orderer_client, catalog):
    post(orderer_client, "/systeminformation/ny", valid_instance(catalog, other_info="<script>alert(1)</script>"))
    instance = db.session.scalars(sa.select(SystemInstance).where(SystemInstance.hsa_id == "SE2321000016-RTG1")).one()
    html = orderer_client.get(f"/systeminformation/instans/{instance.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    mail = db.session.scalars(sa.select(OutboundEmail)).one()
    assert "<script>" not in mail.html_body and "&lt;script&gt;" in mail.html_body


def test_start_page_lists_the_manual_choices_and_faq(app, orderer_client):
    from models import FaqEntry

    db.session.add(FaqEntry(position=1, question="Hur loggar jag in?", answer="SITHS-kort är krav.\n\nRing <oss>."))
    db.session.commit()
    start = orderer_client.get("/admin/")
    text = page_text(start)
    for choice in ("Administrera systeminformation", "Administrera tjänsteproducent", "Administrera tjänstekonsument",
                   "Lägg till organisation eller systemnamn", "Mina beställningar"):
        assert choice in text
    assert "Tjänsteadresseringskatalogen per miljö" not in text  # catalog figures are for customer service
    assert 'href="/faq/"' in start.get_data(as_text=True)
    faq = app.test_client().get("/faq/")  # readable before logging in
    assert "SITHS-kort är krav." in page_text(faq) and "&lt;oss&gt;" in faq.get_data(as_text=True)


def test_customer_service_edits_the_faq_without_a_deploy(officer_client, client):
    post(officer_client, "/admin/faqentry/new/", {"position": "5", "question": "Vem svarar?",
                                                  "answer": "Kundservice svarar vardagar."})
    assert "Kundservice svarar vardagar." in page_text(client.get("/faq/"))
    assert db.session.scalar(sa.select(ChangeLog.label).where(ChangeLog.entity_type == "FaqEntry")) == "Vem svarar?"


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(orderer_client, officer_client, catalog):
    """Two people open the same instance; the first saves; the second is told to reload."""
    producer = catalog["producer"]
    path = f"/systeminformation/instans/{producer.id}"
    first_page = orderer_client.get(path).get_data(as_text=True)
    second_page = officer_client.get(path).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"|id="version" name="version" type="hidden" '
                        r'value="(\d+)"', first_page)
    shown = next(group for group in version.groups() if group)
    common = dict(hsa_id="SE2321000016-92V4", version=shown, main_contact_email="", tech_contact_email="",
                  support_email="")
    first = orderer_client.post(path, data={**valid_instance(catalog, other_info="Först", **common),
                                            "csrf_token": csrf_token(first_page)})
    assert first.status_code == 302
    second = officer_client.post(path, data={**valid_instance(catalog, other_info="Sist", **common),
                                             "csrf_token": csrf_token(second_page)})
    text = page_text(second)
    assert "Någon annan har ändrat uppgifterna sedan du öppnade sidan" in text
    assert 'value="Sist"' in second.get_data(as_text=True)  # what the second person typed is still there
    db.session.expire_all()
    assert producer.other_info == "Först"
