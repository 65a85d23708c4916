"""The order's transitions, called without any request: status, history, mails in the outbox,
the catalog applied."""
import datetime as dt

import pytest
import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import CUSTOMER_SERVICE, CallAuthorization, LogicalAddress, Order, OutboundEmail, ProducerConnection
from ordering import lifecycle
from ordering import producer_order as po
from ordering.orders import create_draft, save_draft
from ordering.rollback import create_rollback

from .conftest import csrf_token, page_text

ORDER_URL, CASE_URL = "https://bs.example.se/mina-bestallningar/x", "https://bs.example.se/kundservice/x"


@pytest.fixture
def draft(catalog, accounts):
    entry = {**po.contract_entry(catalog["contract"]), "profile": "RIVTABP21", "url": "https://ny.example.se/x"}
    order = create_draft("producer", accounts["orderer"], environment_id=catalog["test"].id,
                         system_instance_id=catalog["producer"].id)
    save_draft(order, content={"mode": "add", "contracts": [entry],
                               "add_addresses": [{"hsa_id": "SE2321000016-7P3K", "name": "Ny", "new": True}]},
               orderer_name="Anna", orderer_email="anna@region.example", orderer_phone="1")
    return order


def outbox():
    return db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)).all()


def test_submit_freezes_and_queues_both_mails_once(draft, accounts):
    assert lifecycle.submit(draft, accounts["orderer"], ORDER_URL, CASE_URL) is True
    assert lifecycle.submit(draft, accounts["orderer"], ORDER_URL, CASE_URL) is False  # the second click
    order = db.session.get(Order, draft.id)
    assert order.status == "submitted" and order.sent_header["hsa_id"] == "SE2321000016-92V4"
    assert "facts" in order.content and "se2321000016-7p3k" in order.search_text
    assert [h.to_status for h in order.history] == ["draft", "submitted"]
    mails = outbox()
    assert [m.recipients for m in mails] == [["kundservice@localhost"], ["anna@region.example"]]
    assert CASE_URL in mails[0].text_body and ORDER_URL in mails[1].text_body


def test_handling_done_applies_the_catalog_and_mails_the_orderer(draft, accounts):
    officer = accounts[CUSTOMER_SERVICE]
    lifecycle.submit(draft, accounts["orderer"], ORDER_URL, CASE_URL)
    lifecycle.start_handling(draft, officer)
    lifecycle.record_case_number(draft, "INC-1", officer, ORDER_URL)
    lifecycle.change_status(draft, "done", officer, "Klart", ORDER_URL)
    order = db.session.get(Order, draft.id)
    assert order.status == "done" and [h.to_status for h in order.history][-1] == "done"
    urls = {c.url for c in db.session.scalars(sa.select(ProducerConnection))}
    assert "https://ny.example.se/x" in urls
    assert [m.subject for m in outbox()][-2:] == [f"Bekräftelse och ärendenummer för beställning {order.display_number}",
                                                  f"Beställning {order.display_number} är genomförd"]


def test_reject_needs_a_reason_and_withdraw_only_before_handling(draft, accounts):
    officer = accounts[CUSTOMER_SERVICE]
    lifecycle.submit(draft, accounts["orderer"], ORDER_URL, CASE_URL)
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.reject(draft, officer, "", ORDER_URL)
    lifecycle.reject(draft, officer, "Fel miljö", ORDER_URL)
    assert "Fel miljö" in outbox()[-1].text_body
    assert lifecycle.withdraw(draft, accounts["orderer"]) is False
    other = create_draft("producer", accounts["orderer"])
    assert lifecycle.withdraw(other, accounts["orderer"]) is True
    assert db.session.get(Order, other.id).status == "cancelled"


def test_every_order_kind_implements_the_interface():
    import inspect

    from models.orders import KIND_LABELS
    from ordering.order_kinds import KINDS, OrderKind

    assert set(KINDS) == set(KIND_LABELS)
    wanted = {name: list(inspect.signature(function).parameters)[1:]  # without the protocol's self
              for name, function in vars(OrderKind).items() if inspect.isfunction(function) and name[0] != "_"}
    for kind, module in KINDS.items():
        for name, parameters in wanted.items():
            assert list(inspect.signature(getattr(module, name)).parameters) == parameters, (kind, name)


# --- Genomförd whatever the catalogue has become --------------------------------------------------

def _consumer_draft(catalog, accounts):
    entry = po.contract_entry(catalog["contract"])
    order = create_draft("consumer", accounts["orderer"], environment_id=catalog["test"].id,
                         system_instance_id=catalog["consumer"].id)
    other = LogicalAddress(hsa_id="SE2321000016-2000", name="Andra")
    db.session.add(ProducerConnection(environment=catalog["test"], producer=catalog["producer"],
                                      contract=catalog["contract"], logical_address=other,
                                      rivta_profile=catalog["profile"], url="https://tp.example.se/b",
                                      valid_from=swedish_today(), valid_to=swedish_today() + dt.timedelta(days=99)))
    db.session.commit()
    save_draft(order, content={"contracts": [entry], "cells": {"add": [[entry["id"], "SE2321000016-2000"]],
                                                               "remove": []}},
               orderer_name="Anna", orderer_email="anna@region.example", orderer_phone="1")
    return order


def _rollback_draft(catalog, accounts):
    order = _consumer_draft(catalog, accounts)
    lifecycle.submit(order, accounts["orderer"], ORDER_URL, CASE_URL)
    rollback = create_rollback(db.session.get(Order, order.id), accounts["orderer"])
    return rollback


# What a catalogue can lose between Beställ and Genomförd: renamed, the order's identifier is gone.
LOSSES = {
    "tjänstekontraktet": lambda catalog: setattr(catalog["contract"], "namespace", "urn:riv:borta:GoneResponder:1"),
    "tjänstekomponenten": lambda catalog: (setattr(catalog["producer"], "hsa_id", "SE2321000016-BORTA"),
                                           setattr(catalog["consumer"], "hsa_id", "SE2321000016-BORTA2")),
    "RIVTA-profilen": lambda catalog: setattr(catalog["profile"], "name", "RIVTABP99"),
    "logiska adressaten": lambda catalog: setattr(db.session.scalar(sa.select(LogicalAddress).filter_by(
        hsa_id="SE2321000016-2000")), "hsa_id", "SE2321000016-BORTA3"),
}


@pytest.mark.parametrize("lost", sorted(LOSSES))
@pytest.mark.parametrize("kind", ["producer", "consumer", "rollback"])
def test_done_refuses_in_swedish_and_changes_nothing_when_the_catalogue_lacks_an_item(
        catalog, accounts, draft, kind, lost):
    officer = accounts[CUSTOMER_SERVICE]
    order = {"producer": lambda: draft, "consumer": lambda: _consumer_draft(catalog, accounts),
             "rollback": lambda: _rollback_draft(catalog, accounts)}[kind]()
    lifecycle.submit(order, accounts["orderer"], ORDER_URL, CASE_URL)
    if lost == "logiska adressaten" and kind == "producer":  # the producer order creates its new addressee
        lost = "tjänstekomponenten"
    LOSSES[lost](catalog)
    db.session.commit()
    before = _catalog_rows()
    try:
        lifecycle.change_status(order, "done", officer, "Klart", ORDER_URL)
    except lifecycle.TransitionError as error:
        assert f"saknar {lost}" in str(error) and "Inget har ändrats" in str(error)
        assert db.session.get(Order, order.id).status == "submitted"
        assert [h.to_status for h in db.session.get(Order, order.id).history][-1] == "submitted"
    else:  # nothing the order includes was lost (a rollback that only excludes)
        assert db.session.get(Order, order.id).status == "done"
    if db.session.get(Order, order.id).status != "done":
        assert _catalog_rows() == before


def _catalog_rows():
    return (sorted((c.id, c.url, c.valid_from, c.valid_to) for c in db.session.scalars(sa.select(ProducerConnection))),
            sorted((a.id, a.valid_from, a.valid_to) for a in db.session.scalars(sa.select(CallAuthorization))),
            db.session.scalar(sa.select(sa.func.count()).select_from(LogicalAddress)))


def test_done_on_a_lost_contract_is_a_message_on_the_page_not_a_500(catalog, accounts, draft, officer_client):
    lifecycle.submit(draft, accounts["orderer"], ORDER_URL, CASE_URL)
    LOSSES["tjänstekontraktet"](catalog)
    db.session.commit()
    page = officer_client.get(f"/kundservice/bestallning/{draft.number}")
    answer = officer_client.post(f"/kundservice/bestallning/{draft.number}/status", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "to": "done", "comment": ""}, follow_redirects=True)
    assert answer.status_code == 200
    assert "saknar tjänstekontraktet urn:riv:crm:scheduling:GetBookingDetailsResponder:1" in page_text(answer)
    assert db.session.get(Order, draft.id).status == "submitted"
