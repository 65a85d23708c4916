"""The outbox over a real SMTP server: mails on Beställ, Swedish text, the JSON attachment,
an SMTP outage that loses nothing and sends nothing twice."""
import datetime as dt
import json

import sqlalchemy as sa

from extensions import db
from models import Order, OutboundEmail
from ordering.outbox import deliver_due

from .conftest import csrf_token
from .test_producer_order import build_order, step_url


def send(client, order):
    token = csrf_token(client.get(step_url(order, "sammanfattning")).get_data(as_text=True))
    return client.post(f"/producent/{order.number}/bestall", data={"csrf_token": token})


def mails():
    return db.session.scalars(sa.select(OutboundEmail).order_by(OutboundEmail.id)).all()


def test_bestall_mails_customer_service_and_the_orderer(app, orderer_client, catalog, smtp_server):
    order = build_order(orderer_client, catalog, consumers=(catalog["consumer"].id,))
    send(orderer_client, order)
    to_service, to_orderer = smtp_server.inbox.messages
    assert to_service["To"] == app.config["ORDER_MAIL_TO"]
    assert to_service["Subject"] == f"Beställning BS-{order.number}: Tjänsteproducent i NTJP TEST – SE2321000016-92V4"
    text = to_service.get_body(("plain",)).get_content()
    assert "Gäller Östra sjukhuset – åäö ÅÄÖ" in text and "VE: Barnneurologi" in text
    assert f"/kundservice/bestallning/{order.number}" in text
    assert "Östra sjukhuset" in to_service.get_body(("html",)).get_content()
    [attachment] = list(to_service.iter_attachments())
    assert attachment.get_filename() == f"BS-{order.number}.json"
    tak = json.loads(attachment.get_content() if isinstance(attachment.get_content(), str)
                     else attachment.get_content().decode("utf-8"))
    assert tak["plattform"] == "NTJP-TEST" and tak["kommentar"] == "Gäller Östra sjukhuset – åäö ÅÄÖ"
    assert to_orderer["To"] == "anna.bestallare@region.example"
    assert f"/mina-bestallningar/{order.number}" in to_orderer.get_body(("plain",)).get_content()
    assert [m.status for m in mails()] == ["sent", "sent"]


def test_user_strings_are_escaped_in_the_html_mail(orderer_client, catalog):
    order = build_order(orderer_client, catalog, addresses=({"hsa_id": "SE2321000016-7P3K",
                                                             "name": "<b>VE</b> & Co"},))
    send(orderer_client, order)
    to_service = mails()[0]
    assert "&lt;b&gt;VE&lt;/b&gt; &amp; Co" in to_service.html_body and "<b>VE</b>" not in to_service.html_body
    assert "<b>VE</b> & Co" in to_service.text_body


def test_smtp_outage_loses_nothing_and_sends_nothing_twice(app, orderer_client, catalog, smtp_server):
    smtp_server.stop()
    order = build_order(orderer_client, catalog)
    send(orderer_client, order)
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "submitted"
    queued = mails()
    assert [m.status for m in queued] == ["pending", "pending"]
    assert all(m.attempts == 1 and "ConnectionRefused" in m.last_error for m in queued)
    assert deliver_due() == (0, 0)  # not due yet: back-off

    smtp_server.start()
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2)
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "Skickade: 0" in result.output  # the CLI sends what is due now; still backing off
    assert deliver_due(now=later) == (2, 0)
    assert deliver_due(now=later) == (0, 0)
    assert len(smtp_server.inbox.messages) == 2
    db.session.expire_all()
    assert [m.status for m in mails()] == ["sent", "sent"]


def test_cli_sends_what_is_due(app, orderer_client, catalog, smtp_server):
    app.config["MAIL_SERVER"] = ""  # as in the demo: mails wait in the outbox
    send(orderer_client, build_order(orderer_client, catalog))
    assert [m.status for m in mails()] == ["pending", "pending"]
    app.config["MAIL_SERVER"] = "127.0.0.1"
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "Skickade: 2" in result.output, result.output
    assert len(smtp_server.inbox.messages) == 2


def test_customer_service_can_resend(officer_client, orderer_client, catalog, smtp_server):
    send(orderer_client, build_order(orderer_client, catalog))
    first = mails()[0]
    page = officer_client.get(f"/admin/outbox/details/?id={first.id}")
    response = officer_client.post("/admin/outbox/action/", data={
        "action": "resend", "rowid": [str(first.id)], "csrf_token": csrf_token(page.get_data(as_text=True))},
        follow_redirects=True)
    assert "1 e-postmeddelanden har lagts i kö igen" in response.get_data(as_text=True)
    assert len(smtp_server.inbox.messages) == 3  # sent again as the request ended
    assert smtp_server.inbox.messages[2]["Subject"] == smtp_server.inbox.messages[0]["Subject"]
