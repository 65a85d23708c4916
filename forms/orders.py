"""One form per step of the two order flows.

Every value a step posts – visible, hidden or JSON – is parsed and checked here against the
catalog before anything reaches a draft: ids must exist (or be valid new ones), cells must have
a routing, names and lists stay within their limits. Nothing the browser says about a value
(its name, "new", "already authorised") is believed; it is looked up.

A form's `errors_by_name` maps the posted field name to one Swedish message, for the page.
"""
import datetime as dt
import json
import re

import sqlalchemy as sa
from wtforms import Field, Form, StringField, TextAreaField
from wtforms import validators as wtv
from wtforms.fields import RadioField

from clock import swedish_today
from extensions import db
from models import (
    CallAuthorization,
    InstalledContract,
    LogicalAddress,
    Order,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    SystemInstance,
)
from models._columns import in_ignoring_case
from models.catalog import live_on
from models.directory import instance_environment
from web_input import DATABASE_INT, database_ids, database_int

from .identifiers import name_problem, tak_id_problem, url_problem
from .validators import EMAIL, free_text

MAX_CONTRACTS = 100
MAX_ADDRESSES = 5000      # addressees in one order, and lines in one pasted list
MAX_ADDRESS_NAME = 255    # what TAK and the register accept for an addressee's description
MAX_CONSUMERS = 200
MAX_MATRIX_CHANGES = 50_000  # ten columns of the 5,000-row demo domain
MAX_OTHER_INFO = 20_000
MOVES = ("next", "back", "save", "autosave")


class TextListField(Field):
    """Every value posted under the field's name, stripped, in the posted order."""

    def process_formdata(self, valuelist):
        self.data = [value.strip() for value in valuelist]

    def _value(self):
        return ""


class StepForm(Form):
    go = StringField(default="next")

    @property
    def move(self):
        return self.go.data if self.go.data in MOVES else "next"

    @property
    def lenient(self):
        """Back and save keep what is there without insisting that the step is complete."""
        return self.move != "next"

    @property
    def errors_by_name(self):
        messages = {}
        for name, errors in self.errors.items():
            if errors:
                messages[name] = errors[0] if isinstance(errors, list) else str(errors)
        return messages


def _ids(values, cap, message):
    ids = database_ids(values)
    if len(ids) != len([v for v in values if v]):
        raise wtv.ValidationError("Ogiltigt värde i listan.")
    if len(set(ids)) > cap:
        raise wtv.ValidationError(message)
    return list(dict.fromkeys(ids))


# --- Step 1 of both flows: miljö, datum, system -------------------------------------------------

def change_date_problem(value, today=None):
    if value is not None and value < (today or swedish_today()):
        return "Datum för ändring kan inte ha passerat. Lämna tomt för ordinarie handläggningstid."
    return None


class EnvironmentStepForm(StepForm):
    environment_id = StringField()
    change_date = StringField()
    producer_id = StringField()

    def __init__(self, formdata, environments, role):
        super().__init__(formdata)
        self.environments = {environment.id: environment for environment in environments}
        self.role = role  # "tjänsteproducent" / "tjänstekonsument"
        self.environment = self.instance = None
        self.date = None

    def validate_environment_id(self, field):
        ids = database_ids([field.data])
        self.environment = self.environments.get(ids[0]) if ids else None
        if self.environment is None:
            raise wtv.ValidationError("Välj miljö.")

    def validate_change_date(self, field):
        text = (field.data or "").strip()
        if not text:
            return
        try:
            self.date = dt.date.fromisoformat(text)
        except ValueError:
            raise wtv.ValidationError("Ange datum som ÅÅÅÅ-MM-DD.") from None
        problem = change_date_problem(self.date)
        if problem:
            raise wtv.ValidationError(problem)

    def validate_producer_id(self, field):
        ids = database_ids([field.data])
        self.instance = db.session.get(SystemInstance, ids[0]) if ids else None
        if self.instance is None:
            raise wtv.ValidationError(f"Sök fram och välj {self.role}.")
        if self.environment is not None and self.environment not in self.instance.environments:
            raise wtv.ValidationError(f"Systemet är inte anslutet till {self.environment.display}. Lägg till "
                                      "driftmiljön under Administrera systeminformation först.")


# --- Producer step 2: contracts -----------------------------------------------------------------

class ContractsForm(StepForm):
    contract_ids = TextListField()

    def __init__(self, formdata, environment_id):
        super().__init__(formdata)
        self.environment_id = environment_id
        self.contracts = []

    def validate_contract_ids(self, field):
        ids = _ids(field.data or [], MAX_CONTRACTS, f"Välj högst {MAX_CONTRACTS} tjänstekontrakt i en beställning.")
        installed = {contract.id: contract for contract in db.session.scalars(
            sa.select(ServiceContract).join(InstalledContract, sa.and_(
                InstalledContract.contract_id == ServiceContract.id,
                InstalledContract.environment_id == self.environment_id))
            .where(ServiceContract.id.in_(ids)))} if ids else {}
        if any(contract_id not in installed for contract_id in ids):
            raise wtv.ValidationError("Ett valt tjänstekontrakt finns inte installerat i miljön.")
        self.contracts = [installed[contract_id] for contract_id in ids]
        if not self.contracts and not self.lenient:
            raise wtv.ValidationError("Välj minst ett tjänstekontrakt.")


# --- Producer step 3: logical addressees to add or remove ----------------------------------------

def _in_chunks(values, size=500):
    """Sorted values in slices a query's IN (…) can take: SQLite allows a limited number of bound values."""
    values = sorted(values)
    return (values[start:start + size] for start in range(0, len(values), size))


def _existing_addresses(hsa_ids):
    found = {}
    # As spelt, not lowered here: the database lowers both sides (SQLite's lower() leaves Ä and Ö be).
    for chunk in _in_chunks(set(hsa_ids)):
        for address in db.session.scalars(sa.select(LogicalAddress).where(
                in_ignoring_case(LogicalAddress.hsa_id, chunk))):
            found[address.hsa_id.lower()] = address
    return found


def resolve_addresses(entries):
    """[(hsa_id, name)] → content entries and problems. An id the catalog knows is that addressee
    with its catalog spelling and name, whatever name was given; another id is a new addressee,
    which needs TAK's id rule and a name (stored upper-case, as TAK's import will store it)."""
    existing = _existing_addresses([hsa_id for hsa_id, _ in entries])
    resolved, problems, seen = [], [], set()
    for hsa_id, name in entries:
        if hsa_id.lower() in seen:
            continue
        seen.add(hsa_id.lower())
        address = existing.get(hsa_id.lower())
        if address is not None:
            resolved.append({"hsa_id": address.hsa_id, "name": address.name or "", "new": False})
            continue
        problem = tak_id_problem(hsa_id)
        if problem:
            problems.append(f"{hsa_id[:60]}: {problem}")
        elif not name:
            problems.append(f"{hsa_id} finns inte som logisk adressat; ange ett namn för den nya adressaten.")
        elif len(name) > MAX_ADDRESS_NAME:
            problems.append(f"{hsa_id}: namnet får vara högst {MAX_ADDRESS_NAME} tecken.")
        elif name_problem(name):
            problems.append(f"{hsa_id}: {name_problem(name)}")
        else:
            resolved.append({"hsa_id": hsa_id.upper(), "name": name, "new": True})
    return resolved, problems


def parse_address_lines(text):
    """Pasted lines 'HSA-id[ ;,tab name]' → ([(hsa_id, name)], [problem text])."""
    entries, problems = [], []
    lines = (text or "").splitlines()
    if len([line for line in lines if line.strip()]) > MAX_ADDRESSES:
        return [], [f"Listan har {len(lines)} rader; klistra in högst {MAX_ADDRESSES} åt gången."]
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        hsa_id, _, name = [part.strip() for part in re.split(r"([;,\t]|\s+)", line, maxsplit=1) + ["", ""]][:3]
        problem = tak_id_problem(hsa_id)
        if problem:
            problems.append(f"Rad {number} ({line[:80]}): {problem}")
        elif len(name) > MAX_ADDRESS_NAME:
            problems.append(f"Rad {number}: namnet får vara högst {MAX_ADDRESS_NAME} tecken.")
        else:
            entries.append((hsa_id, name))
    return entries, problems


def _existing_posted_as_new(hsa_ids, names, flags, resolved):
    """Problems for addressees posted as new, under a name of their own, that the register already
    holds under another: no page of ours posts that, and the catalogue's addressee is not renamed."""
    known = {entry["hsa_id"].lower(): entry for entry in resolved if not entry["new"]}
    problems = []
    for hsa_id, name, flag in zip(hsa_ids, names, flags):
        entry = known.get(hsa_id.lower())
        if flag == "1" and entry is not None and name and name != entry["name"]:
            problems.append(f"{entry['hsa_id']} finns redan som logisk adressat med namnet \"{entry['name']}\" och "
                            "kan inte beställas som ny adressat med ett annat namn.")
    return problems


class AddressesForm(StepForm):
    mode = RadioField(choices=[("add", "add"), ("remove", "remove")], default="add",
                      validate_choice=False)
    action = StringField()
    add_hsa_id = TextListField()
    add_name = TextListField()
    add_new = TextListField()  # "1" where the page shows the addressee as new (to be created)
    remove_hsa_id = TextListField()
    new_hsa_id = StringField(filters=[lambda value: (value or "").strip()])
    new_name = StringField(filters=[lambda value: (value or "").strip()])
    pasted = TextAreaField()

    def __init__(self, formdata, removable=None):
        super().__init__(formdata)
        self.removable = removable  # callable: the addressees the order may remove
        self.adding, self.removing, self.problems = [], [], []
        self.list_problems = []  # the posted lists themselves are wrong: nothing of them is kept
        self.new_added = self.pasted_added = False  # the typed addressee / the pasted list went in

    @property
    def removal_mode(self):
        return self.mode.data == "remove"

    def validate(self, extra_validators=None):
        super().validate(extra_validators)
        self._check_chosen()
        action = self.action.data if self.action.data in ("add_new", "paste") else ""
        typed = bool(self.new_hsa_id.data or self.new_name.data)
        # A typed but not added addressee is added by Nästa too, or stops it with its error.
        pressed = self.move != "autosave"  # the page's own saves never add a half-typed addressee
        if action == "add_new" or (typed and pressed and not self.removal_mode and not action):
            self._add_new()
        if action == "paste":
            entries, problems = parse_address_lines(self.pasted.data)
            resolved, more = resolve_addresses(entries)
            self.problems += problems + more
            self._merge(resolved)
            self.pasted_added = not (problems or more)
        if len(self.adding) > MAX_ADDRESSES:
            self.problems.append(f"En beställning får ha högst {MAX_ADDRESSES} logiska adressater.")
        return not self.errors and not self.problems and not self.list_problems

    def _check_chosen(self):
        hsa_ids = self.add_hsa_id.data or []
        names = (self.add_name.data or []) + [""] * len(hsa_ids)
        if len(hsa_ids) > MAX_ADDRESSES or len(self.remove_hsa_id.data or []) > MAX_ADDRESSES:
            self.list_problems.append(f"En beställning får ha högst {MAX_ADDRESSES} logiska adressater.")
            return
        resolved, problems = resolve_addresses([(h, n) for h, n in zip(hsa_ids, names) if h])
        self.list_problems += problems + _existing_posted_as_new(hsa_ids, names, self.add_new.data or [], resolved)
        self.adding = resolved
        removals = {hsa_id.lower() for hsa_id in self.remove_hsa_id.data or [] if hsa_id}
        if removals:
            allowed = {entry["hsa_id"].lower(): entry for entry in (self.removable() if self.removable else [])}
            if removals - set(allowed):
                self.list_problems.append("En logisk adressat att ta bort är inte ansluten för alla valda tjänstekontrakt.")
            self.removing = [allowed[key] for key in sorted(removals) if key in allowed]

    def _add_new(self):
        hsa_id, name = self.new_hsa_id.data, self.new_name.data
        if not hsa_id:
            self.new_hsa_id.errors = ["Ange adressidentitet (HSA-ID)."]
        elif tak_id_problem(hsa_id):
            self.new_hsa_id.errors = [tak_id_problem(hsa_id)]
        known = _existing_addresses([hsa_id]).get(hsa_id.lower()) if hsa_id else None
        if known is None:
            if not name:
                self.new_name.errors = ["Ange namn på den logiska adressaten."]
            elif len(name) > MAX_ADDRESS_NAME:
                self.new_name.errors = [f"Namnet får vara högst {MAX_ADDRESS_NAME} tecken."]
            elif name_problem(name):
                self.new_name.errors = [name_problem(name)]
        if not (self.new_hsa_id.errors or self.new_name.errors):
            resolved, problems = resolve_addresses([(hsa_id, name)])
            self.problems += problems
            self._merge(resolved)
            self.new_added = not problems

    def _merge(self, added):
        known = {entry["hsa_id"].lower() for entry in self.adding}
        for entry in added:
            if entry["hsa_id"].lower() not in known:
                known.add(entry["hsa_id"].lower())
                self.adding.append(entry)

    @property
    def errors(self):
        errors = dict(super().errors)
        for field in (self.new_hsa_id, self.new_name):
            if field.errors:
                errors[field.name] = field.errors
        return errors


# --- Producer step 4: RIVTA profile and URL per contract -------------------------------------------

def profile_names():
    """RIVTA profile names, newest first (the default)."""
    return sorted(db.session.scalars(sa.select(RivtaProfile.name)), reverse=True) or ["RIVTABP21", "RIVTABP20"]


class SettingsForm(StepForm):
    """url_<contract id> and profile_<contract id> for each contract of the order."""

    def __init__(self, formdata, contracts):
        super().__init__(formdata)
        self.formdata, self.contracts = formdata, contracts
        self.values, self.field_errors = {}, {}

    def validate(self, extra_validators=None):
        super().validate(extra_validators)
        profiles = profile_names()
        for entry in self.contracts:
            url = (self.formdata.get(f"url_{entry['id']}") or "").strip()
            profile = (self.formdata.get(f"profile_{entry['id']}") or "").strip()
            problem = url_problem(url) if url else "Ange URL till producentens tjänst."
            if problem:
                self.field_errors[f"url_{entry['id']}"] = problem
            if profile not in profiles:
                self.field_errors[f"profile_{entry['id']}"] = "Välj RIVTA-profil."
            self.values[entry["id"]] = {"url": url, "profile": profile}
        return not self.field_errors

    @property
    def errors_by_name(self):
        return dict(self.field_errors)

    def saved_contracts(self):
        """The contracts with each valid new value; a refused value never replaces a saved one."""
        result = []
        for entry in self.contracts:
            entry = dict(entry)
            posted = self.values.get(entry["id"], {})
            if f"url_{entry['id']}" not in self.field_errors:
                entry["url"] = posted.get("url", entry.get("url", ""))
            if f"profile_{entry['id']}" not in self.field_errors:
                entry["profile"] = posted.get("profile", entry.get("profile", ""))
            result.append(entry)
        return result


# --- Producer step 5: consumers on the new addressees ---------------------------------------------

class ConsumersForm(StepForm):
    consumer_choice = RadioField(choices=[("separate", "separate"), ("together", "together")], default="separate",
                                 validate_choice=False)
    consumer_ids = TextListField()

    def __init__(self, formdata, environment_id):
        super().__init__(formdata)
        self.environment_id = environment_id
        self.consumers = []

    @property
    def together(self):
        return self.consumer_choice.data == "together"

    def validate_consumer_ids(self, field):
        ids = _ids(field.data or [], MAX_CONSUMERS, f"Välj högst {MAX_CONSUMERS} tjänstekonsumenter.")
        table = instance_environment
        connected = {instance.id: instance for instance in db.session.scalars(
            sa.select(SystemInstance).join(table, table.c.system_instance_id == SystemInstance.id)
            .where(table.c.environment_id == self.environment_id, SystemInstance.id.in_(ids)))} if ids else {}
        if any(instance_id not in connected for instance_id in ids):
            raise wtv.ValidationError("En vald tjänstekonsument finns inte eller är inte ansluten till miljön.")
        self.consumers = [{"id": i, "hsa_id": connected[i].hsa_id, "description": connected[i].description,
                           "label": str(connected[i])} for i in ids]
        if self.together and not self.consumers and not self.lenient:
            raise wtv.ValidationError("Sök fram och lägg till minst en tjänstekonsument.")


# --- Both flows: övrig information and beställare ---------------------------------------------------

def _column_length(name):
    return getattr(Order, name).type.length


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _limited(name, *validators):
    limit = _column_length(name)
    return StringField(validators=[*validators, wtv.Length(max=limit, message=f"Högst {limit} tecken.")],
                       filters=[_strip])


class OrdererForm(StepForm):
    other_info = TextAreaField(validators=[wtv.Length(max=MAX_OTHER_INFO, message=f"Högst {MAX_OTHER_INFO} tecken.")],
                               filters=[free_text])
    orderer_name = _limited("orderer_name", wtv.DataRequired("Ange namn."))
    orderer_phone = _limited("orderer_phone", wtv.DataRequired("Ange telefon."))
    orderer_email = _limited("orderer_email", wtv.DataRequired("Ange e-post."),
                             EMAIL)
    orderer_role = _limited("orderer_role")

    FIELDS = ("other_info", "orderer_name", "orderer_phone", "orderer_email", "orderer_role")

    def values(self):
        return {name: self[name].data or "" for name in self.FIELDS}

    def savable(self):
        """What may be kept in the draft even when the step is not complete: every value that
        passed, and an emptied field (a missing value is no wrong value)."""
        return {name: value for name, value in self.values().items() if not (value and self[name].errors)}

    @property
    def only_missing(self):
        """Every fault is an empty field: back and save may still leave the step."""
        return all(not self[name].data for name in self.errors)


# --- Consumer matrix: the changed cells ---------------------------------------------------------

class MalformedRequest(ValueError):
    """A machine request that no page of ours sends: answered with a Swedish 400."""


def parse_matrix_changes(text):
    """The matrix page's JSON: [[contract_id, hsa_id, checked, …], …] → [(contract_id, hsa_id, checked)]."""
    try:
        data = json.loads(text or "[]")
    except (ValueError, RecursionError):
        raise MalformedRequest("Ändringarna i matrisen kunde inte läsas.") from None
    if not isinstance(data, list) or len(data) > MAX_MATRIX_CHANGES:
        raise MalformedRequest("Ändringarna i matrisen ska vara en lista med högst "
                               f"{MAX_MATRIX_CHANGES} celler.")
    changes = []
    for item in data:
        if not (isinstance(item, list) and len(item) >= 3 and isinstance(item[0], int)
                and not isinstance(item[0], bool) and 0 < item[0] <= DATABASE_INT
                and isinstance(item[1], str) and 0 < len(item[1]) <= 255 and isinstance(item[2], bool)):
            raise MalformedRequest("En cell i matrisen är felaktig: [kontrakt-id, HSA-id, vald].")
        changes.append((item[0], item[1], item[2]))
    return changes


def resolve_matrix_changes(changes, environment_id, consumer_id, today=None):
    """The posted cells checked against the catalog: the addressee exists, the contract is installed,
    a producer answers the cell (else it cannot be authorised), and whether the consumer already is
    authorised is looked up, not believed. Returns ([(contract_id, hsa_id, checked, existing)], problems)."""
    today = today or swedish_today()
    addresses = _existing_addresses([hsa_id for _, hsa_id, _ in changes])
    installed = set()
    for chunk in _in_chunks({contract_id for contract_id, _, _ in changes}):
        installed |= set(db.session.scalars(sa.select(InstalledContract.contract_id).where(
            InstalledContract.environment_id == environment_id, InstalledContract.contract_id.in_(chunk))))

    def live_pairs(model, chunk, *conditions):
        return set(db.session.execute(sa.select(model.contract_id, model.logical_address_id).where(
            model.environment_id == environment_id, model.logical_address_id.in_(chunk),
            model.contract_id.in_(list(installed)), live_on(model, today), *conditions)).all())

    routed, authorised = set(), set()
    for chunk in _in_chunks({address.id for address in addresses.values()}):
        routed |= live_pairs(ProducerConnection, chunk)
        authorised |= live_pairs(CallAuthorization, chunk, CallAuthorization.consumer_id == consumer_id)
    resolved, problems = [], []
    for contract_id, hsa_id, checked in changes:
        address = addresses.get(hsa_id.lower())
        if address is None:
            problems.append(f"{hsa_id[:60]} finns inte som logisk adressat.")
        elif contract_id not in installed:
            problems.append(f"Tjänstekontraktet för {address.hsa_id} finns inte installerat i miljön.")
        elif (contract_id, address.id) not in routed and checked:
            problems.append(f"Ingen producent svarar för {address.hsa_id} på det tjänstekontraktet; "
                            "behörighet kan inte beställas.")
        else:
            resolved.append((contract_id, address.hsa_id, checked, (contract_id, address.id) in authorised))
    return resolved, problems


class CopyForm(Form):
    """Beställ samma i annan miljö: the environment the copy is for (an id the database can hold)."""

    environment_id = StringField()

    def chosen_id(self):
        try:
            return database_int(self.environment_id.data or "")
        except ValueError:
            return None
