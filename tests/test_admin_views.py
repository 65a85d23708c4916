"""One parametrised test over every master-data ModelView (list, search, filter, create,
edit, delete, export, details), in the NetBox manner, plus field validation in the forms."""
import csv
import io
import re

import pytest
import sqlalchemy as sa

from admin_views.master_data import MASTER_DATA_VIEWS
from extensions import db
from models import LogicalAddress, Organisation, System, SystemInstance

from .conftest import csrf_token, page_text


def admin_view(app, model):
    admin = app.extensions["admin"][0]
    return next(v for v in admin._views if getattr(v, "model", None) is model)


# For each register: values for a new row (callables get the catalog fixture), the text the
# list shows for it, a search that finds the fixture row, and a field changed by the edit.
CASES = {
    "Organisation": dict(
        create={"org_number": "556559-4230", "name": "Inera AB"}, shows="556559-4230",
        search=("Stockholm", "232100-0016"), edit=("name", "Inera AB (ändrad)")),
    "System": dict(
        create={"name": "Cosmic"}, shows="Cosmic", search=("Take", "TakeCare"), edit=("name", "Cosmic 2")),
    "SystemInstance": dict(
        create=lambda c: {"hsa_id": "se2321000016-abcd", "organisation": c["organisation"].id,
                          "system": c["system"].id, "other_info": "Röntgen",
                          "environments": [c["test"].id], "main_contact_email": "anna@example.se"},
        shows="se2321000016-abcd",  # stored as typed, as TAK's own register does
        search=("92V4", "SE2321000016-92V4"), edit=("other_info", "Röntgen och fysiologi")),
    "Environment": dict(
        create={"platform": "ntjp", "name": "prod", "active": "y"}, shows="PROD",
        search=("QA", "QA"), edit=("name", "PRODUKTION")),
    "ServiceDomain": dict(
        create={"namespace": "clinicalprocess:activity:request", "swedish_name": "Remisshantering"},
        shows="clinicalprocess:activity:request", search=("sched", "crm:scheduling"),
        edit=("swedish_name", "Remisser")),
    "ServiceContract": dict(
        create=lambda c: {"namespace": "urn:riv:crm:scheduling:MakeBookingResponder:1", "name": "MakeBooking",
                          "major": "1", "minor": "0", "domain": c["domain"].id},
        shows="MakeBooking", search=("Getb", "GetBookingDetails"), edit=("description", "Boka tid")),
    "InstalledContract": dict(
        create=lambda c: {"environment": c["qa"].id, "contract": c["contract"].id}, shows="NTJP QA",
        search=("GetBooking", "GetBookingDetails v1 (crm:scheduling)"), edit=None),
    "LogicalAddress": dict(
        create={"hsa_id": "SE2321000016-7P3K", "name": "VE: Region Stockholm - Barnneurologi"},
        shows="VE: Region Stockholm - Barnneurologi", search=("1000", "VG: Region Stockholm"),
        edit=("name", "VE: Region Stockholm - Neurologi")),
    "RivtaProfile": dict(
        create={"name": "rivtabp20", "description": "RIV TA BP 2.0"}, shows="RIVTABP20",
        search=("BP21", "RIVTABP21"), edit=("description", "Äldre profil")),
    "ProducerConnection": dict(
        create=lambda c: {"environment": c["qa"].id, "producer": c["producer"].id, "contract": c["contract"].id,
                          "logical_address": c["address"].id, "rivta_profile": c["profile"].id,
                          "url": " https://qa.example.se/GetBookingDetails ", "valid_from": "2026-01-01",
                          "valid_to": "2126-01-01"},
        shows="https://qa.example.se/GetBookingDetails", search=("92V4", "https://tp.example.se/GetBookingDetails"),
        edit=("url", "https://qa2.example.se/GetBookingDetails")),
    "CallAuthorization": dict(
        create=lambda c: {"environment": c["qa"].id, "consumer": c["consumer"].id, "contract": c["contract"].id,
                          "logical_address": c["address"].id, "integration_agreement": "QA-7",
                          "valid_from": "2026-01-01", "valid_to": "2126-01-01"},
        shows="QA-7", search=("C5J", "TEST-1"), edit=("integration_agreement", "QA-8")),
}

VIEWS = {model.__name__: (model, name) for _, model, name, _ in MASTER_DATA_VIEWS}


def test_every_register_has_a_case():
    assert set(VIEWS) == set(CASES)


def url(app, model, action="index_view", **args):
    with app.test_request_context():
        from flask import url_for
        return url_for(f"{admin_view(app, model).endpoint}.{action}", **args)


def post_form(officer_client, form_url, data):
    token = csrf_token(officer_client.get(form_url).get_data(as_text=True))
    return officer_client.post(form_url, data={**data, "csrf_token": token}, follow_redirects=True)


@pytest.mark.parametrize("name", CASES)
def test_list_search_and_details(app, officer_client, catalog, name):
    model, label = VIEWS[name]
    case = CASES[name]
    listing = officer_client.get(url(app, model))
    assert listing.status_code == 200
    assert label in page_text(listing)

    term, expected = case["search"]
    found = page_text(officer_client.get(url(app, model, search=term)))
    assert expected in found
    nothing = page_text(officer_client.get(url(app, model, search="zz-finns-inte-zz")))
    assert expected not in nothing and "Det finns inga objekt i tabellen" in nothing

    row = db.session.scalars(sa.select(model)).first()
    details = officer_client.get(url(app, model, "details_view", id=row.id))
    assert details.status_code == 200


@pytest.mark.parametrize("name", CASES)
def test_create_edit_delete(app, officer_client, catalog, name):
    model, _ = VIEWS[name]
    case = CASES[name]
    data = case["create"](catalog) if callable(case["create"]) else dict(case["create"])
    before = db.session.scalar(sa.select(sa.func.count()).select_from(model))

    created = post_form(officer_client, url(app, model, "create_view"), data)
    assert created.status_code == 200
    assert "Posten har skapats" in page_text(created), page_text(created)[:2000]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == before + 1
    assert case["shows"] in page_text(officer_client.get(url(app, model)))
    new_row = db.session.scalars(sa.select(model).order_by(model.id.desc())).first()
    assert logged(model, new_row.id) == ["create"]

    if case["edit"]:
        field, value = case["edit"]
        edit_url = url(app, model, "edit_view", id=new_row.id)
        form_data = {**data, field: value}
        edited = post_form(officer_client, edit_url, form_data)
        assert edited.status_code == 200
        db.session.expire_all()
        assert getattr(db.session.get(model, new_row.id), field) == value
        assert logged(model, new_row.id) == ["create", "update"]

    if not admin_view(app, model).can_delete:
        return
    # Removed from its details page, where one sees what goes.
    details_html = officer_client.get(url(app, model, "details_view", id=new_row.id)).get_data(as_text=True)
    assert 'id="delete-record"' in details_html and f'name="id" value="{new_row.id}"' in details_html
    deleted = officer_client.post(url(app, model, "delete_view"),
                                  data={"id": new_row.id, "csrf_token": csrf_token(details_html)},
                                  follow_redirects=True)
    assert deleted.status_code == 200
    db.session.expire_all()
    assert db.session.get(model, new_row.id) is None
    assert logged(model, new_row.id)[-1] == "delete"


def logged(model, row_id):
    """The change-log actions on a row, by the logged-in officer – every register is change-logged."""
    from models import ChangeLog

    entries = db.session.scalars(sa.select(ChangeLog).where(
        ChangeLog.entity_type == model.__name__, ChangeLog.entity_id == str(row_id)).order_by(ChangeLog.id)).all()
    assert all(entry.user_name == "Karl Kundservice" for entry in entries)
    return [entry.action for entry in entries]


@pytest.mark.parametrize("name", CASES)
def test_csv_export(app, officer_client, catalog, name):
    model, _ = VIEWS[name]
    response = officer_client.get(url(app, model, "export", export_type="csv"))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert len(rows) == 1 + db.session.scalar(sa.select(sa.func.count()).select_from(model))
    assert CASES[name]["search"][1] in " ".join(" ".join(r) for r in rows)


@pytest.mark.parametrize("name", CASES)
def test_post_without_csrf_token_is_refused(app, officer_client, catalog, name):
    model, _ = VIEWS[name]
    before = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    data = CASES[name]["create"](catalog) if callable(CASES[name]["create"]) else dict(CASES[name]["create"])
    officer_client.post(url(app, model, "create_view"), data=data)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == before


@pytest.mark.parametrize("name, filter_name, value, expected, hidden", [
    ("ProducerConnection", "Miljö", "test", "https://tp.example.se/GetBookingDetails", None),
    ("ProducerConnection", "Miljö", "qa", None, "https://tp.example.se/GetBookingDetails"),
    ("ProducerConnection", "Tjänstedomän", "domain", "https://tp.example.se/GetBookingDetails", None),
    ("ProducerConnection", "Organisation", "Stockholm", "https://tp.example.se/GetBookingDetails", None),
    ("ProducerConnection", "Giltig i dag", "1", "https://tp.example.se/GetBookingDetails", None),
    ("ProducerConnection", "Giltig i dag", "0", None, "https://tp.example.se/GetBookingDetails"),
    ("CallAuthorization", "Miljö", "test", "TEST-1", None),
    ("CallAuthorization", "Giltig i dag", "0", None, "TEST-1"),
    ("InstalledContract", "Miljö", "qa", None, "GetBookingDetails v1"),
    ("ServiceContract", "Tjänstedomän", "domain", "GetBookingDetails", None),
    ("SystemInstance", "Miljö", "test", "SE2321000016-92V4", None),
    ("SystemInstance", "Organisation", "Stockholm", "SE2321000016-92V4", "HSATEST2-C5J"),
    ("LogicalAddress", "Ansluten i miljö", "test", "VG: Region Stockholm", None),
    ("LogicalAddress", "Ansluten i miljö", "qa", None, "VG: Region Stockholm"),
])
def test_filters(app, officer_client, catalog, name, filter_name, value, expected, hidden):
    model, _ = VIEWS[name]
    view = admin_view(app, model)
    arg = next(arg for arg, (_, flt) in view._filter_args.items() if flt.name == filter_name)
    value = str(catalog[value].id) if value in catalog else value
    text = page_text(officer_client.get(url(app, model, **{f"flt0_{arg}": value})))
    if expected:
        assert expected in text
    if hidden:
        assert hidden not in text


def test_instance_shown_in_manual_form(app, officer_client, catalog):
    text = page_text(officer_client.get(url(app, SystemInstance, "details_view", id=catalog["producer"].id)))
    assert "SE2321000016-92V4" in text
    assert str(catalog["producer"]) == "[SE2321000016-92V4] Region Stockholm -- TakeCare -- Akutmottagning"
    assert str(catalog["contract"]) == "GetBookingDetails v1 (crm:scheduling)"


def test_ajax_lookup_finds_instances_without_a_select_of_all(app, officer_client, catalog):
    form = officer_client.get(url(app, SystemInstance.__mro__[0] and VIEWS["ProducerConnection"][0], "create_view"))
    html = form.get_data(as_text=True)
    assert 'data-role="select2-ajax"' in html
    assert "SE2321000016-92V4" not in html  # no option list of every instance
    endpoint = url(app, VIEWS["ProducerConnection"][0], "ajax_lookup", name="producer", query="92v4")
    assert "Region Stockholm -- TakeCare" in officer_client.get(endpoint).get_data(as_text=True)


@pytest.mark.parametrize("name, data, message", [
    ("Organisation", {"org_number": "556559-4231", "name": "Fel AB"}, "fel kontrollsiffra"),
    ("Organisation", {"org_number": "2321000016", "name": "Dubblett"}, "Finns redan"),
    ("LogicalAddress", {"hsa_id": "SE2321000016-Ö1", "name": "X"}, "å, ä eller ö"),
    ("LogicalAddress", {"hsa_id": "se2321000016-1000", "name": "Dubblett"}, "Finns redan"),
    ("System", {"name": "takecare"}, "Finns redan"),
    ("ServiceContract", {"namespace": "urn:riv:crm:scheduling:Get Booking:1", "name": "X", "major": "1",
                         "minor": "0"}, "Namnrymden får bara"),
    ("ServiceDomain", {"namespace": "Crm Scheduling"}, "små bokstäver"),
])
def test_bad_input_gets_swedish_error_and_keeps_the_form(app, officer_client, catalog, name, data, message):
    model, _ = VIEWS[name]
    before = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    response = post_form(officer_client, url(app, model, "create_view"), data)
    text = page_text(response)
    assert message in text
    html = response.get_data(as_text=True)
    for value in data.values():  # nothing the user typed is lost (at most normalised)
        assert any(f'value="{v}"' in html for v in (value, value.upper(), value.replace("-", ""))), value
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == before


def test_producer_connection_url_rule(app, officer_client, catalog):
    model = VIEWS["ProducerConnection"][0]
    data = CASES["ProducerConnection"]["create"](catalog)
    data["url"] = "ftp://fel.example.se"
    text = page_text(post_form(officer_client, url(app, model, "create_view"), data))
    assert "http:// eller https://" in text


def test_id_tak_accepts_is_registered_with_a_hint(app, officer_client, catalog):
    response = post_form(officer_client, url(app, LogicalAddress, "create_view"), {"hsa_id": "VS0001", "name": "Test"})
    assert "VS0001 har inte formen SE + organisationsnummer" in page_text(response)
    assert db.session.scalar(sa.select(LogicalAddress).filter_by(hsa_id="VS0001")) is not None


def test_legacy_row_can_be_edited_without_fixing_its_hsa_id(app, officer_client, catalog):
    legacy = SystemInstance(hsa_id="monitor-ping", tak_description="Övervakning")
    db.session.add(legacy)
    db.session.commit()
    edit_url = url(app, SystemInstance, "edit_view", id=legacy.id)
    post_form(officer_client, edit_url, {"hsa_id": "monitor-ping", "other_info": "Ping", "tak_description": "Övervakning"})
    db.session.expire_all()
    assert db.session.get(SystemInstance, legacy.id).other_info == "Ping"
    assert db.session.get(SystemInstance, legacy.id).hsa_id == "monitor-ping"


def test_org_number_shown_with_dash_and_searchable_either_way(app, officer_client, catalog):
    assert "232100-0016" in page_text(officer_client.get(url(app, Organisation, search="232100-0016")))
    edit = officer_client.get(url(app, Organisation, "edit_view", id=catalog["organisation"].id)).get_data(as_text=True)
    assert 'value="232100-0016"' in edit


def test_dashboard_counts_per_environment(app, officer_client, catalog):
    start = officer_client.get("/admin/")
    assert 'data-url="/admin/miljoer/"' in start.get_data(as_text=True)
    assert "NTJP TEST 1 1 1 1" not in page_text(start)  # the counts are fetched after the page is shown
    text = page_text(officer_client.get("/admin/miljoer/"))
    assert "NTJP TEST 1 1 1 1" in text
    assert "NTJP QA 0 0 0 0" in text
    assert "Logiska adressater i registret totalt: 1." in text


def test_ui_is_swedish(app, officer_client, catalog):
    text = page_text(officer_client.get(url(app, VIEWS["ProducerConnection"][0])))
    for swedish in ["Skapa", "Lista", "Exportera", "Sök"]:
        assert swedish in text
    for english in ["Create", "Export", "Search", "Delete", "items", "List"]:
        assert not re.search(rf"\b{english}\b", text), english


def test_unknown_page_is_swedish_404(officer_client):
    response = officer_client.get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan du söker finns inte" in page_text(response)


@pytest.mark.parametrize("name, data, message", [
    ("Environment", {"platform": "NTJP", "name": "test", "active": "y"}, "Miljön finns redan"),
    ("InstalledContract", "installed-again", "redan installerat"),
])
def test_duplicate_combinations_are_refused_beside_the_field(app, officer_client, catalog, name, data, message):
    model, _ = VIEWS[name]
    if data == "installed-again":
        data = {"environment": catalog["test"].id, "contract": catalog["contract"].id}
    before = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    assert message in page_text(post_form(officer_client, url(app, model, "create_view"), data))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == before


def test_deleting_a_row_in_use_is_refused_in_swedish(app, officer_client, catalog):
    list_html = officer_client.get(url(app, Organisation)).get_data(as_text=True)
    response = officer_client.post(url(app, Organisation, "delete_view"),
                           data={"id": catalog["organisation"].id, "csrf_token": csrf_token(list_html)},
                           follow_redirects=True)
    assert "används av andra poster" in page_text(response)
    db.session.expire_all()
    assert db.session.get(Organisation, catalog["organisation"].id) is not None


@pytest.mark.parametrize("name", [name for name in CASES if CASES[name]["edit"]])
def test_stale_edit_is_refused_with_a_swedish_message(app, officer_client, catalog, name):
    """Two officers open the same row; the first saves; the second is refused and told to reload."""
    model, _ = VIEWS[name]
    case = CASES[name]
    data = case["create"](catalog) if callable(case["create"]) else dict(case["create"])
    post_form(officer_client, url(app, model, "create_view"), data)
    row = db.session.scalars(sa.select(model).order_by(model.id.desc())).first()
    edit_url = url(app, model, "edit_view", id=row.id)
    first_page, second_page = (officer_client.get(edit_url).get_data(as_text=True) for _ in range(2))
    seen = re.search(r'name="version_seen" type="hidden" value="(\d+)"', first_page).group(1)
    field, value = case["edit"]
    first = officer_client.post(edit_url, data={**data, field: value, "version_seen": seen,
                                                "csrf_token": csrf_token(first_page)}, follow_redirects=True)
    assert "Någon annan har ändrat" not in page_text(first)
    other = "Annan ändring" if isinstance(value, str) and not value.startswith("http") else value
    second = officer_client.post(edit_url, data={**data, field: other, "version_seen": seen,
                                                 "csrf_token": csrf_token(second_page)}, follow_redirects=True)
    assert "Någon annan har ändrat uppgifterna sedan du öppnade sidan" in page_text(second)
    db.session.expire_all()
    assert getattr(db.session.get(model, row.id), field) == value


# Tables that stay a handful of rows; every other foreign key is looked up as you type.
SMALL_TABLES = {"Environment", "RivtaProfile"}


@pytest.mark.parametrize("view_class, model, name, category", MASTER_DATA_VIEWS, ids=lambda v: getattr(v, "__name__", None))
def test_no_register_form_lists_a_large_table_in_a_select(app, view_class, model, name, category):
    from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
    from flask_admin.contrib.sqla.fields import QuerySelectField

    view = admin_view(app, model)
    with app.test_request_context():
        for field in view.create_form():
            if isinstance(field, QuerySelectField):  # also the multiple variant
                target = field.query_factory().column_descriptions[0]["entity"].__name__
                assert target in SMALL_TABLES, f"{name}: {field.name} lists every {target} in a <select>"
            loader = getattr(field, "loader", None)
            if loader is not None:
                assert isinstance(loader, QueryAjaxModelLoader)


def test_csv_export_opens_in_swedish_excel_and_runs_no_formula(app, officer_client, catalog):
    db.session.add_all([System(name="=HYPERLINK(\"http://evil.example\")"), System(name="-2+3+cmd|' /C calc'!A0"),
                        System(name="Skånes journalsystem")])
    db.session.commit()
    body = officer_client.get(url(app, System, "export", export_type="csv")).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    names = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\")" in names and "'-2+3+cmd|' /C calc'!A0" in names
    assert "Skånes journalsystem" in names and not any(name.startswith(("=", "-")) for name in names)
