"""Every logical address and component id of the real NTJP TEST export that TAK's rule accepts is
accepted by every input path: new addressee, pasted list, the registers, system information, the
consumer matrix and the consumer search. The ids are read from the file itself, not a chosen few."""
import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from forms.identifiers import tak_id_problem
from models import ORDERER, CallAuthorization, Environment, LogicalAddress, Order, ProducerConnection, SystemInstance
from tak.export import read_export
from tak.importer import import_export

from .conftest import TAKDUMP, csrf_token, log_in, page_text, shared_file
from .test_admin_views import url
from .test_order_integrity import addresses_step
from .test_producer_order import step_url
from .test_system_information import valid_instance

TAK_RULE = re.compile(r"[0-9A-Za-z_-]{1,255}")  # TAK's own rule, written out here independently of ours


def export_ids(kind):
    data = json.loads(shared_file(TAKDUMP).read_text(encoding="utf-8"))["data"]
    return [item["hsaId"] for item in data[kind]]


def accepted_ids(kind):
    return sorted({hsa_id for hsa_id in export_ids(kind) if TAK_RULE.fullmatch(hsa_id)}, key=str.lower)


def addressee_and_component_ids():
    unique = {}
    for hsa_id in accepted_ids("logiskadress") + accepted_ids("tjanstekomponent"):
        unique.setdefault(hsa_id.lower(), hsa_id)
    return sorted(unique.values())


def test_the_rule_agrees_with_tak_on_every_id_of_the_export():
    for kind in ("logiskadress", "tjanstekomponent"):
        for hsa_id in export_ids(kind):
            if TAK_RULE.fullmatch(hsa_id):
                assert tak_id_problem(hsa_id) is None, hsa_id
            elif not TAK_RULE.fullmatch(hsa_id.strip()):  # surrounding whitespace is trimmed on input
                assert tak_id_problem(hsa_id) is not None, hsa_id
    # The figures: the export is full of ids that are not of the SE form.
    assert {"5565594230", "VS0001", "NMTJOLKS1", "T_SERVICES_SE165565594230-1023"} <= set(
        accepted_ids("logiskadress") + accepted_ids("tjanstekomponent"))


def token_of(client, path):
    return csrf_token(client.get(path).get_data(as_text=True))


def test_new_addressee_path(orderer_client, catalog):
    order = addresses_step(orderer_client, catalog)
    path = step_url(order, "adressater")
    token = token_of(orderer_client, path)
    refused = []
    for hsa_id in addressee_and_component_ids():
        response = orderer_client.post(path, data={"csrf_token": token, "mode": "add", "action": "add_new",
                                                   "new_hsa_id": hsa_id, "new_name": f"Namn på {hsa_id}"})
        db.session.refresh(order)
        if [entry["hsa_id"] for entry in order.content["add_addresses"]] != [hsa_id.upper()]:
            refused.append((hsa_id, page_text(response)[-300:]))
    assert refused == []


def test_pasted_list_path(orderer_client, catalog):
    order = addresses_step(orderer_client, catalog)
    ids = addressee_and_component_ids()
    path = step_url(order, "adressater")
    response = orderer_client.post(path, data={
        "csrf_token": token_of(orderer_client, path), "mode": "add", "action": "paste",
        "pasted": "\n".join(f"{hsa_id};Namn {number}" for number, hsa_id in enumerate(ids))})
    assert "Rad " not in page_text(response)
    db.session.refresh(order)
    assert sorted(entry["hsa_id"] for entry in order.content["add_addresses"]) == sorted(i.upper() for i in ids)


def test_catalogue_addressees_with_swedish_letters_are_found_when_ordered(orderer_client, catalog):
    """The export mirrors addressees TAK's rule refuses today (Ä, Ö – e.g. ...___ÄNDRAS_När_...). Chosen in
    the addressee search (the chosen rows post their HSA-id), such an addressee is found in the catalogue –
    also on SQLite, whose lower() leaves Ä be – instead of being refused as a new id, and the page warns
    that the producer answers it already."""
    ids = [hsa_id for hsa_id in export_ids("logiskadress") if not hsa_id.isascii() and hsa_id.isprintable()]
    assert ids
    today = swedish_today()
    for hsa_id in ids:
        address = LogicalAddress(hsa_id=hsa_id, name=f"Namn på {hsa_id}")
        db.session.add_all([address, ProducerConnection(
            environment=catalog["test"], producer=catalog["producer"], contract=catalog["contract"],
            logical_address=address, rivta_profile=catalog["profile"], url="https://tp.example.se/x",
            valid_from=today - dt.timedelta(days=1), valid_to=today + dt.timedelta(days=365))])
    db.session.commit()
    order = addresses_step(orderer_client, catalog)
    path = step_url(order, "adressater")
    response = orderer_client.post(path, data={
        "csrf_token": token_of(orderer_client, path), "mode": "add", "go": "save", "add_hsa_id": ids,
        "add_name": [""] * len(ids), "add_new": ["0"] * len(ids)})
    text = page_text(orderer_client.get(path)) if response.status_code == 302 else page_text(response)
    db.session.refresh(order)
    assert sorted(entry["hsa_id"] for entry in order.content["add_addresses"]) == sorted(ids), text[-300:]
    assert not any(entry.get("new") for entry in order.content["add_addresses"])
    assert text.count("redan ansluten till producenten") == len(ids)


def test_register_paths(app, officer_client, catalog):
    refused = []
    for model, ids in ((LogicalAddress, accepted_ids("logiskadress")), (SystemInstance, accepted_ids("tjanstekomponent"))):
        form_url = url(app, model, "create_view")
        token = token_of(officer_client, form_url)
        for hsa_id in ids:
            if db.session.scalar(sa.select(model).where(sa.func.lower(model.hsa_id) == hsa_id.lower())):
                continue  # the export holds twins that differ only in case: TAK merges them as we do
            data = {"hsa_id": hsa_id, "name": "Från exporten", "csrf_token": token}
            if model is SystemInstance:
                data = {"hsa_id": hsa_id, "organisation": catalog["organisation"].id, "system": catalog["system"].id,
                        "environments": [catalog["test"].id], "csrf_token": token}
            officer_client.post(form_url, data=data)
            stored = db.session.scalar(sa.select(model).where(model.hsa_id == hsa_id))
            if stored is None:
                refused.append((model.__name__, hsa_id))
    assert refused == []


def test_system_information_path(orderer_client, catalog):
    token = token_of(orderer_client, "/systeminformation/ny")
    refused = []
    for hsa_id in accepted_ids("tjanstekomponent"):
        if db.session.scalar(sa.select(SystemInstance).where(sa.func.lower(SystemInstance.hsa_id) == hsa_id.lower())):
            continue
        orderer_client.post("/systeminformation/ny", data={**valid_instance(catalog, hsa_id=hsa_id),
                                                            "csrf_token": token})
        if db.session.scalar(sa.select(SystemInstance).where(SystemInstance.hsa_id == hsa_id)) is None:
            refused.append(hsa_id)
    assert refused == []


@pytest.fixture
def imported(app):
    import_export(read_export(shared_file(TAKDUMP)), "NTJP TEST")
    return db.session.scalar(sa.select(Environment).filter_by(platform="NTJP", name="TEST"))


def draft_for(client, flow, environment, hsa_id):
    """An orderer's new draft in the imported environment for the component with this HSA-id."""
    instance = db.session.scalar(sa.select(SystemInstance).where(SystemInstance.hsa_id == hsa_id))
    client.post(flow, data={"csrf_token": token_of(client, flow), "environment_id": environment.id,
                            "change_date": "", "producer_id": instance.id, "go": "next"})
    return db.session.scalars(sa.select(Order)).one(), instance


def test_matrix_path(app, imported, accounts):
    client = log_in(app.test_client(), accounts[ORDERER])
    order, consumer = draft_for(client, "/konsument/", imported, "SE5565594230-BCQ")
    today = swedish_today()
    accepted = {hsa_id.lower() for hsa_id in accepted_ids("logiskadress")}

    def live_pairs(model, *conditions):
        return {(contract_id, hsa_id) for contract_id, hsa_id in db.session.execute(
            sa.select(model.contract_id, LogicalAddress.hsa_id).join(model.logical_address)
            .where(model.environment_id == imported.id, model.valid_from <= today, model.valid_to >= today,
                   *conditions)) if hsa_id.lower() in accepted}

    cells = live_pairs(ProducerConnection)
    assert len({hsa_id for _, hsa_id in cells}) > 100
    path = f"/konsument/{order.number}/matris"
    response = client.post(path, data={"csrf_token": token_of(client, path), "go": "save",
                                       "changes": json.dumps([[c, h, True] for c, h in sorted(cells)])})
    assert response.status_code == 302, page_text(response)[-400:]
    db.session.refresh(order)
    # Every cell is in the order as TAK spells the addressee, except those the consumer already has.
    already = live_pairs(CallAuthorization, CallAuthorization.consumer_id == consumer.id)
    assert {(c, h) for c, h in order.content["cells"]["add"]} == cells - already


def test_consumer_search_path(app, imported, accounts):
    client = log_in(app.test_client(), accounts[ORDERER])
    order, _ = draft_for(client, "/producent/", imported, "SE5565594230-BCQ")
    missing = []
    for hsa_id in accepted_ids("tjanstekomponent"):
        found = client.get(f"/producent/{order.number}/sok/konsument", query_string={"q": hsa_id}).get_json()
        if not any(f"[{hsa_id.lower()}]" in result["label"].lower() for result in found["results"]):
            missing.append(hsa_id)
    assert missing == []
