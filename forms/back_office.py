"""Customer service's posts outside the registers: an order's status and ärendenummer, and the
decision on a change request. Parsed here like every other posted value; the domain functions in
`ordering/` then judge what the values mean (whether the transition is allowed, say)."""
from wtforms import Form, StringField, TextAreaField
from wtforms import validators as wtv

from models import Order
from models.orders import DONE, IN_PROGRESS, REJECTED

from .validators import free_text, strip_text

MAX_COMMENT = 4000  # a comment or a reason is mailed: a page of text at most


def _comment():
    return TextAreaField(filters=[free_text], validators=[
        wtv.Length(max=MAX_COMMENT, message=f"Kommentaren får vara högst {MAX_COMMENT} tecken.")])


class _Refusing(Form):
    def first_error(self):
        return next((errors[0] for errors in self.errors.values() if errors), None)


class StatusForm(_Refusing):
    to = StringField(validators=[wtv.AnyOf([IN_PROGRESS, DONE, REJECTED], message="Okänd status.")])
    comment = _comment()


class CaseNumberForm(_Refusing):
    case_number = StringField(filters=[strip_text], validators=[
        wtv.InputRequired("Ange ärendenummer."),
        wtv.Length(max=Order.case_number.type.length,
                   message=f"Ärendenumret får vara högst {Order.case_number.type.length} tecken.")])


class DecisionForm(_Refusing):
    decision = StringField(validators=[wtv.AnyOf(["approve", "reject"], message="Välj godkänn eller avslå.")])
    comment = _comment()
