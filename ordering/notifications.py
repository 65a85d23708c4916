"""E-mails as outbox rows, rendered from a .txt and an .html template (Flasky's send_email)."""
from flask import current_app, render_template

from extensions import db
from models import OutboundEmail

from .outbox import remember_for_delivery


def queue_email(recipients, subject, template, reference=None, attachments=None, **context):
    """Put a mail in the outbox; it is committed with the change that caused it and sent later."""
    email = OutboundEmail(
        recipients=list(recipients),
        subject=subject,
        text_body=render_template(f"email/{template}.txt", **context),
        html_body=render_template(f"email/{template}.html", subject=subject, **context),
        attachments=attachments,
        reference=reference,
    )
    db.session.add(email)
    remember_for_delivery(email)
    return email


def customer_service_address():
    return current_app.config["ORDER_MAIL_TO"]


def order_submitted(order, summary, tak_json, order_url, case_url):
    """Customer service gets the whole order with its TAK JSON (linking to its back-office page);
    the orderer a confirmation linking to the order in Mina beställningar."""
    what = f"{order.kind_label} i {summary['environment']}"
    if summary["hsa_id"] not in ("", "–"):  # a clean-up order names no system
        what += f" – {summary['hsa_id']}"
    queue_email([customer_service_address()], f"Beställning {order.display_number}: {what}", "order_submitted",
                reference=order.display_number, order=order, summary=summary, order_url=case_url,
                attachments=[{"filename": f"{order.display_number}.json", "content_type": "application/json",
                              "data": tak_json}])
    if order.orderer_email:
        queue_email([order.orderer_email], f"Bekräftelse: beställning {order.display_number} har skickats",
                    "order_confirmation", reference=order.display_number, order=order, summary=summary,
                    order_url=order_url)


def order_done(order, summary, order_url):
    """The orderer learns what customer service has carried out, with the ärendenummer if any."""
    queue_email([order.orderer_email], f"Beställning {order.display_number} är genomförd", "order_done",
                reference=order.display_number, order=order, summary=summary, order_url=order_url)


def order_case_number(order, order_url):
    queue_email([order.orderer_email], f"Bekräftelse och ärendenummer för beställning {order.display_number}",
                "order_case_number", reference=order.display_number, order=order, order_url=order_url)


def order_rejected(order, reason, order_url):
    queue_email([order.orderer_email], f"Beställning {order.display_number} har avvisats", "order_rejected",
                reference=order.display_number, order=order, reason=reason, order_url=order_url)
