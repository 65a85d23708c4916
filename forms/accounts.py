"""Forms for logging in and for the user's own details (Mina uppgifter)."""
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms import validators as wtv

from models import User

from . import validators as v
from .validators import UniqueIgnoringCase, strip_text

EMAIL = v.EMAIL


class LoginForm(FlaskForm):
    email = StringField("E-postadress", [v.Required("Ange din e-postadress.")], filters=[strip_text])
    password = PasswordField("Lösenord", [v.Required("Ange ditt lösenord.")])


class DemoLoginForm(FlaskForm):
    email = HiddenField()


class ProfileForm(FlaskForm):
    name = StringField("Namn (för- och efternamn)", [v.Required("Ange ditt namn."), wtv.Length(max=200)],
                       filters=[strip_text])
    email = EmailField("E-postadress", [v.Required("Ange din e-postadress."), EMAIL, wtv.Length(max=254),
                                        UniqueIgnoringCase(
        User.email, "E-postadress", "E-postadressen används redan av ett annat konto.")],
                       filters=[strip_text])
    phone = StringField("Telefon", [v.Required("Ange ditt telefonnummer."), wtv.Length(max=50)],
                        filters=[strip_text])

    def __init__(self, user, **kwargs):
        super().__init__(obj=user, **kwargs)
        self._obj = user  # lets the uniqueness check skip the user's own row
