"""Who may change a system instance, and the change requests of everyone else.

An orderer changes an instance directly when they are one of its contacts – by an e-mail address
they proved they read (`email_proof`), never one they merely typed – or work in its organisation
(the organisationsnummer in their SITHS HSA-id). Someone in the organisation who is not a proven
contact still asks before moving the instance to another organisation or changing its contact
addresses. Anyone else's change is a request: nothing changes until customer service approves it;
the instance's contacts are told when it is made and when it is decided. Customer service changes
any instance directly."""
import re

import sqlalchemy as sa

from clock import utc_now
from extensions import db
from models import CUSTOMER_SERVICE, Environment, InstanceChangeRequest, Organisation, System
from models.directory import APPROVED, PENDING, REJECTED

from .notifications import customer_service_address, queue_email
from .system_information import INSTANCE_FIELDS, field_values, save_instance

_PERSON_HSA_ID = re.compile(r"^SE(?:16)?(\d{10})-", re.I)
CONTACT_EMAILS = ("main_contact_email", "tech_contact_email", "support_email")


def contact_emails(instance):
    return {getattr(instance, name).strip().lower() for name in CONTACT_EMAILS if getattr(instance, name)}


def organisation_number_of(hsa_id):
    """The organisationsnummer in a personal HSA-id (SE2321000016-ABC1 → 2321000016)."""
    match = _PERSON_HSA_ID.match(hsa_id or "")
    return match.group(1) if match else None


def relation(instance, user):
    """How a user relates to the instance: "contact" (a proven address of theirs is one of its
    contact addresses), "organisation" (their HSA-id's organisationsnummer is its organisation's)
    or None."""
    if instance is None or user is None:
        return None
    if user.proven_email and user.proven_email.strip().lower() in contact_emails(instance):
        return "contact"
    number = organisation_number_of(user.hsa_id)
    if number and instance.organisation is not None and instance.organisation.org_number == number:
        return "organisation"
    return None


def _changes_ownership(instance, values):
    """Would these values move the instance to another organisation or change its contact addresses?"""
    if "organisation" in values and values["organisation"] is not instance.organisation:
        return True
    return any(name in values and (values[name] or "").strip().lower() != (getattr(instance, name) or "").strip().lower()
               for name in CONTACT_EMAILS)


def may_change_directly(user, instance, values=None):
    """Whether the user's change is saved at once (else it becomes a request). Without `values`:
    whether their ordinary changes are."""
    if instance.id is None or user.has_role(CUSTOMER_SERVICE):
        return True
    kind = relation(instance, user)
    if kind == "organisation":
        return values is None or not _changes_ownership(instance, values)
    return kind == "contact"


def may_change_hsa_id(user, instance):
    """The HSA-id is the system certificate's identity and TAK's key: only customer service changes it."""
    return instance.id is None or user.has_role(CUSTOMER_SERVICE)


# --- Change requests ------------------------------------------------------------------------

def _stored(values):
    """The form's values as JSON: related rows by id."""
    stored = {}
    for name, value in values.items():
        if name in ("organisation", "system"):
            stored[f"{name}_id"] = value.id if value is not None else None
        elif name == "environments":
            stored["environment_ids"] = sorted(environment.id for environment in value)
        else:
            stored[name] = value
    return stored


def _applied(stored):
    """Stored values back as the instance's attributes (rows removed since are left out)."""
    values = {}
    for name, value in stored.items():
        if name == "organisation_id":
            values["organisation"] = db.session.get(Organisation, value) if value else None
        elif name == "system_id":
            values["system"] = db.session.get(System, value) if value else None
        elif name == "environment_ids":
            values["environments"] = list(db.session.scalars(sa.select(Environment).where(Environment.id.in_(value))))
        else:
            values[name] = value
    return values


def _preview(instance, values):
    """Before/after of each changed field, computed without touching the instance."""
    before = field_values(instance)
    after = dict(before)
    for name, value in values.items():
        if name == "environments":
            after[name] = ", ".join(sorted(environment.display for environment in value))
        elif name in before:
            after[name] = "" if value is None else str(value)
    return [[label, before[name], after[name]] for name, label in INSTANCE_FIELDS if before[name] != after[name]]


def request_change(instance, values, user):
    """Keep the change as a request; returns it, or None when nothing would change."""
    changes = _preview(instance, values)
    if not changes:
        return None
    changed = {name for name, label in INSTANCE_FIELDS if label in {label for label, _, _ in changes}}
    proposed = _stored({name: value for name, value in values.items() if name in changed})
    waiting = db.session.scalar(sa.select(InstanceChangeRequest).where(
        InstanceChangeRequest.instance_id == instance.id, InstanceChangeRequest.requested_by_id == user.id,
        InstanceChangeRequest.status == PENDING).order_by(InstanceChangeRequest.id.desc()).limit(1))
    if waiting is not None and waiting.proposed == proposed:  # the same request again (a second click)
        return waiting
    request = InstanceChangeRequest(instance=instance, requested_by_id=user.id, requested_by_name=str(user),
                                    requested_by_email=user.email or "", changes=changes, proposed=proposed,
                                    status=PENDING)
    db.session.add(request)
    db.session.flush()
    recipients = [customer_service_address(), *sorted(contact_emails(instance))]
    queue_email(recipients, f"Ändringsförfrågan för systeminstans {instance.hsa_id}", "instance_change_request",
                reference=f"SystemInstance:{instance.id}", instance=instance, request=request)
    db.session.commit()
    return request


class DecisionError(ValueError):
    """The request was decided already; the message is shown to customer service."""


def stale_fields(request):
    """The fields the request changes that have changed since it was made (neither the value it saw
    nor the one it asks for): [(label, then, now)]."""
    now = {label: field_values(request.instance)[name] for name, label in INSTANCE_FIELDS}
    return [(label, before, now.get(label, "")) for label, before, after in request.changes
            if now.get(label, "") not in (before, after)]


def _requested_values(request):
    """Only the fields the request changes: the rest of the instance stays as it is now."""
    labels = {label for label, _, _ in request.changes}
    names = {name for name, label in INSTANCE_FIELDS if label in labels}
    return {name: value for name, value in _applied(request.proposed).items() if name in names}


def decide(request, approve, officer, comment=""):
    if request.status != PENDING:
        raise DecisionError(f"Förfrågan är redan {request.status_label.lower()}.")
    if not approve and not (comment or "").strip():
        raise DecisionError("Ange en motivering till varför ändringen avslås.")
    stale = stale_fields(request) if approve else []
    if stale:
        raise DecisionError("Systemet har ändrats sedan förfrågan gjordes: " + "; ".join(
            f"{label} (då: {then or '–'}, nu: {now or '–'})" for label, then, now in stale)
            + ". Avslå förfrågan och be om en ny, så skrivs inget över.")
    instance = request.instance
    contacts = sorted(contact_emails(instance))  # the ones before the change, told either way
    request.status = APPROVED if approve else REJECTED
    request.decided_by_name, request.decided_at = str(officer), utc_now()
    request.decision_comment = (comment or "").strip() or None
    recipients = sorted({*contacts, *([request.requested_by_email] if request.requested_by_email else [])})
    if recipients:
        queue_email(recipients, f"Ändringsförfrågan för systeminstans {instance.hsa_id} är "
                                f"{'godkänd' if approve else 'avslagen'}", "instance_change_decided",
                    reference=f"SystemInstance:{instance.id}", instance=instance, request=request)
    if approve:
        save_instance(instance, _requested_values(request), officer)  # commits, with its own mail
    else:
        db.session.commit()


def pending_requests_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(InstanceChangeRequest)
                             .where(InstanceChangeRequest.status == PENDING))

