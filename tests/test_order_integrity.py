"""An order is what the orderer ordered: every posted value checked, a sent order frozen, numbers
never reused."""
import json

import pytest
import sqlalchemy as sa

from extensions import db
from models import Environment, LogicalAddress, Order, ServiceContract, SystemInstance

from .conftest import page_text
from .test_back_office import send
from .test_producer_order import NEW_ADDRESS, build_order, current_addresses, post_step, start, step_url, the_order


def tak_json(client, order):
    return client.get(f"/kundservice/bestallning/{order.number}/tak.json").get_data(as_text=True)


def views_of(orderer_client, officer_client, order):
    return {
        "details": page_text(orderer_client.get(f"/mina-bestallningar/{order.number}")),
        "printout": page_text(orderer_client.get(f"/mina-bestallningar/{order.number}/utskrift")),
        "list": page_text(orderer_client.get("/mina-bestallningar/")),
        "back office": page_text(officer_client.get(f"/kundservice/bestallning/{order.number}")),
        "queue": page_text(officer_client.get("/admin/backoffice/")),
    }


def test_a_sent_order_never_changes_whatever_happens_to_its_data(orderer_client, officer_client, catalog):
    order = send(orderer_client, build_order(orderer_client, catalog, consumers=(catalog["consumer"].id,)))
    assert order.status == "submitted"
    before_json = tak_json(officer_client, order)
    assert "SE2321000016-92V4" in before_json and "HSATEST2-C5J" in before_json
    before_views = views_of(orderer_client, officer_client, order)

    # Everything the order refers to is edited afterwards.
    producer, consumer = catalog["producer"], catalog["consumer"]
    producer.hsa_id, consumer.hsa_id = "SE2321000016-NYTT", "HSATEST2-NYTT"
    consumer.tak_description = "Bytt beskrivning"
    catalog["contract"].name, catalog["contract"].namespace = "Omdöpt", "urn:riv:crm:scheduling:OmdoptResponder:1"
    catalog["address"].name = "Nytt namn på adressaten"
    catalog["test"].name = "TESTNY"
    db.session.commit()
    address = db.session.scalar(sa.select(LogicalAddress).filter_by(hsa_id=NEW_ADDRESS))
    assert address is None  # the new addressee exists only in the order until it is done

    assert tak_json(officer_client, order) == before_json  # byte for byte
    after_views = views_of(orderer_client, officer_client, order)
    for name in ("details", "printout", "back office"):
        assert after_views[name] == before_views[name], name
    for name in ("list", "queue"):
        assert "SE2321000016-92V4" in after_views[name] and "NTJP TEST" in after_views[name], name
        assert "SE2321000016-NYTT" not in after_views[name], name


def test_order_numbers_are_never_reused(orderer_client, catalog):
    start(orderer_client, catalog)
    first = the_order()
    number = first.number
    token_page = orderer_client.get("/mina-bestallningar/").get_data(as_text=True)
    assert first.display_number in token_page
    db.session.delete(first)  # the newest draft goes
    db.session.commit()
    start(orderer_client, catalog)
    assert the_order().number > number


# --- Hand-made requests get the same refusal as a person, and nothing is stored -----------------

def addresses_step(client, catalog):
    start(client, catalog)
    order = the_order()
    post_step(client, step_url(order, "kontrakt"), {"contract_ids": [catalog["contract"].id], "go": "next"})
    return order


@pytest.mark.parametrize("posted, problem", [
    ({"add_hsa_id": ["SE2321000016-Å1"], "add_name": ["X"], "add_new": ["1"]}, "å, ä eller ö"),
    ({"add_hsa_id": ["NY-UTAN-NAMN"], "add_name": [""], "add_new": ["1"]}, "ange ett namn"),
    ({"add_hsa_id": ["NY-LANGT-NAMN"], "add_name": ["x" * 256], "add_new": ["1"]}, "högst 255 tecken"),
    ({"add_hsa_id": [f"NY-{n}" for n in range(5001)], "add_name": ["x"] * 5001, "add_new": ["1"] * 5001},
     "högst 5000 logiska adressater"),
    ({"remove_hsa_id": ["SE2321000016-INTEANSLUTEN"], "mode": "remove"}, "inte ansluten"),
])
def test_tampered_hidden_addressees_are_refused(orderer_client, catalog, posted, problem):
    order = addresses_step(orderer_client, catalog)
    response = post_step(orderer_client, step_url(order, "adressater"), {"mode": "add", "go": "next", **posted})
    assert problem in page_text(response)
    db.session.refresh(order)
    stored = order.content.get("add_addresses", []) + order.content.get("remove_addresses", [])
    assert stored == []
    assert not any(entry["hsa_id"] in posted.get("add_hsa_id", []) + posted.get("remove_hsa_id", [])
                   for entry in stored)


def test_an_existing_addressee_cannot_be_added_as_new_under_another_name(orderer_client, catalog):
    order = addresses_step(orderer_client, catalog)
    refused = post_step(orderer_client, step_url(order, "adressater"), {
        "mode": "add", "go": "save", "add_hsa_id": ["se2321000016-1000"], "add_name": ["Falskt namn"],
        "add_new": ["1"]})
    assert "kan inte beställas som ny adressat med ett annat namn" in page_text(refused)
    db.session.refresh(order)
    assert order.content["add_addresses"] == []


def test_a_typed_but_not_added_addressee_is_added_by_next(orderer_client, catalog):
    order = addresses_step(orderer_client, catalog)
    response = post_step(orderer_client, step_url(order, "adressater"), {
        "mode": "add", "go": "next", "new_hsa_id": "vs0001", "new_name": "Vårdsystem 1"})
    assert response.status_code == 302 and response.location.endswith("/url")
    db.session.refresh(order)
    assert order.content["add_addresses"] == [{"hsa_id": "VS0001", "name": "Vårdsystem 1", "new": True}]


def test_a_typed_addressee_with_a_fault_stops_next_and_stays(orderer_client, catalog):
    order = addresses_step(orderer_client, catalog)
    response = post_step(orderer_client, step_url(order, "adressater"), {
        "mode": "add", "go": "next", "new_hsa_id": "NYTT-ID", "new_name": ""})
    assert response.status_code == 200
    assert "Ange namn på den logiska adressaten." in page_text(response)
    assert 'value="NYTT-ID"' in response.get_data(as_text=True)


def test_an_invalid_url_does_not_overwrite_the_saved_one(orderer_client, catalog):
    order = build_order(orderer_client, catalog, url="https://ny.example.se/GetBookingDetails")
    contract_id = catalog["contract"].id
    response = post_step(orderer_client, step_url(order, "url"), {
        f"url_{contract_id}": "tp.example.se/x", f"profile_{contract_id}": "RIVTABP21", "go": "next"})
    assert "börjar med http:// eller https://" in page_text(response)
    assert 'value="tp.example.se/x"' in response.get_data(as_text=True)  # what was typed stays on the page
    db.session.refresh(order)
    assert order.content["contracts"][0]["url"] == "https://ny.example.se/GetBookingDetails"


def test_consumers_must_exist_and_be_connected(orderer_client, catalog):
    order = build_order(orderer_client, catalog)
    elsewhere = SystemInstance(hsa_id="SE2321000016-ANNAN", environments=[catalog["qa"]])
    db.session.add(elsewhere)
    db.session.commit()
    for ids in ([elsewhere.id], [2**31 + 5], ["x"]):
        response = post_step(orderer_client, step_url(order, "konsumenter"), {
            "consumer_choice": "together", "consumer_ids": ids, "go": "next"})
        assert "finns inte eller är inte ansluten" in page_text(response) or "Ogiltigt värde" in page_text(response)
    db.session.refresh(order)
    assert order.content.get("consumers", []) == []


@pytest.mark.parametrize("changes", [
    "null", "[null]", "[[1]]", '{"a": 1}', "[" * 5000 + "]" * 5000, '[[1, "x", "ja"]]', "[[true, \"x\", true]]",
    json.dumps([[2**40, "SE2321000016-1000", True]]), json.dumps([[1, "x" * 300, True]]),
])
def test_malformed_matrix_json_is_a_swedish_400(orderer_client, catalog, changes):
    from .test_consumer_order import start_consumer

    start_consumer(orderer_client, catalog)
    order = the_order()
    response = post_step(orderer_client, f"/konsument/{order.number}/matris", {"changes": changes, "go": "next"})
    assert response.status_code == 400
    assert "matrisen" in page_text(response)
    db.session.refresh(order)
    assert order.content["cells"] == {"add": [], "remove": []}


def test_matrix_cell_of_an_unknown_addressee_or_contract_is_refused(orderer_client, catalog):
    from .test_consumer_order import start_consumer

    start_consumer(orderer_client, catalog)
    order = the_order()
    not_installed = ServiceContract(namespace="urn:riv:crm:scheduling:XResponder:1", name="X", major=1, minor=0,
                                    domain=catalog["domain"])
    db.session.add(not_installed)
    db.session.commit()
    for cell, message in (([catalog["contract"].id, "FINNS-INTE", True], "finns inte som logisk adressat"),
                          ([not_installed.id, "SE2321000016-1000", True], "finns inte installerat")):
        response = post_step(orderer_client, f"/konsument/{order.number}/matris",
                             {"changes": json.dumps([cell]), "go": "next"})
        assert response.status_code == 400 and message in page_text(response)
    db.session.refresh(order)
    assert order.content["cells"] == {"add": [], "remove": []}


def test_first_step_refuses_an_unknown_environment(orderer_client, catalog):
    response = start(orderer_client, catalog, environment_id=str(2**31 - 1))
    assert "Välj miljö." in page_text(response)
    inactive = Environment(platform="NTJP", name="GAMMAL", active=False)
    db.session.add(inactive)
    db.session.commit()
    response = start(orderer_client, catalog, environment_id=inactive.id)
    assert "Välj miljö." in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 0


def test_the_new_addressee_reaches_the_order_as_tak_will_store_it(orderer_client, catalog):
    order = build_order(orderer_client, catalog, addresses=({"hsa_id": "t_services_se165565594230-1023",
                                                             "name": "Tjänst"},))
    assert [a["hsa_id"] for a in order.content["add_addresses"]] == ["T_SERVICES_SE165565594230-1023"]
    assert current_addresses(order)["add_new"] == ["1"]
