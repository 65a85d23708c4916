"""Administrera systeminformation: orderers register and maintain system instances, and add
missing organisations and systems. No request handling here; views pass plain values."""
import re
from dataclasses import dataclass

import sqlalchemy as sa

from extensions import db
from models import KeptForm, Organisation, System, SystemInstance
from models._columns import equals_ignoring_case

from .catalog import contains, orderable_environments
from .notifications import customer_service_address, queue_email

# The instance's fields in the manual's order, with the manual's labels.
INSTANCE_FIELDS = [
    ("organisation", "Organisation"),
    ("other_info", "Övrigt"),
    ("system", "Namn på system"),
    ("hsa_id", "HSA-ID"),
    ("environments", "Driftmiljöer"),
    ("main_contact_name", "Huvudansvarig – för- och efternamn"),
    ("main_contact_email", "Huvudansvarig – e-post"),
    ("main_contact_phone", "Huvudansvarig – telefon"),
    ("tech_contact_name", "Teknisk kontaktperson – för- och efternamn"),
    ("tech_contact_email", "Teknisk kontaktperson – e-post"),
    ("tech_contact_phone", "Teknisk kontaktperson – telefon"),
    ("support_email", "Teknisk support – funktionsbrevlåda"),
    ("support_phone", "Teknisk support – telefon"),
]
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    changed: bool


def field_values(instance):
    """Each field as the orderer reads it."""
    values = {}
    for attribute, _ in INSTANCE_FIELDS:
        value = getattr(instance, attribute)
        if attribute == "environments":
            value = ", ".join(sorted(environment.display for environment in value))
        values[attribute] = "" if value is None else str(value)
    return values


def save_instance(instance, values, user):
    """Create or update an instance from the form's values, tell customer service, commit.

    Returns every field with its value before and after, changed ones marked; the same list
    goes into the message to customer service.
    """
    is_new = instance.id is None
    before = {} if is_new else field_values(instance)
    for attribute, value in values.items():
        setattr(instance, attribute, value)
    if is_new:
        db.session.add(instance)
    db.session.flush()
    after = field_values(instance)
    changes = [FieldChange(label, before.get(attribute, ""), after[attribute],
                           is_new or before.get(attribute, "") != after[attribute])
               for attribute, label in INSTANCE_FIELDS]
    if is_new or any(change.changed for change in changes):
        _notify_customer_service(instance, changes, is_new, user)
    db.session.commit()
    return changes


def _notify_customer_service(instance, changes, is_new, user):
    what = "Ny systeminstans" if is_new else "Ändrad systeminstans"
    queue_email([customer_service_address()], f"Beställningsstöd: {what} {instance.hsa_id}", "system_information",
                reference=f"SystemInstance:{instance.id}", instance=instance, changes=changes, is_new=is_new,
                user=user)


def instance_with_hsa_id(hsa_id, other_than=None):
    """The instance that already has this HSA-id (any case), if any."""
    query = sa.select(SystemInstance).where(equals_ignoring_case(SystemInstance.hsa_id, hsa_id.strip()))
    if other_than is not None:
        query = query.where(SystemInstance.id != other_than)
    return db.session.scalars(query.limit(1)).first()


def search_instances(term, limit=SEARCH_LIMIT):
    """Instances whose HSA-id, organisation, system, övrigt or TAK description contain the term."""
    columns = [SystemInstance.hsa_id, SystemInstance.other_info, SystemInstance.tak_description,
               Organisation.name, System.name]
    query = (sa.select(SystemInstance)
             .outerjoin(SystemInstance.organisation).outerjoin(SystemInstance.system)
             .where(contains(columns, term))
             .order_by(SystemInstance.hsa_id).limit(limit))
    return db.session.scalars(query).unique().all()


def search_organisations(term, limit=SEARCH_LIMIT):
    """By name, or by organisationsnummer typed with or without the dash."""
    conditions = [contains([Organisation.name], term)]
    digits = _digits(term)
    if digits.isdigit():
        conditions.append(Organisation.org_number.startswith(digits))
    query = sa.select(Organisation).where(sa.or_(*conditions)).order_by(Organisation.name).limit(limit)
    return db.session.scalars(query).all()


def _digits(text):
    return re.sub(r"[\s-]", "", text or "")


def search_systems(term, limit=SEARCH_LIMIT):
    query = (sa.select(System).where(contains([System.name], term))
             .order_by(System.name).limit(limit))
    return db.session.scalars(query).all()


def selectable_environments(instance=None):
    """Active environments, plus any inactive one the instance is already in (so it can be removed)."""
    return orderable_environments(also={environment.id for environment in (instance.environments if instance else [])})


def add_organisation(org_number, name):
    """(organisation, created): an organisation with the same organisationsnummer is not duplicated."""
    digits = _digits(org_number)
    existing = db.session.scalar(sa.select(Organisation).where(Organisation.org_number == digits))
    if existing is not None:
        return existing, False
    organisation = Organisation(org_number=digits, name=name.strip())
    db.session.add(organisation)
    db.session.commit()
    return organisation, True


def add_system(name):
    """(system, created): 'takecare' finds the existing 'TakeCare'."""
    existing = db.session.scalar(sa.select(System).where(equals_ignoring_case(System.name, name.strip())))
    if existing is not None:
        return existing, False
    system = System(name=name.strip())
    db.session.add(system)
    db.session.commit()
    return system, True


# --- A form left to add an organisation or system, kept on the server --------------------------

def keep_form(user, key, fields):
    kept = db.session.scalar(sa.select(KeptForm).filter_by(user_id=user.id, key=key))
    if kept is None:
        kept = KeptForm(user_id=user.id, key=key, fields=fields)
        db.session.add(kept)
    else:
        kept.fields = fields
    db.session.commit()


def kept_form(user, key):
    kept = db.session.scalar(sa.select(KeptForm).filter_by(user_id=user.id, key=key))
    return kept.fields if kept is not None else None


def forget_form(user, key):
    db.session.execute(sa.delete(KeptForm).where(KeptForm.user_id == user.id, KeptForm.key == key))
    db.session.commit()
