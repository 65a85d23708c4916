"""Skapa städbeställning: which rows of a Katalogkvalitet finding the officer chose."""
from wtforms import Form, StringField
from wtforms import validators as wtv

from web_input import database_ids

from .orders import TextListField

ALL, CHOSEN = "alla", "valda"
MAX_ROWS = 10_000  # one order TAK imports in one go; a larger clean-up is several orders


class CleanupForm(Form):
    row = TextListField()
    scope = StringField(default=CHOSEN)

    def validate_scope(self, field):
        if field.data not in (ALL, CHOSEN):
            raise wtv.ValidationError("Välj rader eller alla rader.")

    def validate_row(self, field):
        if self.scope.data != CHOSEN:
            return
        ids = database_ids(field.data)
        if len(ids) != len([value for value in field.data if value]):
            raise wtv.ValidationError("Ogiltigt värde i listan.")
        if not ids:
            raise wtv.ValidationError("Välj minst en rad, eller alla rader.")
        if len(set(ids)) > MAX_ROWS:
            raise wtv.ValidationError(f"Högst {MAX_ROWS} rader i en städbeställning.")

    @property
    def everything(self):
        return self.scope.data == ALL

    @property
    def ids(self):
        return list(dict.fromkeys(database_ids(self.row.data)))

    @property
    def problem(self):
        return next((errors[0] for errors in self.errors.values() if errors), None)
