"""WTForms validators wrapping the identifier rules, with Swedish messages."""
import sqlalchemy as sa
from wtforms import validators as wtforms_validators
from wtforms.validators import StopValidation, ValidationError

from extensions import db
from models._columns import equals_ignoring_case

from . import identifiers


class _Rule:
    """Apply a rule to new or changed values only.

    Rows mirrored from TAK carry legacy values that today's rules reject; customer service
    must still be able to edit the other fields of such a row.
    """

    problem = None

    def __call__(self, form, field):
        value = (field.data or "").strip() if isinstance(field.data, str) else field.data
        if not value or value == field.object_data:
            return
        message = type(self).problem(value)
        if message:
            raise ValidationError(message)


class HsaId(_Rule):
    problem = staticmethod(identifiers.hsa_id_problem)


class TakId(_Rule):
    """A logical address or component id as TAK accepts it."""

    problem = staticmethod(identifiers.tak_id_problem)


class OneLineName(_Rule):
    """A name TAK keeps: no line breaks, tabs or other control characters."""

    problem = staticmethod(identifiers.name_problem)


class OrgNumber(_Rule):
    problem = staticmethod(identifiers.org_number_problem)


class Namespace(_Rule):
    problem = staticmethod(identifiers.namespace_problem)


class DomainNamespace(_Rule):
    problem = staticmethod(identifiers.domain_namespace_problem)


class Url(_Rule):
    problem = staticmethod(identifiers.url_problem)


class UniqueIgnoringCase:
    """Refuse a value that another row already has, whatever its case."""

    def __init__(self, column, label, message=None):
        self.column, self.label, self.message = column, label, message

    def __call__(self, form, field):
        value = (field.data or "").strip()
        if not value:
            return
        model = self.column.class_
        query = sa.select(model).where(equals_ignoring_case(self.column, value))
        current = getattr(form, "_obj", None)
        if current is not None and current.id is not None:
            query = query.where(model.id != current.id)
        existing = db.session.scalars(query.limit(1)).first()
        if existing is not None:
            raise ValidationError(self.message or f"Finns redan: {self.label} {existing}.")


# One rule for every e-mail address the tool keeps (contacts, accounts, the orderer on an order).
EMAIL = wtforms_validators.Email(message="Ange en giltig e-postadress, t.ex. namn@region.se.")


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


def free_text(value):
    """Stripped, with the browser's CRLF line breaks as TAK's own orders write them (LF)."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(value, str) else value


def upper_text(value):
    return value.strip().upper() if isinstance(value, str) else value


class UniqueTogether:
    """Refuse a combination another row already has, e.g. a contract installed twice in one environment."""

    def __init__(self, model, fields, message):
        self.model, self.fields, self.message = model, fields, message

    def __call__(self, form, field):
        values = dict(_column_value(name, form[name].data) for name in self.fields)
        if any(value is None for value in values.values()):
            return
        query = sa.select(self.model.id).filter_by(**values)
        current = getattr(form, "_obj", None)
        if current is not None and current.id is not None:
            query = query.where(self.model.id != current.id)
        if db.session.scalar(query.limit(1)) is not None:
            raise ValidationError(self.message)


def _column_value(name, value):
    """A related row is compared by its foreign key; text as stored (upper-case codes)."""
    if hasattr(value, "id"):
        return f"{name}_id", value.id
    return name, value.strip().upper() if isinstance(value, str) else value


class Required:
    """A value is required; blank text counts as missing (unlike WTForms' InputRequired), and
    0 counts as a value (unlike DataRequired)."""

    field_flags = {"required": True}

    def __init__(self, message="Fältet måste fyllas i."):
        self.message = message

    def __call__(self, form, field):
        data = field.data
        if data is None or data == [] or (isinstance(data, str) and not data.strip()):
            field.errors[:] = []
            raise StopValidation(self.message)
