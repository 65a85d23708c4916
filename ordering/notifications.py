"""E-mails as outbox rows, rendered from a .txt and an .html template (Flasky's send_email)."""
from flask import current_app, render_template

from extensions import db
from models import OutboundEmail


def queue_email(recipients, subject, template, reference=None, attachments=None, **context):
    """Put a mail in the outbox; it is committed with the change that caused it and sent later."""
    email = OutboundEmail(
        recipients=list(recipients),
        subject=subject,
        text_body=render_template(f"email/{template}.txt", **context),
        html_body=render_template(f"email/{template}.html", **context),
        attachments=attachments,
        reference=reference,
    )
    db.session.add(email)
    return email


def customer_service_address():
    return current_app.config["ORDER_MAIL_TO"]
