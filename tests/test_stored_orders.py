"""Återställningsbeställning: the inverse of an order's change set, table by table; the round trip
apply → rollback on the real NTJP TEST export; TAK's schema; and the way through the pages."""
import collections
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
    LogicalAddress,
    Order,
    ProducerConnection,
    ServiceContract,
    SystemInstance,
    User,
)
from models._columns import equals_ignoring_case
from models.orders import CONSUMER, PRODUCER, SUBMITTED
from ordering import order_kinds as kinds
from ordering import orders, stored_orders
from ordering import producer_order as po
from ordering.apply import apply_change_set
from ordering.catalog_health import FINDINGS
from ordering.rollback import create_rollback, inverse_change_set
from ordering.tak_json import tak_order
from tak.export import read_export
from tak.importer import import_export

from .conftest import TAKDUMP, csrf_token, page_text, shared_file
from .test_tak_json import schema_for_real_orders

NEW_URL = "https://ny.example.se/tjanst"


def sent(kind, environment, instance, content, user=None):
    user = user or db.session.scalar(sa.select(User)) or User(role="orderer", name="Test", email="t@example.se")
    order = Order(kind=kind, status="draft", environment=environment, system_instance=instance, orderer=user,
                  orderer_name="Test", orderer_email="t@example.se", orderer_phone="010", content=content)
    db.session.add(order)
    db.session.flush()
    order.number = order.id
    kinds.freeze(order)
    order.sent_header = orders.live_header(order)
    order.status, order.submitted_at = SUBMITTED, dt.datetime.now(dt.timezone.utc)
    db.session.commit()
    return order


def inverse(order):
    changes = inverse_change_set(order)
    return {name: sorted((r.contract, r.address, getattr(r, "producer", None) or getattr(r, "consumer", None),
                          getattr(r, "url", None), getattr(r, "profile", None)) for r in getattr(changes, name))
            for name in ("include_routings", "exclude_routings", "include_authorizations", "exclude_authorizations")}


def entry(catalog, url=NEW_URL, profile="RIVTABP21"):
    return {**po.contract_entry(catalog["contract"]), "profile": profile, "url": url}


NS = "urn:riv:crm:scheduling:GetBookingDetailsResponder:1"
OLD_URL = "https://tp.example.se/GetBookingDetails"


# --- The inverse, kind by kind --------------------------------------------------------------------

def test_a_new_connection_is_excluded_again(catalog):
    order = sent(PRODUCER, catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry(catalog, url=OLD_URL)],
        "add_addresses": [{"hsa_id": "SE2321000016-NY1", "name": "Ny", "new": True}]})
    assert inverse(order) == {"include_routings": [], "include_authorizations": [], "exclude_authorizations": [],
                              "exclude_routings": [(NS, "SE2321000016-NY1", "SE2321000016-92V4", None, "RIVTABP21")]}


def test_a_changed_url_goes_back_to_the_old_one(catalog):
    order = sent(PRODUCER, catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry(catalog, profile="RIVTABP21")], "add_addresses": []})
    assert inverse(order)["include_routings"] == [(NS, "SE2321000016-1000", "SE2321000016-92V4", OLD_URL,
                                                   "RIVTABP21")]
    assert inverse(order)["exclude_routings"] == []


def test_a_removed_connection_comes_back_with_its_url_profile_and_authorisations(catalog):
    order = sent(PRODUCER, catalog["test"], catalog["producer"], {
        "mode": "remove", "contracts": [entry(catalog, url="", profile="")],
        "remove_addresses": [{"hsa_id": "SE2321000016-1000", "name": "VG: Region Stockholm"}]})
    assert kinds.change_set(order).exclude_authorizations  # TAK: the authorisations go with the routing
    assert inverse(order) == {
        "include_routings": [(NS, "SE2321000016-1000", "SE2321000016-92V4", OLD_URL, "RIVTABP21")],
        "exclude_routings": [], "exclude_authorizations": [],
        "include_authorizations": [(NS, "SE2321000016-1000", "HSATEST2-C5J", None, None)]}


def test_consumers_ordered_together_lose_what_they_got(catalog):
    order = sent(PRODUCER, catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry(catalog, url=OLD_URL)], "consumer_choice": "together",
        "add_addresses": [{"hsa_id": "SE2321000016-NY2", "name": "Ny", "new": True}],
        "consumers": [{"id": catalog["consumer"].id, "hsa_id": "HSATEST2-C5J", "description": "Intyg"}]})
    assert inverse(order)["exclude_authorizations"] == [(NS, "SE2321000016-NY2", "HSATEST2-C5J", None, None)]


def test_a_consumer_order_is_inverted_cell_by_cell(catalog):
    other = LogicalAddress(hsa_id="SE2321000016-2000", name="Andra")
    db.session.add(ProducerConnection(environment=catalog["test"], producer=catalog["producer"],
                                      contract=catalog["contract"], logical_address=other,
                                      rivta_profile=catalog["profile"], url=OLD_URL,
                                      valid_from=swedish_today(), valid_to=swedish_today() + dt.timedelta(days=99)))
    db.session.commit()
    contract = {**po.contract_entry(catalog["contract"])}
    order = sent(CONSUMER, catalog["test"], catalog["consumer"], {
        "contracts": [contract], "cells": {"add": [[contract["id"], "SE2321000016-2000"]],
                                           "remove": [[contract["id"], "SE2321000016-1000"]]}})
    assert inverse(order) == {
        "include_routings": [], "exclude_routings": [],
        "include_authorizations": [(NS, "SE2321000016-1000", "HSATEST2-C5J", None, None)],
        "exclude_authorizations": [(NS, "SE2321000016-2000", "HSATEST2-C5J", None, None)]}


def test_only_sent_orders_with_changes_can_be_undone(catalog, accounts):
    draft = Order(kind=PRODUCER, status="draft", environment=catalog["test"], system_instance=catalog["producer"],
                  orderer=accounts["orderer"], content={})
    db.session.add(draft)
    db.session.commit()
    with pytest.raises(stored_orders.NotPossible):
        create_rollback(draft, accounts["orderer"])
    nothing = sent(PRODUCER, catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry(catalog, url=OLD_URL)], "add_addresses": []})
    with pytest.raises(stored_orders.NotPossible, match="inga ändringar"):
        create_rollback(nothing, accounts["orderer"])


# --- The round trip on the real export ------------------------------------------------------------

def natural_keys(environment, day):
    routings = collections.Counter(db.session.execute(
        sa.select(sa.func.lower(ServiceContract.namespace), sa.func.lower(LogicalAddress.hsa_id),
                  sa.func.lower(SystemInstance.hsa_id), ProducerConnection.url, ProducerConnection.rivta_profile_id)
        .select_from(ProducerConnection)
        .join(ServiceContract, ProducerConnection.contract_id == ServiceContract.id)
        .join(LogicalAddress, ProducerConnection.logical_address_id == LogicalAddress.id)
        .join(SystemInstance, ProducerConnection.producer_id == SystemInstance.id)
        .where(ProducerConnection.environment_id == environment.id, ProducerConnection.valid_from <= day,
               ProducerConnection.valid_to >= day)).all())
    authorizations = collections.Counter(db.session.execute(
        sa.select(sa.func.lower(ServiceContract.namespace), sa.func.lower(LogicalAddress.hsa_id),
                  sa.func.lower(SystemInstance.hsa_id), CallAuthorization.integration_agreement)
        .select_from(CallAuthorization)
        .join(ServiceContract, CallAuthorization.contract_id == ServiceContract.id)
        .join(LogicalAddress, CallAuthorization.logical_address_id == LogicalAddress.id)
        .join(SystemInstance, CallAuthorization.consumer_id == SystemInstance.id)
        .where(CallAuthorization.environment_id == environment.id, CallAuthorization.valid_from <= day,
               CallAuthorization.valid_to >= day)).all())
    return routings, authorizations


@pytest.fixture
def real(app):
    import_export(read_export(shared_file(TAKDUMP)), "NTJP TEST")
    environment = db.session.scalar(sa.select(Environment).filter_by(name="TEST"))
    today = swedish_today()
    # A producer answering one contract for several addressees, at least one with consumers.
    producer_id, contract_id = db.session.execute(
        sa.select(ProducerConnection.producer_id, ProducerConnection.contract_id)
        .join(CallAuthorization, sa.and_(CallAuthorization.contract_id == ProducerConnection.contract_id,
                                         CallAuthorization.logical_address_id == ProducerConnection.logical_address_id,
                                         CallAuthorization.environment_id == environment.id))
        .where(ProducerConnection.environment_id == environment.id, ProducerConnection.valid_from <= today,
               ProducerConnection.valid_to >= today)
        .group_by(ProducerConnection.producer_id, ProducerConnection.contract_id)
        .having(sa.func.count(sa.distinct(ProducerConnection.logical_address_id)) >= 2)
        .order_by(ProducerConnection.producer_id, ProducerConnection.contract_id).limit(1)).one()
    addresses = db.session.scalars(
        sa.select(LogicalAddress).join(ProducerConnection, ProducerConnection.logical_address_id == LogicalAddress.id).where(
            ProducerConnection.environment_id == environment.id, ProducerConnection.producer_id == producer_id,
            ProducerConnection.contract_id == contract_id, ProducerConnection.valid_to >= today)
        .order_by(LogicalAddress.id)).unique().all()
    authorised = db.session.scalar(sa.select(CallAuthorization.logical_address_id).where(
        CallAuthorization.environment_id == environment.id, CallAuthorization.contract_id == contract_id,
        CallAuthorization.logical_address_id.in_([a.id for a in addresses])).limit(1))
    unconnected = db.session.scalar(sa.select(LogicalAddress).where(
        LogicalAddress.id.not_in([a.id for a in addresses])).order_by(LogicalAddress.id).limit(1))
    return {"environment": environment, "producer": db.session.get(SystemInstance, producer_id),
            "contract": db.session.get(ServiceContract, contract_id), "addresses": addresses,
            "authorised": db.session.get(LogicalAddress, authorised), "unconnected": unconnected}


def assert_as_tak_would_accept(document):
    """TAK's schema, and every listed item as the catalogue has it: a contract with its own major
    version and name, addressees and components with their names."""
    jsonschema.validate(json.loads(json.dumps(document)), schema_for_real_orders())
    included = document["inkludera"]
    for item in included["tjanstekontrakt"]:
        contract = db.session.scalar(sa.select(ServiceContract).where(
            equals_ignoring_case(ServiceContract.namespace, item["namnrymd"])))
        assert (item["beskrivning"], item["majorVersion"]) == (contract.name, contract.major), item
    for item in included["logiskadresser"]:
        address = db.session.scalar(sa.select(LogicalAddress).where(
            equals_ignoring_case(LogicalAddress.hsa_id, item["hsaId"])))
        assert item["beskrivning"] == (address.name if address else item["beskrivning"]), item
    for item in included["tjanstekomponenter"]:
        instance = db.session.scalar(sa.select(SystemInstance).where(
            equals_ignoring_case(SystemInstance.hsa_id, item["hsaId"])))
        assert item["beskrivning"] == instance.description, item
    named = {(key, item.get("hsaId") or item.get("namnrymd")) for key in ("tjanstekontrakt", "logiskadresser",
                                                                         "tjanstekomponenter")
             for item in included[key]}
    for routing in included["vagval"]:  # TAK refuses a reference to what it does not know
        assert ("tjanstekontrakt", routing["tjanstekontrakt"]) in named
        assert ("logiskadresser", routing["logiskAdress"]) in named
        assert ("tjanstekomponenter", routing["tjanstekomponent"]) in named
    for authorization in included["anropsbehorigheter"]:
        assert ("tjanstekontrakt", authorization["tjanstekontrakt"]) in named
        assert ("logiskadresser", authorization["logiskAdress"]) in named
        assert ("tjanstekomponenter", authorization["tjanstekonsument"]) in named


def round_trip(real, content, kind=PRODUCER, instance=None):
    environment = real["environment"]
    ordered, undone = swedish_today() + dt.timedelta(days=7), swedish_today() + dt.timedelta(days=14)
    before = natural_keys(environment, undone)
    order = sent(kind, environment, instance or real["producer"], content)
    apply_change_set(order, kinds.change_set(order), ordered)
    assert natural_keys(environment, undone) != before  # the order changed something
    user = db.session.scalar(sa.select(User))
    rollback = create_rollback(order, user)
    rollback.status, rollback.submitted_at = SUBMITTED, dt.datetime.now(dt.timezone.utc)
    rollback.sent_header = order.sent_header
    db.session.commit()
    changes = kinds.change_set(rollback)
    assert_as_tak_would_accept(tak_order(rollback, changes))
    apply_change_set(rollback, changes, undone)
    db.session.commit()
    assert natural_keys(environment, undone) == before
    return rollback


def test_round_trip_new_addressees_and_a_changed_url(real):
    contract = {**po.contract_entry(real["contract"]), "profile": "RIVTABP21", "url": "https://ny.example.se/a"}
    round_trip(real, {"mode": "add", "contracts": [contract],
                      "add_addresses": [{"hsa_id": real["unconnected"].hsa_id, "name": real["unconnected"].name},
                                        {"hsa_id": "SE0000000000-ROLLBACK1", "name": "Ny", "new": True}]})


def test_round_trip_removal_with_its_authorisations(real):
    contract = {**po.contract_entry(real["contract"]), "profile": "", "url": ""}
    address = real["authorised"]
    round_trip(real, {"mode": "remove", "contracts": [contract],
                      "remove_addresses": [{"hsa_id": address.hsa_id, "name": address.name}]})


def test_round_trip_consumer_cells(real):
    authorised = db.session.scalars(sa.select(CallAuthorization).where(
        CallAuthorization.environment_id == real["environment"].id,
        CallAuthorization.contract_id == real["contract"].id,
        CallAuthorization.logical_address_id == real["authorised"].id)).first()
    consumer = authorised.consumer
    has = set(db.session.scalars(sa.select(CallAuthorization.logical_address_id).where(
        CallAuthorization.consumer_id == consumer.id, CallAuthorization.contract_id == real["contract"].id)))
    new_cell = next(a for a in real["addresses"] if a.id not in has)
    contract = po.contract_entry(real["contract"])
    round_trip(real, {"contracts": [contract], "cells": {
        "add": [[contract["id"], new_cell.hsa_id]], "remove": [[contract["id"], real["authorised"].hsa_id]]}},
        kind=CONSUMER, instance=consumer)


# --- Through the pages -------------------------------------------------------------------------

def test_the_orderer_undoes_a_sent_order_through_the_normal_flow(app, orderer_client, officer_client, catalog,
                                                                 accounts):
    order = sent(PRODUCER, catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry(catalog, url=OLD_URL)],
        "add_addresses": [{"hsa_id": "SE2321000016-NY3", "name": "Ny", "new": True}]}, user=accounts["orderer"])
    details = orderer_client.get(f"/mina-bestallningar/{order.number}")
    assert "Skapa återställningsbeställning" in page_text(details)
    created = orderer_client.post(f"/mina-bestallningar/{order.number}/aterstall",
                                  data={"csrf_token": csrf_token(details.get_data(as_text=True))})
    draft = db.session.scalar(sa.select(Order).where(Order.kind == "rollback"))
    assert created.headers["Location"].endswith(f"/aterstallning/{draft.number}/bestallare")
    assert draft.other_info == f"Återställer {order.display_number}." and draft.status == "draft"
    summary = orderer_client.get(f"/aterstallning/{draft.number}/sammanfattning")
    text = page_text(summary)
    assert f"Återställer {order.display_number}" in text
    assert "Producentanslutningar som tas bort" in text and "SE2321000016-NY3" in text
    orderer_client.post(f"/aterstallning/{draft.number}/bestall",
                        data={"csrf_token": csrf_token(summary.get_data(as_text=True))})
    db.session.expire_all()
    assert db.session.get(Order, draft.id).status == SUBMITTED
    case = page_text(officer_client.get(f"/kundservice/bestallning/{draft.number}"))
    assert f"Återställer {order.display_number}" in case and "Återställning" in case
    tak = json.loads(officer_client.get(f"/kundservice/bestallning/{draft.number}/tak.json").get_data(as_text=True))
    assert tak["exkludera"]["vagval"][0]["logiskAdress"] == "SE2321000016-NY3"


def test_a_draft_or_someone_elses_order_cannot_be_undone(app, orderer_client, catalog, accounts):
    other = User(role="orderer", name="Annan", email="annan@example.se")
    db.session.add(other)
    db.session.commit()
    foreign = sent(PRODUCER, catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry(catalog, url=OLD_URL)],
        "add_addresses": [{"hsa_id": "SE2321000016-NY4", "name": "Ny", "new": True}]}, user=other)
    token = csrf_token(orderer_client.get("/mina-bestallningar/").get_data(as_text=True))
    assert orderer_client.post(f"/mina-bestallningar/{foreign.number}/aterstall",
                               data={"csrf_token": token}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Order).where(Order.kind == "rollback")) == 0


def _done(order, start):
    order.status, order.submitted_at = SUBMITTED, dt.datetime.now(dt.timezone.utc)
    order.sent_header = orders.live_header(order)
    kinds.freeze(order)
    db.session.commit()
    changes = kinds.change_set(order)
    assert_as_tak_would_accept(tak_order(order, changes))
    apply_change_set(order, changes, start)
    db.session.commit()


def test_a_rollback_can_itself_be_undone(real):
    environment = real["environment"]
    first, second, third = (swedish_today() + dt.timedelta(days=n) for n in (7, 14, 21))
    contract = {**po.contract_entry(real["contract"]), "profile": "RIVTABP21", "url": "https://ny.example.se/b"}
    order = sent(PRODUCER, environment, real["producer"], {"mode": "add", "contracts": [contract], "add_addresses": [
        {"hsa_id": real["unconnected"].hsa_id, "name": real["unconnected"].name}]})
    apply_change_set(order, kinds.change_set(order), first)
    user = order.orderer
    ordered = natural_keys(environment, third)
    rollback = create_rollback(order, user)
    _done(rollback, second)
    assert natural_keys(environment, third) != ordered
    _done(create_rollback(rollback, user), third)
    assert natural_keys(environment, third) == ordered  # the new address and the new URL are back


@pytest.mark.parametrize("key", [finding.key for finding in FINDINGS if finding.cleanable])
def test_a_clean_up_of_the_real_export_can_be_undone(real, key):
    from ordering import catalog_health

    environment, user = real["environment"], db.session.scalar(sa.select(User)) or User(
        role="customer_service", name="Kim", email="kim@example.se", phone="010")
    db.session.add(user)
    cleaned, undone = swedish_today() + dt.timedelta(days=7), swedish_today() + dt.timedelta(days=14)
    before = natural_keys(environment, undone)
    finding = catalog_health.FINDINGS_BY_KEY[key]
    ids = catalog_health.chosen_rows(finding, environment.id, swedish_today())
    assert ids  # the real export has such rows
    cleanup = stored_orders.create_cleanup(finding, environment, user, ids)
    _done(cleanup, cleaned)
    assert catalog_health.chosen_rows(finding, environment.id, undone) == []  # the finding is gone that day
    _done(create_rollback(cleanup, user), undone)
    assert natural_keys(environment, undone) == before


# --- A kept change set changes only the environment it was checked against ----------------------

def test_a_kept_change_set_is_never_copied_to_another_environment(orderer_client, catalog, accounts):
    order = sent(PRODUCER, catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry(catalog, url=OLD_URL)],
        "add_addresses": [{"hsa_id": "SE2321000016-NY5", "name": "Ny", "new": True}]}, user=accounts["orderer"])
    rollback = create_rollback(order, accounts["orderer"])
    rollback.status, rollback.submitted_at = SUBMITTED, dt.datetime.now(dt.timezone.utc)
    rollback.sent_header = orders.live_header(rollback)
    db.session.commit()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Order))
    details = orderer_client.get(f"/mina-bestallningar/{rollback.number}")
    answer = orderer_client.post(f"/mina-bestallningar/{rollback.number}/kopiera", data={
        "csrf_token": csrf_token(details.get_data(as_text=True)), "environment_id": catalog["qa"].id},
        follow_redirects=True)
    assert "kan inte beställas i en annan miljö" in page_text(answer)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == count


def test_a_kept_change_set_moved_to_another_environment_is_neither_sent_nor_applied(catalog, accounts):
    from ordering import lifecycle

    order = sent(PRODUCER, catalog["test"], catalog["producer"], {
        "mode": "add", "contracts": [entry(catalog, url=OLD_URL)],
        "add_addresses": [{"hsa_id": "SE2321000016-NY6", "name": "Ny", "new": True}]}, user=accounts["orderer"])
    rollback = create_rollback(order, accounts["orderer"])
    rollback.environment = catalog["qa"]  # however it happened: a bug, a hand-edited row
    db.session.commit()
    assert any("kontrollerades mot en annan miljö" in problem for problem in kinds.send_problems(rollback))
    rollback.status, rollback.submitted_at = SUBMITTED, dt.datetime.now(dt.timezone.utc)
    rollback.sent_header = orders.live_header(rollback)
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(ProducerConnection))
    with pytest.raises(lifecycle.TransitionError, match="kontrollerades mot en annan miljö"):
        lifecycle.mark_done(rollback, accounts["customer_service"], "", "https://bs.example.se/x")
    assert db.session.get(Order, rollback.id).status == SUBMITTED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProducerConnection)) == before
