"""Användare: administrators manage accounts, roles and local passwords."""
from flask import flash
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_login import current_user
from wtforms import PasswordField
from wtforms import validators as wtv
from wtforms.validators import ValidationError

from extensions import db
from forms import validators as v
from forms.accounts import EMAIL
from identity.accounts import set_password, unlock
from models import ADMIN, ROLE_LABELS, User
from web_input import database_ids

from .base import MasterDataView
from .formatting import swedish_time

MIN_PASSWORD_LENGTH = 10


class UserView(MasterDataView):
    required_role = ADMIN
    can_export = False
    column_list = ["name", "email", "hsa_id", "role", "active", "last_login", "locked_until"]
    column_details_list = ["name", "email", "phone", "hsa_id", "role", "active", "last_login", "locked_until",
                           "created_at"]
    column_labels = {"name": "Namn", "email": "E-postadress", "phone": "Telefon", "hsa_id": "HSA-id (person)",
                     "role": "Roll", "active": "Aktiv", "last_login": "Senaste inloggning",
                     "locked_until": "Spärrad till", "created_at": "Skapad", "new_password": "Nytt lösenord"}
    column_searchable_list = ["name", "email", "hsa_id"]
    column_sortable_list = ["name", "email", "hsa_id", "role", "last_login"]
    column_default_sort = "name"
    column_filters = [FilterEqual(User.role, "Roll", options=list(ROLE_LABELS.items())), "active"]
    column_formatters = {
        "role": lambda view, context, model, name: model.role_label,
        "last_login": lambda view, context, model, name: swedish_time(model.last_login),
        "locked_until": lambda view, context, model, name: swedish_time(model.locked_until)
        if model.locked_until else "",
        "created_at": lambda view, context, model, name: swedish_time(model.created_at),
    }
    form_columns = ["name", "email", "phone", "hsa_id", "role", "active", "new_password"]
    form_choices = {"role": list(ROLE_LABELS.items())}
    form_extra_fields = {"new_password": PasswordField("Nytt lösenord", [
        wtv.Optional(), wtv.Length(min=MIN_PASSWORD_LENGTH,
                                   message=f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")],
        description="För konton som loggar in med lösenord. Lämna tomt för att behålla nuvarande lösenord.")}
    form_args = {
        "name": {"validators": [v.Required("Fältet måste fyllas i.")], "filters": [v.strip_text]},
        "email": {"validators": [wtv.Optional(), EMAIL, v.UniqueIgnoringCase(
            User.email, "E-postadress", "E-postadressen används redan av ett annat konto.")],
            "filters": [lambda value: value.strip() or None if isinstance(value, str) else value]},
        "hsa_id": {"validators": [wtv.Optional(), v.HsaId(), v.UniqueIgnoringCase(
            User.hsa_id, "HSA-id", "HSA-id:t används redan av ett annat konto.")],
            "filters": [lambda value: value.strip().upper() or None if isinstance(value, str) else value],
            "description": "Personens HSA-id från SITHS-kortet; krävs för inloggning med SITHS-kort."},
    }

    def on_model_change(self, form, model, is_created):
        if form.new_password.data:
            set_password(model, form.new_password.data)
        if model.id == current_user.id and (model.role != ADMIN or not model.active):
            raise ValidationError("Du kan inte ta bort din egen administratörsroll eller spärra ditt eget konto.")

    def on_model_delete(self, model):
        if model.id == current_user.id:
            raise ValidationError("Du kan inte ta bort ditt eget konto.")

    @action("unlock", "Lås upp", "Häva spärren för de valda kontona?")
    def action_unlock(self, ids):
        for user in db.session.scalars(db.select(User).where(User.id.in_(database_ids(ids)))):
            unlock(user)
        db.session.commit()
        flash(f"{len(ids)} konton har låsts upp.", "success")
