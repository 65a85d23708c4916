"""Applying a done order's change set to the catalog mirror with TAK's semantics (architecture §4):
validity from the execution date for 100 years; a changed connection replaces the live one, which
ends the day before (or disappears if it had not started); exclusions end the day before; what
already exists is extended."""
import datetime as dt

import sqlalchemy as sa

from extensions import db
from models import (
    CallAuthorization,
    LogicalAddress,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    SystemInstance,
)
from models._columns import equals_ignoring_case
from models.catalog import validity_end

from .orders import TransitionError

_SHOWN_MISSING = 5


def from_day(model, day):
    """Rows that still apply on or after the day: live ones and those not yet started."""
    return model.valid_to >= day


class _Lookup:
    """Catalog rows by TAK identifier (case-insensitive), loaded once per apply."""

    def __init__(self, model, column):
        self.model, self.column, self.rows = model, column, {}

    def get(self, key):
        lowered = key.lower()
        if lowered not in self.rows:
            self.rows[lowered] = db.session.scalar(sa.select(self.model).where(equals_ignoring_case(self.column, key)))
        return self.rows[lowered]


def _end_or_remove(row, start):
    if row.valid_from >= start:
        db.session.delete(row)
    else:
        row.valid_to = start - dt.timedelta(days=1)


def _missing(changes, contracts, addresses, instances, profiles):
    """What the catalogue lacks for the order's inclusions, in Swedish ("tjänstekontraktet urn:…").
    An addressee the order lists is created, as TAK does; nothing else is."""
    listed = {item.hsa_id.lower() for item in changes.include_addresses}
    wanted = [("tjänstekontraktet", contracts, item.contract) for item in
              changes.include_routings + changes.include_authorizations]
    wanted += [("logiska adressaten", addresses, item.address) for item in
               changes.include_routings + changes.include_authorizations if item.address.lower() not in listed]
    wanted += [("tjänstekomponenten", instances, item.producer) for item in changes.include_routings]
    wanted += [("tjänstekomponenten", instances, item.consumer) for item in changes.include_authorizations]
    wanted += [("RIVTA-profilen", profiles, item.profile) for item in changes.include_routings]
    missing = {}
    for what, lookup, key in wanted:
        if lookup.get(key) is None:
            missing.setdefault(f"{what} {key}".lower(), f"{what} {key}")
    return list(missing.values())


def _refuse_unless_complete(order, changes, *lookups):
    missing = _missing(changes, *lookups)
    if missing:
        shown = ", ".join(missing[:_SHOWN_MISSING])
        more = f" och {len(missing) - _SHOWN_MISSING} till" if len(missing) > _SHOWN_MISSING else ""
        where = order.environment.display if order.environment else "katalogen"
        raise TransitionError(
            f"{order.display_number} kan inte genomföras i Beställningsstödets katalog: {where} saknar {shown}{more}. "
            "Importera TAK:s aktuella export och försök igen, eller avvisa beställningen. Inget har ändrats.")


def apply_change_set(order, changes, start):
    """Bring the order's environment in line with the change set as of `start` (a date). When the
    catalogue lacks something the order includes, TransitionError says what, before anything is
    written; an exclusion of rows the catalogue no longer has is already done."""
    environment_id, end = order.environment_id, validity_end(start)
    contracts = _Lookup(ServiceContract, ServiceContract.namespace)
    addresses = _Lookup(LogicalAddress, LogicalAddress.hsa_id)
    instances = _Lookup(SystemInstance, SystemInstance.hsa_id)
    profiles = _Lookup(RivtaProfile, RivtaProfile.name)
    _refuse_unless_complete(order, changes, contracts, addresses, instances, profiles)
    for item in changes.include_addresses:
        if addresses.get(item.hsa_id) is None:
            address = LogicalAddress(hsa_id=item.hsa_id, name=item.description)
            db.session.add(address)
            addresses.rows[item.hsa_id.lower()] = address
    db.session.flush()

    for item in changes.include_routings:
        contract, address = contracts.get(item.contract), addresses.get(item.address)
        producer, profile = instances.get(item.producer), profiles.get(item.profile)
        live = db.session.scalars(sa.select(ProducerConnection).where(
            ProducerConnection.environment_id == environment_id, ProducerConnection.contract_id == contract.id,
            ProducerConnection.logical_address_id == address.id, from_day(ProducerConnection, start))).all()
        same = [row for row in live if (row.producer_id, row.url, row.rivta_profile_id) ==
                (producer.id, item.url, profile.id)]
        if same:
            same[0].valid_to = max(same[0].valid_to, end)
            continue
        for row in live:
            _end_or_remove(row, start)
        db.session.add(ProducerConnection(environment_id=environment_id, producer=producer, contract=contract,
                                          logical_address=address, rivta_profile=profile, url=item.url,
                                          valid_from=start, valid_to=end))

    for item in changes.include_authorizations:
        consumer, contract = instances.get(item.consumer), contracts.get(item.contract)
        address = addresses.get(item.address)
        live = _live_authorizations(environment_id, consumer, contract, address, start)
        if live:
            live[0].valid_to = max(live[0].valid_to, end)
        else:
            db.session.add(CallAuthorization(environment_id=environment_id, consumer=consumer, contract=contract,
                                             logical_address=address, valid_from=start, valid_to=end,
                                             integration_agreement=item.integration_agreement
                                             or order.display_number))

    for item in changes.exclude_routings:
        contract, address = contracts.get(item.contract), addresses.get(item.address)
        producer = instances.get(item.producer)
        if None in (contract, address, producer):
            continue
        for row in db.session.scalars(sa.select(ProducerConnection).where(
                ProducerConnection.environment_id == environment_id, ProducerConnection.contract_id == contract.id,
                ProducerConnection.logical_address_id == address.id, ProducerConnection.producer_id == producer.id,
                from_day(ProducerConnection, start))):
            _end_or_remove(row, start)

    for item in changes.exclude_authorizations:
        consumer, contract, address = (instances.get(item.consumer), contracts.get(item.contract),
                                       addresses.get(item.address))
        if None in (consumer, contract, address):
            continue
        for row in _live_authorizations(environment_id, consumer, contract, address, start):
            _end_or_remove(row, start)
    db.session.flush()


def _live_authorizations(environment_id, consumer, contract, address, day):
    return db.session.scalars(sa.select(CallAuthorization).where(
        CallAuthorization.environment_id == environment_id, CallAuthorization.consumer_id == consumer.id,
        CallAuthorization.contract_id == contract.id, CallAuthorization.logical_address_id == address.id,
        from_day(CallAuthorization, day))).all()
