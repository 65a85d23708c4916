"""The start page's FAQ (public) and the registers customer service keeps of it and of the outbox."""
import sqlalchemy as sa
from flask import current_app, flash
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual
from markupsafe import Markup, escape
from sqlalchemy.orm import defer
from wtforms import validators as wtv

from extensions import db
from forms import validators as v
from forms.validators import strip_text
from models import FaqEntry
from models.content import ACCESSIBILITY, FAQ, PAGE_LABELS
from models.outbox import STATUS_LABELS, OutboundEmail
from ordering.outbox import resend, smtp_configured
from web_input import database_ids

from .access import ReadOnlyView
from .base import MasterDataView
from .filters import FailingMailFilter
from .formatting import swedish_time


def paragraphs(text):
    """Plain text as escaped paragraphs: customer service writes text, never HTML."""
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n") if block.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in block.split("\n")))
                           for block in blocks)


def sections_of(page):
    return db.session.scalars(sa.select(FaqEntry).where(FaqEntry.page == page)
                              .order_by(FaqEntry.position, FaqEntry.id)).all()


class FaqView(BaseView):
    """FAQ – Frågor och svar om beställningsstödet; readable before logging in too."""

    @expose("/")
    def index(self):
        return self.render("faq.html", entries=sections_of(FAQ), paragraphs=paragraphs)


class AccessibilityView(BaseView):
    """Tillgänglighetsredogörelse (lag 2018:1937, in DIGG's structure): public, linked from every
    page's footer; its sections are kept by customer service like the FAQ's."""

    def is_visible(self):
        return False  # in every page's footer, not in the menu

    @expose("/")
    def index(self):
        return self.render("accessibility.html", entries=sections_of(ACCESSIBILITY), paragraphs=paragraphs,
                           contact=current_app.config["ORDER_MAIL_TO"])


class FaqEntryView(MasterDataView):
    can_export = False
    column_list = ["page", "position", "question"]
    column_labels = {"page": "Sida", "position": "Ordning", "question": "Fråga/rubrik", "answer": "Svar/text"}
    column_default_sort = [("page", False), ("position", False), ("id", False)]
    column_searchable_list = ["question", "answer"]
    column_filters = [FilterEqual(FaqEntry.page, "Sida", options=list(PAGE_LABELS.items()))]
    column_formatters = {"page": lambda view, context, model, name: PAGE_LABELS.get(model.page, model.page)}
    column_formatters_detail = {"page": lambda view, context, model, name: PAGE_LABELS.get(model.page, model.page)}
    form_columns = ["page", "position", "question", "answer"]
    form_choices = {"page": list(PAGE_LABELS.items())}
    form_args = {
        "question": {"validators": [v.Required("Fältet måste fyllas i."), wtv.Length(max=300)],
                     "filters": [strip_text]},
        "answer": {"description": "Vanlig text; en tom rad börjar nytt stycke."},
        "position": {"description": "Lägre tal visas först."},
    }
    form_widget_args = {"answer": {"rows": 8}}
    column_formatters_detail = {**column_formatters_detail,
                                "answer": lambda view, context, model, name: paragraphs(model.answer)}


def shorten(text, length):
    return text if len(text) <= length else text[:length - 1] + "…"


class OutboxView(ReadOnlyView):
    """Every e-mail the tool sends, as it was queued; readable even when no SMTP is configured."""

    column_list = ["created_at", "subject", "recipients", "status", "attempts", "last_error", "sent_at"]
    column_details_list = ["created_at", "recipients", "subject", "status", "attempts", "last_error", "sent_at",
                           "reference", "text_body", "html_body"]
    column_labels = {"created_at": "Skapat", "subject": "Ämne", "recipients": "Mottagare", "status": "Status",
                     "attempts": "Försök", "sent_at": "Skickat", "last_error": "Senaste fel", "reference": "Gäller",
                     "text_body": "Text", "html_body": "HTML"}
    column_default_sort = [("created_at", True), ("id", True)]
    column_searchable_list = ["subject", "reference"]
    column_filters = [FilterEqual(OutboundEmail.status, "Status", options=list(STATUS_LABELS.items())),
                      FailingMailFilter()]
    column_formatters = {
        "created_at": lambda view, context, model, name: swedish_time(model.created_at),
        "sent_at": lambda view, context, model, name: swedish_time(model.sent_at) if model.sent_at else "",
        "recipients": lambda view, context, model, name: ", ".join(model.recipients or []),
        "status": lambda view, context, model, name: model.status_label,
        # A failing mail says why in the list itself; the whole text is on hover and in the details.
        "last_error": lambda view, context, model, name: Markup('<span title="{}">{}</span>').format(
            model.last_error, shorten(model.last_error, 120)) if model.last_error else "",
    }
    column_formatters_detail = {
        **column_formatters,
        "text_body": lambda view, context, model, name: Markup("<pre class='mb-0'>{}</pre>").format(model.text_body),
        # The stored HTML is shown as source: it is a mail, not part of this page.
        "html_body": lambda view, context, model, name: Markup("<pre class='mb-0 small'>{}</pre>").format(
            model.html_body or ""),
    }

    def get_query(self):
        # The list shows subject and status; a large order's mail carries its TAK JSON in the body and
        # attachments – megabytes per row that page 1 (the newest) would otherwise read.
        return super().get_query().options(defer(OutboundEmail.text_body), defer(OutboundEmail.html_body),
                                           defer(OutboundEmail.attachments))

    @action("resend", "Skicka igen", "Skicka de valda e-postmeddelandena igen?")
    def action_resend(self, ids):
        emails = db.session.scalars(sa.select(OutboundEmail).where(OutboundEmail.id.in_(database_ids(ids)))).all()
        for email in emails:
            resend(email)
        flash(f"{len(emails)} e-postmeddelanden har lagts i kö igen."
              + ("" if smtp_configured() else " Ingen SMTP-server är konfigurerad; de skickas inte förrän det finns en."),
              "success")
