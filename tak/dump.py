"""Write one environment of the mirror as a TAK nightly dump (`takdump_*.json`).

The same shape `flask tak import` reads, so an environment can be moved between deployments and
the import can be measured on a catalogue of any size. Rows are streamed, never held as a list.
"""
import datetime as dt
import json

import sqlalchemy as sa

from clock import start_of_swedish_day, tak_time
from extensions import db
from models import (
    CallAuthorization,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    SystemInstance,
)


def _day(date):
    """TAK keeps a day as Swedish midnight in UTC."""
    return tak_time(start_of_swedish_day(date))


def write_takdump(environment, out):
    """Write the environment's catalogue to the text stream `out`; returns rows written per entity."""
    env = environment.id
    used_instances = sa.union(
        sa.select(ProducerConnection.producer_id).where(ProducerConnection.environment_id == env),
        sa.select(CallAuthorization.consumer_id).where(CallAuthorization.environment_id == env)).subquery()
    used_addresses = sa.union(
        sa.select(ProducerConnection.logical_address_id).where(ProducerConnection.environment_id == env),
        sa.select(CallAuthorization.logical_address_id).where(CallAuthorization.environment_id == env)).subquery()
    endpoints = {}  # (producer, profile, url) → anropsadress id

    def routing_rows():
        query = (sa.select(ProducerConnection.id, ProducerConnection.producer_id, ProducerConnection.rivta_profile_id,
                           ProducerConnection.url, ProducerConnection.contract_id,
                           ProducerConnection.logical_address_id, ProducerConnection.valid_from,
                           ProducerConnection.valid_to)
                 .where(ProducerConnection.environment_id == env).order_by(ProducerConnection.id))
        for row_id, producer, profile, url, contract, address, start, end in db.session.execute(query):
            endpoint = endpoints.setdefault((producer, profile, url), len(endpoints) + 1)
            yield {"id": row_id, "fromTidpunkt": _day(start), "tomTidpunkt": _day(end), "pubversion": "0",
                   "relationships": {"anropsadress": endpoint, "logiskadress": address, "tjanstekontrakt": contract}}

    def endpoint_rows():
        for (producer, profile, url), endpoint in endpoints.items():
            yield {"id": endpoint, "adress": url, "pubversion": "0",
                   "relationships": {"rivtaprofil": profile, "tjanstekomponent": producer}}

    entities = {
        "rivtaprofil": (
            {"id": p.id, "namn": p.name, "beskrivning": p.description or "", "pubversion": "0"}
            for p in db.session.scalars(sa.select(RivtaProfile).order_by(RivtaProfile.id))),
        "tjanstekontrakt": (
            {"id": c.id, "namnrymd": c.namespace, "beskrivning": c.description or c.name,
             "majorVersion": c.major, "minorVersion": c.minor, "pubversion": "0"}
            for c in db.session.scalars(sa.select(ServiceContract).join(InstalledContract).where(
                InstalledContract.environment_id == env).order_by(ServiceContract.id))),
        "logiskadress": (
            {"id": a_id, "hsaId": hsa_id, "beskrivning": name or hsa_id, "pubversion": "0"}
            for a_id, hsa_id, name in db.session.execute(
                sa.select(LogicalAddress.id, LogicalAddress.hsa_id, LogicalAddress.name)
                .where(LogicalAddress.id.in_(sa.select(used_addresses))).order_by(LogicalAddress.id))),
        "tjanstekomponent": (
            {"id": i_id, "hsaId": hsa_id, "beskrivning": description or hsa_id, "pubversion": "0"}
            for i_id, hsa_id, description in db.session.execute(
                sa.select(SystemInstance.id, SystemInstance.hsa_id, SystemInstance.tak_description)
                .where(SystemInstance.id.in_(sa.select(used_instances))).order_by(SystemInstance.id))),
        "vagval": routing_rows(),
        "anropsadress": endpoint_rows(),  # after vagval: filled while the routings were written
        "anropsbehorighet": (
            {"id": row_id, "integrationsavtal": agreement or "", "fromTidpunkt": _day(start),
             "tomTidpunkt": _day(end), "pubversion": "0",
             "relationships": {"logiskAdress": address, "tjanstekonsument": consumer, "tjanstekontrakt": contract}}
            for row_id, agreement, start, end, address, consumer, contract in db.session.execute(
                sa.select(CallAuthorization.id, CallAuthorization.integration_agreement, CallAuthorization.valid_from,
                          CallAuthorization.valid_to, CallAuthorization.logical_address_id,
                          CallAuthorization.consumer_id, CallAuthorization.contract_id)
                .where(CallAuthorization.environment_id == env).order_by(CallAuthorization.id))),
    }
    header = {"formatVersion": 1, "version": 0, "tidpunkt": tak_time(dt.datetime.now(dt.UTC)),
              "utforare": "Beställningsstöd", "kommentar": f"Export av {environment.display}"}
    out.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "data": {')
    counts = {}
    for index, (name, rows) in enumerate(entities.items()):
        out.write(("," if index else "") + f'\n"{name}": [')
        counts[name] = 0
        for row in rows:
            out.write(("," if counts[name] else "") + "\n" + json.dumps(row, ensure_ascii=False))
            counts[name] += 1
        out.write("]")
    out.write("}}\n")
    return counts
