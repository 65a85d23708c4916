"""The TAK JSON order: TAK's schema, the shape of the national tool's real orders, and access."""
import datetime as dt
import json

import jsonschema
import pytest
import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import (
    CallAuthorization,
    Environment,
    InstalledContract,
    LogicalAddress,
    Order,
    Organisation,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    ServiceDomain,
    System,
    SystemInstance,
    User,
)
from models.orders import SUBMITTED
from ordering import producer_order as po
from ordering.tak_json import tak_order

from .conftest import SHARED, shared_file

TAK = SHARED / "reference" / "tak"
def today():
    return swedish_today()  # read when used: a run may pass midnight


def schema_for_real_orders():
    """TAK's schema file, corrected where the real orders (and TAK's import) disagree with it:
    formatVersion/version are strings, the timestamps are yyyy-MM-ddTHH:mm:ss+0000 (the file's
    type "date" is not JSON Schema), and an excluded vagval has no adress."""
    schema = json.loads(shared_file(TAK / "jsonBestallningSchema.json").read_text(encoding="utf-8"))
    for key in ("formatVersion", "version"):
        schema["properties"][key] = {"type": "string"}
    for key in ("bestallningsTidpunkt", "genomforandeTidpunkt"):
        schema["properties"][key] = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$"}
    excluded_vagval = dict(schema["definitions"]["vagval"])
    excluded_vagval["required"] = [key for key in excluded_vagval["required"] if key != "adress"]
    schema["properties"]["exkludera"]["properties"]["vagval"]["items"] = excluded_vagval
    return schema


def instance(hsa_id, organisation, system, other, environment):
    return SystemInstance(hsa_id=hsa_id, organisation=organisation, system=system, other_info=other,
                          environments=[environment])


def sent_order(environment, producer, content, orderer="Test Testsson"):
    user = db.session.scalar(sa.select(User)) or User(role="orderer", name=orderer, email="t@example.se")
    order = Order(kind="producer", status="draft", environment=environment, system_instance=producer,
                  orderer=user, orderer_name=orderer, content=content, other_info="x")
    db.session.add(order)
    db.session.flush()
    order.number = order.id
    po.freeze_facts(order)
    order.status = SUBMITTED
    order.submitted_at = dt.datetime.now(dt.timezone.utc)
    db.session.commit()
    return order


def comparable(document):
    """Without what legitimately differs (time, orderer, comment), lists in a stable order."""
    document = {k: v for k, v in document.items()
                if k not in ("bestallningsTidpunkt", "genomforandeTidpunkt", "utforare", "kommentar")}
    for side in ("inkludera", "exkludera"):
        document[side] = {key: sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
                          for key, items in document[side].items()}
    return document


def contract_in(environment, namespace, name, major):
    domain_ns = namespace.removeprefix("urn:riv:").split(":" + name)[0]
    domain = db.session.scalar(sa.select(ServiceDomain).filter_by(namespace=domain_ns)) or ServiceDomain(
        namespace=domain_ns)
    contract = ServiceContract(namespace=namespace, name=name, major=major, minor=0, domain=domain)
    db.session.add_all([contract, InstalledContract(environment=environment, contract=contract)])
    return contract


def test_new_producer_with_consumer_equals_real_order_bs_14620(app):
    real = json.loads(shared_file(TAK / "orders" / "BS-14620.json").read_text(encoding="utf-8"))
    prod = Environment(platform="NTJP", name="PROD")
    inera, certificates = Organisation(org_number="5565594230", name="Inera AB"), System(name="Intygstjänster")
    consumer = instance("SE5565594230-B31", inera, certificates, "Intygstjänsten och Mina Intyg", prod)
    producer = instance("SE5565594230-B8N", inera, certificates, "Webcert", prod)
    contract_in(prod, "urn:riv:clinicalprocess:healthcond:certificate:SendMessageToCareResponder:2",
                "SendMessageToCare", 2)
    db.session.add_all([prod, consumer, producer, RivtaProfile(name="RIVTABP21")])
    db.session.commit()
    contract = db.session.scalars(sa.select(ServiceContract)).one()
    entry = {**po.contract_entry(contract), "profile": "RIVTABP21",
             "url": "https://webcert.ntjp.intygstjanster.se/services/send-message-to-care/v2.0"}
    order = sent_order(prod, producer, {
        "mode": "add", "contracts": [entry], "consumer_choice": "together",
        "add_addresses": [{"hsa_id": "SE165565594230-WEBCERT02001", "name": "Inera WebCert - Privatläkare 2001",
                           "new": True}],
        "consumers": [{"id": consumer.id, "hsa_id": consumer.hsa_id, "description": consumer.description}]})
    ours = tak_order(order, po.change_set(order))
    assert comparable(ours) == comparable(real)
    jsonschema.validate(ours, schema_for_real_orders())
    jsonschema.validate(real, schema_for_real_orders())


def test_removal_equals_real_order_806(app):
    real = json.loads(shared_file(TAK / "orders" / "order-806.json").read_text(encoding="utf-8"))
    sll = Environment(platform="SLL", name="PROD")
    region, cosmic = Organisation(org_number="2321000016", name="Region Stockholm"), System(name="TakeCare")
    producer = instance("SE2321000016-CZVQ", region, cosmic, "Tidbok", sll)
    consumer = SystemInstance(hsa_id="HSASERVICES-106J", tak_description="Tjänster", environments=[sll])
    contract = contract_in(sll, "urn:riv:crm:scheduling:CancelBookingResponder:1", "CancelBooking", 1)
    profile = RivtaProfile(name="RIVTABP21")
    valid = dict(valid_from=today() - dt.timedelta(days=30), valid_to=today() + dt.timedelta(days=3650))
    addresses = [LogicalAddress(hsa_id=h, name=n) for h, n in (("SE2321000016-7BVK", "VE A"),
                                                               ("SE2321000016-DTZV", "VE B"))]
    db.session.add_all([sll, producer, consumer, profile, *addresses])
    db.session.add_all([ProducerConnection(environment=sll, producer=producer, contract=contract, logical_address=a,
                                           rivta_profile=profile, url="https://tb.example.se", **valid)
                        for a in addresses])
    db.session.add(CallAuthorization(environment=sll, consumer=consumer, contract=contract,
                                     logical_address=addresses[0], **valid))
    db.session.commit()
    order = sent_order(sll, producer, {
        "mode": "remove", "contracts": [po.contract_entry(contract)],
        "remove_addresses": [{"hsa_id": a.hsa_id, "name": a.name} for a in addresses]})
    ours = tak_order(order, po.change_set(order))
    assert comparable(ours) == comparable(real)
    schema = schema_for_real_orders()
    schema["properties"]["plattform"]["enum"].append("SLL-PROD")  # a regional platform of its own
    jsonschema.validate(ours, schema)


def test_timestamps_are_utc_without_colon_and_change_date_is_swedish_midnight(app, catalog):
    order = sent_order(catalog["test"], catalog["producer"], {"mode": "add", "contracts": []})
    order.change_date = dt.date(2027, 6, 1)
    ours = tak_order(order, po.change_set(order))
    assert ours["genomforandeTidpunkt"] == "2027-05-31T22:00:00+0000"
    assert ours["bestallningsTidpunkt"].endswith("+0000") and ours["plattform"] == "NTJP-TEST"


@pytest.fixture
def api_order(app, catalog):
    app.config.update(TAK_API_TOKENS="hemlig-token-1, annan", TAK_CLIENT_IDS="SE5565594230-TAK1",
                      TRUSTED_PROXIES="10.0.0.1")
    contract = catalog["contract"]
    entry = {**po.contract_entry(contract), "profile": "RIVTABP21", "url": "https://ny.example.se"}
    return sent_order(catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry], "add_addresses": [{"hsa_id": "SE2321000016-7P3K", "name": "Ny",
                                                                "new": True}]})


def test_api_serves_sent_orders_to_tak(client, api_order):
    response = client.get(f"/bs-api/api/takOrders/{api_order.number}",
                          headers={"Authorization": "Bearer hemlig-token-1"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["inkludera"]["vagval"][0]["logiskAdress"] == "SE2321000016-7P3K"
    jsonschema.validate(document, schema_for_real_orders())


def test_api_with_a_listed_client_certificate(client, api_order):
    from .test_login import certificate

    ok = client.get(f"/bs-api/api/takOrders/BS-{api_order.number}", environ_base={"REMOTE_ADDR": "10.0.0.1"},
                    headers={"X-SSL-Client-Cert": certificate("SE5565594230-TAK1")})
    assert ok.status_code == 200
    other = client.get(f"/bs-api/api/takOrders/{api_order.number}", environ_base={"REMOTE_ADDR": "10.0.0.1"},
                       headers={"X-SSL-Client-Cert": certificate("SE5565594230-XXXX")})
    assert other.status_code == 403
    forged = client.get(f"/bs-api/api/takOrders/{api_order.number}", environ_base={"REMOTE_ADDR": "10.9.9.9"},
                        headers={"X-SSL-Client-Cert": certificate("SE5565594230-TAK1")})
    assert forged.status_code == 401


def test_api_refuses_others_and_hides_drafts(client, officer_client, api_order):
    assert client.get(f"/bs-api/api/takOrders/{api_order.number}").status_code == 401
    assert client.get(f"/bs-api/api/takOrders/{api_order.number}",
                      headers={"Authorization": "Bearer fel"}).status_code == 403
    assert officer_client.get(f"/bs-api/api/takOrders/{api_order.number}").status_code == 401  # a session is no key
    api_order.status = "draft"
    db.session.commit()
    hidden = client.get(f"/bs-api/api/takOrders/{api_order.number}", headers={"Authorization": "Bearer annan"})
    assert hidden.status_code == 404
    assert hidden.get_data(as_text=True) == f"Beställning {api_order.number} hittades inte"
