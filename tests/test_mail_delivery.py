"""Every mail of every order reaches an RFC-strict SMTP server: aiosmtpd refuses any line over
998 octets, as RFC 5321 requires, so these tests fail if a body or attachment is not encoded."""
import json

import sqlalchemy as sa

from extensions import db
from models import InstalledContract, OutboundEmail, ServiceContract
from models.outbox import SENT
from ordering.outbox import deliver_due

from .conftest import page_text
from .test_back_office import send
from .test_producer_order import current_addresses, post_step, start, step_url, the_order
from .test_work_overview import overview

CONTRACTS, ADDRESSES = 10, 500  # the benchmark's largest order


def largest_order(client, catalog, other_info):
    contracts = [catalog["contract"]]
    for number in range(1, CONTRACTS):
        contract = ServiceContract(namespace=f"urn:riv:crm:scheduling:Contract{number}Responder:1",
                                   name=f"Contract{number}", major=1, minor=0, domain=catalog["domain"])
        db.session.add_all([contract, InstalledContract(environment=catalog["test"], contract=contract)])
        contracts.append(contract)
    db.session.commit()
    start(client, catalog)
    order = the_order()
    post_step(client, step_url(order, "kontrakt"), {"contract_ids": [c.id for c in contracts], "go": "next"})
    pasted = "\n".join(f"SE2321000016-N{number:04d};VE: Vårdenhet med ett långt namn nummer {number}"
                       for number in range(ADDRESSES))
    post_step(client, step_url(order, "adressater"), {"mode": "add", "action": "paste", "pasted": pasted})
    post_step(client, step_url(order, "adressater"), {"mode": "add", "go": "next", **current_addresses(order)})
    settings = {"go": "next"}
    for contract in contracts:
        settings[f"url_{contract.id}"] = f"https://tp.example.se/{contract.name}/rivtabp21"
        settings[f"profile_{contract.id}"] = "RIVTABP21"
    post_step(client, step_url(order, "url"), settings)
    post_step(client, step_url(order, "konsumenter"), {"consumer_choice": "separate", "go": "next"})
    post_step(client, step_url(order, "bestallare"), {
        "other_info": other_info, "orderer_name": "Anna Beställare", "orderer_phone": "010-111 11 11",
        "orderer_email": "anna.bestallare@region.example", "go": "next"})
    db.session.expire_all()
    return the_order()


def test_the_largest_order_with_a_long_paragraph_reaches_a_strict_smtp_server(orderer_client, catalog, smtp_server):
    other_info = "Ö" + "x" * 9998 + "Å"  # 10,000 characters without a space
    order = largest_order(orderer_client, catalog, other_info)
    assert len(order.content["add_addresses"]) == ADDRESSES
    send(orderer_client, order)
    db.session.expire_all()
    emails = db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)).all()
    assert [(email.status, email.last_error) for email in emails] == [(SENT, None), (SENT, None)]
    to_service = smtp_server.inbox.messages[0]
    text = to_service.get_body(("plain",)).get_content()
    assert other_info in text and "SE2321000016-N0499" in text and "Contract9 v1" in text
    assert other_info in to_service.get_body(("html",)).get_content()
    [attachment] = list(to_service.iter_attachments())
    content = attachment.get_content()
    tak = json.loads(content if isinstance(content, str) else content.decode("utf-8"))
    # Every new connection, and the producer's live one on GetBookingDetails, whose URL changes.
    assert len(tak["inkludera"]["vagval"]) == CONTRACTS * ADDRESSES + 1
    assert tak["kommentar"] == other_info


def test_a_failing_mail_shows_its_error_in_the_list_and_on_the_start_page(app, officer_client, orderer_client,
                                                                          catalog, smtp_server):
    from .test_producer_order import build_order

    smtp_server.stop()
    send(orderer_client, build_order(orderer_client, catalog))
    assert deliver_due(ignore_backoff=True) == (0, 2)
    listing = page_text(officer_client.get("/admin/outbox/"))
    assert "ConnectionRefusedError" in listing
    link, count = overview(officer_client)["failing-mails"]
    assert count == 2 and "ConnectionRefusedError" in page_text(officer_client.get(link))
    smtp_server.start()
    assert deliver_due(ignore_backoff=True) == (2, 0)
    assert overview(officer_client)["failing-mails"][1] == 0
