"""The change set of producer orders: content + catalog facts → what TAK must include/exclude."""
import pytest

from models.tak_items import Addressee, Authorization, Component, Routing
from ordering.change_set import Connection, Facts, producer_change_set

PRODUCER = {"hsa_id": "SE2321000016-92V4", "description": "Region Stockholm -- TakeCare -- Akut"}
CONSUMER = {"hsa_id": "SE5565594230-B31", "description": "Inera AB -- Intygstjänster -- Mina intyg"}
GBD = "urn:riv:crm:scheduling:GetBookingDetailsResponder:1"
MB = "urn:riv:crm:scheduling:MakeBookingResponder:1"
OLD_URL, NEW_URL = "https://tp.example.se/old", "https://tp.example.se/new"


def contract(namespace, url=NEW_URL, profile="RIVTABP21"):
    return {"namespace": namespace, "name": namespace.split(":")[-2].removesuffix("Responder"), "major": 1,
            "url": url, "profile": profile}


def address(hsa_id, name=""):
    return {"hsa_id": hsa_id, "name": name}


def connected(*pairs, url=NEW_URL, profile="RIVTABP21"):
    return {(namespace.lower(), hsa_id.lower()): Connection(url, profile) for namespace, hsa_id in pairs}


def routing(namespace, hsa_id, url=NEW_URL, profile="RIVTABP21"):
    return Routing(namespace, hsa_id, PRODUCER["hsa_id"], profile, url)


def authorization(namespace, hsa_id, consumer=CONSUMER["hsa_id"]):
    return Authorization(consumer, namespace, hsa_id)


CASES = {
    "new addressee": dict(
        content={"contracts": [contract(GBD)], "add_addresses": [address("SE2321000016-A1", "VE: A")]},
        facts=Facts(),
        routings=[routing(GBD, "SE2321000016-A1")], excluded=[], authorizations=[],
        addresses=[Addressee("SE2321000016-A1", "VE: A")], skipped=[]),
    "already connected for one of two contracts": dict(
        content={"contracts": [contract(GBD), contract(MB)], "add_addresses": [address("SE2321000016-A1")]},
        facts=Facts(connections=connected((GBD, "SE2321000016-A1"))),
        routings=[routing(MB, "SE2321000016-A1")], excluded=[], authorizations=[],
        addresses=[Addressee("SE2321000016-A1", "")], skipped=[(GBD, "SE2321000016-A1")]),
    "removal": dict(
        content={"contracts": [contract(GBD, url="", profile="")], "remove_addresses": [address("SE2321000016-A1")]},
        facts=Facts(connections=connected((GBD, "SE2321000016-A1"), profile="RIVTABP20")),
        routings=[], authorizations=[], addresses=[], skipped=[],
        excluded=[Routing(GBD, "SE2321000016-A1", PRODUCER["hsa_id"], "RIVTABP20", url=None)]),
    "URL change only": dict(
        content={"contracts": [contract(GBD, url=NEW_URL)]},
        facts=Facts(connections=connected((GBD, "SE2321000016-A1"), (GBD, "SE2321000016-A2"), url=OLD_URL),
                    addresses={"se2321000016-a1": {"hsa_id": "SE2321000016-A1", "name": "VE: A"}}),
        routings=[routing(GBD, "SE2321000016-A1"), routing(GBD, "SE2321000016-A2")], excluded=[],
        authorizations=[], skipped=[],
        addresses=[Addressee("SE2321000016-A1", "VE: A"),
                   Addressee("SE2321000016-A2", "")]),
    "consumers on the new addressees only": dict(
        content={"contracts": [contract(GBD), contract(MB)],
                 "add_addresses": [address("SE2321000016-A1"), address("SE2321000016-A2")],
                 "consumers": [CONSUMER]},
        facts=Facts(connections=connected((GBD, "SE2321000016-A2")),
                    authorizations={(CONSUMER["hsa_id"].lower(), MB.lower(), "se2321000016-a1")}),
        routings=[routing(GBD, "SE2321000016-A1"), routing(MB, "SE2321000016-A1"), routing(MB, "SE2321000016-A2")],
        excluded=[], skipped=[(GBD, "SE2321000016-A2")],
        authorizations=[authorization(GBD, "SE2321000016-A1"), authorization(MB, "SE2321000016-A2")],
        addresses=[Addressee("SE2321000016-A1", ""), Addressee("SE2321000016-A2", "")]),
    "nothing twice, whatever the case": dict(
        content={"contracts": [contract(GBD), contract(GBD.upper())],
                 "add_addresses": [address("SE2321000016-A1"), address("se2321000016-a1")]},
        facts=Facts(), routings=[routing(GBD, "SE2321000016-A1")], excluded=[], authorizations=[],
        addresses=[Addressee("SE2321000016-A1", "")], skipped=[]),
}


@pytest.mark.parametrize("name", CASES)
def test_producer_change_set(name):
    case = CASES[name]
    result = producer_change_set(case["content"], PRODUCER, case["facts"])
    assert result.include_routings == case["routings"]
    assert result.exclude_routings == case["excluded"]
    assert result.include_authorizations == case["authorizations"]
    assert result.include_addresses == case["addresses"]
    assert [(s["contract"]["namespace"], s["address"]["hsa_id"]) for s in result.skipped] == case["skipped"]
    if case["routings"]:
        assert Component(PRODUCER["hsa_id"], PRODUCER["description"]) in result.include_components
        assert {c.namespace for c in result.include_contracts} == {r.contract for r in case["routings"]}
    if case["authorizations"]:
        assert Component(CONSUMER["hsa_id"], CONSUMER["description"]) in result.include_components


def test_same_url_again_changes_nothing():
    content = {"contracts": [contract(GBD)], "add_addresses": [address("SE2321000016-A1")]}
    result = producer_change_set(content, PRODUCER, Facts(connections=connected((GBD, "SE2321000016-A1"))))
    assert result.is_empty
    assert result.tak_lists()["inkludera"]["vagval"] == []


def test_updates_are_reported_with_before_and_after():
    content = {"contracts": [contract(GBD, profile="RIVTABP21")]}
    facts = Facts(connections=connected((GBD, "SE2321000016-A1"), url=NEW_URL, profile="RIVTABP20"))
    [update] = producer_change_set(content, PRODUCER, facts).updated_connections
    assert (update["before"], update["after"]) == (Connection(NEW_URL, "RIVTABP20"), Connection(NEW_URL, "RIVTABP21"))


def test_removal_also_excludes_the_consumers_authorisations():
    content = {"contracts": [contract(GBD, url="", profile="")], "remove_addresses": [address("SE2321000016-A1")]}
    facts = Facts(connections=connected((GBD, "SE2321000016-A1")),
                  consumers_of={(GBD.lower(), "se2321000016-a1"): [CONSUMER["hsa_id"]]})
    result = producer_change_set(content, PRODUCER, facts)
    assert result.exclude_authorizations == [authorization(GBD, "SE2321000016-A1")]


def test_facts_survive_storage_as_json():
    import json

    from ordering.change_set import facts_from_json, facts_to_json

    facts = Facts(connections=connected((GBD, "SE2321000016-A1")),
                  authorizations={(CONSUMER["hsa_id"].lower(), GBD.lower(), "se2321000016-a1")},
                  addresses={"se2321000016-a1": {"hsa_id": "SE2321000016-A1", "name": "VE: A"}},
                  consumers_of={(GBD.lower(), "se2321000016-a1"): [CONSUMER["hsa_id"]]})
    assert facts_from_json(json.loads(json.dumps(facts_to_json(facts)))) == facts


# --- Consumer orders: the matrix ---------------------------------------------------------------

from ordering.change_set import consumer_change_set  # noqa: E402

GBD_ENTRY = {"id": 1, "namespace": GBD, "name": "GetBookingDetails", "major": 1}
MB_ENTRY = {"id": 2, "namespace": MB, "name": "MakeBooking", "major": 1}
MATRIX_FACTS = Facts(
    connections=connected((GBD, "SE2321000016-A1"), (GBD, "SE2321000016-A2"), (MB, "SE2321000016-A1")),
    authorizations={(CONSUMER["hsa_id"].lower(), GBD.lower(), "se2321000016-a2")},
    addresses={"se2321000016-a1": {"hsa_id": "SE2321000016-A1", "name": "VE: A"},
               "se2321000016-a2": {"hsa_id": "SE2321000016-A2", "name": "VE: B"}})

MATRIX_CASES = {
    "add": ({"add": [[1, "SE2321000016-A1"]]}, [authorization(GBD, "SE2321000016-A1")], []),
    "remove": ({"remove": [[1, "SE2321000016-A2"]]}, [], [authorization(GBD, "SE2321000016-A2")]),
    "both": ({"add": [[2, "SE2321000016-A1"]], "remove": [[1, "SE2321000016-A2"]]},
             [authorization(MB, "SE2321000016-A1")], [authorization(GBD, "SE2321000016-A2")]),
    "select all in a filtered column: existing and disabled cells are not ordered": (
        {"add": [[1, "SE2321000016-A1"], [1, "SE2321000016-A2"], [2, "SE2321000016-A2"]]},
        [authorization(GBD, "SE2321000016-A1")], []),
    "removing what the consumer does not have changes nothing": ({"remove": [[2, "SE2321000016-A1"]]}, [], []),
}


@pytest.mark.parametrize("name", MATRIX_CASES)
def test_consumer_change_set(name):
    cells, included, excluded = MATRIX_CASES[name]
    result = consumer_change_set({"contracts": [GBD_ENTRY, MB_ENTRY], "cells": cells}, CONSUMER, MATRIX_FACTS)
    assert result.include_authorizations == included
    assert result.exclude_authorizations == excluded
    assert result.include_routings == [] and result.exclude_routings == []
    if included:
        assert result.include_components == [Component(CONSUMER["hsa_id"], CONSUMER["description"])]
