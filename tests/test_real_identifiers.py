"""Every logical address and component id of the real NTJP TEST export that TAK's rule accepts is
accepted by every input path: new addressee, pasted list, the registers, system information, the
consumer matrix and the consumer search. The ids are read from the file itself, not a chosen few."""
import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa

from extensions import db
from forms.identifiers import tak_id_problem
from models import ORDERER, Environment, LogicalAddress, Order, ProducerConnection, SystemInstance
from tak.export import read_export
from tak.importer import import_export

from .conftest import TAKDUMP, csrf_token, log_in, page_text, shared_file
from .test_admin_views import url
from .test_producer_order import start, step_url
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
    start(orderer_client, catalog)
    order = db.session.scalars(sa.select(Order)).one()
    path = step_url(order, "kontrakt")
    orderer_client.post(path, data={"csrf_token": token_of(orderer_client, path),
                                    "contract_ids": [catalog["contract"].id], "go": "next"})
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
    start(orderer_client, catalog)
    order = db.session.scalars(sa.select(Order)).one()
    path = step_url(order, "kontrakt")
    orderer_client.post(path, data={"csrf_token": token_of(orderer_client, path),
                                    "contract_ids": [catalog["contract"].id], "go": "next"})
    ids = addressee_and_component_ids()
    path = step_url(order, "adressater")
    response = orderer_client.post(path, data={
        "csrf_token": token_of(orderer_client, path), "mode": "add", "action": "paste",
        "pasted": "\n".join(f"{hsa_id};Namn {number}" for number, hsa_id in enumerate(ids))})
    assert "Rad " not in page_text(response)
    db.session.refresh(order)
    assert sorted(entry["hsa_id"] for entry in order.content["add_addresses"]) == sorted(i.upper() for i in ids)


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


def test_matrix_path(app, imported, accounts):
    client = log_in(app.test_client(), accounts[ORDERER])
    consumer = db.session.scalar(sa.select(SystemInstance).where(SystemInstance.hsa_id == "SE5565594230-BCQ"))
    client.post("/konsument/", data={"csrf_token": token_of(client, "/konsument/"), "environment_id": imported.id,
                                     "change_date": "", "producer_id": consumer.id, "go": "next"})
    order = db.session.scalars(sa.select(Order)).one()
    today = dt.date.today()
    accepted = {hsa_id.lower() for hsa_id in accepted_ids("logiskadress")}
    cells = {(contract_id, hsa_id) for contract_id, hsa_id in db.session.execute(
        sa.select(ProducerConnection.contract_id, LogicalAddress.hsa_id).join(ProducerConnection.logical_address)
        .where(ProducerConnection.environment_id == imported.id, ProducerConnection.valid_from <= today,
               ProducerConnection.valid_to >= today)) if hsa_id.lower() in accepted}
    assert len({hsa_id for _, hsa_id in cells}) > 100
    path = f"/konsument/{order.number}/matris"
    response = client.post(path, data={"csrf_token": token_of(client, path), "go": "save",
                                       "changes": json.dumps([[c, h, True] for c, h in sorted(cells)])})
    assert response.status_code == 302, page_text(response)[-400:]
    db.session.refresh(order)
    stored = {(c, h) for c, h in order.content["cells"]["add"]} | {(c, h) for c, h in order.content["cells"]["remove"]}
    already = cells - stored
    # Every cell is in the order, except those the consumer already has (no change to order).
    assert all(h in {hsa for _, hsa in cells} for _, h in stored)
    assert len(stored) + len(already) == len(cells) and stored


def test_consumer_search_path(app, imported, accounts):
    client = log_in(app.test_client(), accounts[ORDERER])
    producer = db.session.scalar(sa.select(SystemInstance).where(SystemInstance.hsa_id == "SE5565594230-BCQ"))
    client.post("/producent/", data={"csrf_token": token_of(client, "/producent/"), "environment_id": imported.id,
                                     "change_date": "", "producer_id": producer.id, "go": "next"})
    order = db.session.scalars(sa.select(Order)).one()
    missing = []
    for hsa_id in accepted_ids("tjanstekomponent"):
        found = client.get(f"/producent/{order.number}/sok/konsument", query_string={"q": hsa_id}).get_json()
        if not any(f"[{hsa_id.lower()}]" in result["label"].lower() for result in found["results"]):
            missing.append(hsa_id)
    assert missing == []
