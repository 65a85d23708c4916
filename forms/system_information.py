"""Forms of Administrera systeminformation and Lägg till organisation eller systemnamn."""
import re

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, SelectMultipleField, StringField
from wtforms import validators as wtv
from wtforms.widgets import HiddenInput

from extensions import db
from models import Organisation, System, SystemInstance

from . import validators as v
from .identifiers import org_number_digits
from .validators import OrgNumber, TakId, UniqueIgnoringCase, strip_text

HSA_ID_TAKEN = "HSA-ID finns redan, välj Administrera befintlig."


def _phone(form, field):
    if field.data and not re.fullmatch(r"\+?[\d\s()-]{5,30}", field.data):
        raise wtv.ValidationError("Ange telefonnumret med siffror, t.ex. 010-123 45 67.")


def _name(message):
    return StringField("För- och efternamn", [v.Required(message), wtv.Length(max=255)], filters=[strip_text])


def _email(label="E-post"):
    return StringField(label, [wtv.Optional(), v.EMAIL,
                               wtv.Length(max=255)], filters=[strip_text])


def _phone_field(label="Telefon"):
    return StringField(label, [wtv.Optional(), _phone, wtv.Length(max=50)], filters=[strip_text])


class LookupField(Field):
    """A row chosen by searching (organisation, system): the form posts its id."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, model=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.model = model

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = db.session.get(self.model, int(raw)) if raw.isdigit() else None

    def _value(self):
        return str(self.data.id) if self.data is not None else ""


class EnvironmentsField(SelectMultipleField):
    """Environment ids added with "Lägg till driftmiljö"; unknown ones are refused in Swedish."""

    def process_formdata(self, valuelist):
        try:
            self.data = list(dict.fromkeys(int(value) for value in valuelist))
        except ValueError as error:
            self.data = []
            raise ValueError("Välj driftmiljö i listan.") from error

    def pre_validate(self, form):
        known = {value for value, _ in self.choices}
        if any(value not in known for value in self.data or []):
            raise wtv.ValidationError("Välj driftmiljö i listan.")


class AtLeastOne:
    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise wtv.StopValidation(self.message)


class InstanceForm(FlaskForm):
    organisation = LookupField("Organisation", [v.Required("Välj systemägande organisation i listan.")],
                               model=Organisation)
    other_info = StringField("Övrigt", [wtv.Optional(), wtv.Length(max=255), v.OneLineName()], filters=[strip_text])
    system = LookupField("Namn på system", [v.Required("Välj system i listan.")], model=System)
    hsa_id = StringField("HSA-ID", [
        v.Required("Ange HSA-ID som finns på systemets SITHS-certifikat."), TakId(),
        UniqueIgnoringCase(SystemInstance.hsa_id, "HSA-ID", HSA_ID_TAKEN)], filters=[strip_text])
    environment_ids = EnvironmentsField("Driftmiljöer", [AtLeastOne("Minst en driftmiljö måste läggas till")],
                                        coerce=int)
    main_contact_name = _name("Ange för- och efternamn på huvudansvarig.")
    main_contact_email = _email()
    main_contact_phone = _phone_field()
    tech_contact_name = _name("Ange för- och efternamn på teknisk kontaktperson.")
    tech_contact_email = _email()
    tech_contact_phone = _phone_field()
    support_email = _email("Funktionsbrevlåda")
    support_phone = _phone_field()
    version = HiddenField()  # the instance's version when the form was shown (optimistic locking)

    def __init__(self, instance, environments, hsa_id_locked=False, **kwargs):
        super().__init__(obj=instance, **kwargs)
        if hsa_id_locked:  # shown read-only; whatever is posted for it is not believed
            self.hsa_id.data = instance.hsa_id
            self.hsa_id.render_kw = {"readonly": True}
        self.hsa_id_locked = hsa_id_locked
        self._obj = instance if instance.id is not None else None  # lets the HSA-id check skip itself
        self.environment_ids.choices = [(environment.id, environment.display) for environment in environments]
        if not self.is_submitted() and "formdata" not in kwargs and instance.id is not None:
            self.environment_ids.data = [environment.id for environment in instance.environments]

    def instance_values(self, environments_by_id):
        """The values save_instance() applies, in model terms."""
        values = {name: self[name].data or None for name in (
            "other_info", "main_contact_name", "main_contact_email", "main_contact_phone", "tech_contact_name",
            "tech_contact_email", "tech_contact_phone", "support_email", "support_phone")}
        values.update(organisation=self.organisation.data, system=self.system.data,
                      environments=[environments_by_id[i] for i in self.environment_ids.data])
        if self.hsa_id.data != self.hsa_id.object_data:
            values["hsa_id"] = self.hsa_id.data  # as typed: TAK keeps the case of an existing id
        return values


class OrganisationForm(FlaskForm):
    org_number = StringField("Organisationsnummer", [v.Required("Ange organisationsnummer."), OrgNumber()],
                             filters=[org_number_digits], description="10 siffror, t.ex. 556559-4230.")
    name = StringField("Namn på organisation", [v.Required("Ange organisationens namn."),
                                                wtv.Length(max=255)], filters=[strip_text])


class SystemForm(FlaskForm):
    name = StringField("Produktnamn på system", [v.Required("Ange systemets produktnamn."),
                                                 wtv.Length(max=255)], filters=[strip_text])
