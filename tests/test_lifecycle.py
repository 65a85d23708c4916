"""The order's transitions, called without any request: status, history, mails in the outbox,
the catalog applied."""
import pytest
import sqlalchemy as sa

from extensions import db
from models import CUSTOMER_SERVICE, Order, OutboundEmail, ProducerConnection
from ordering import lifecycle
from ordering import producer_order as po
from ordering.orders import create_draft, save_draft

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
