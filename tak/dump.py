"""Write one environment of the mirror as a TAK nightly dump (`takdump_*.json`).

The same shape `flask tak import` reads, so an environment can be moved between deployments and
the import can be measured on a catalogue of any size. Rows are streamed, never held as a list.
"""
import json

import sqlalchemy as sa

from clock import start_of_swedish_day, tak_time, utc_now
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
from models.tak_items import Entity, Key, dump_header


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
            yield {Key.ID: row_id, Key.VALID_FROM: _day(start), Key.VALID_TO: _day(end), Key.PUBLISHED_VERSION: "0",
                   Key.RELATIONSHIPS: {Key.ENDPOINT: endpoint, Key.EXPORT_ADDRESS: address, Key.CONTRACT: contract}}

    def endpoint_rows():
        for (producer, profile, url), endpoint in endpoints.items():
            yield {Key.ID: endpoint, Key.URL: url, Key.PUBLISHED_VERSION: "0",
                   Key.RELATIONSHIPS: {Key.PROFILE: profile, Key.PRODUCER: producer}}

    entities = {
        Entity.PROFILE: (
            {Key.ID: p.id, Key.NAME: p.name, Key.DESCRIPTION: p.description or "", Key.PUBLISHED_VERSION: "0"}
            for p in db.session.scalars(sa.select(RivtaProfile).order_by(RivtaProfile.id))),
        Entity.CONTRACT: (
            {Key.ID: c.id, Key.NAMESPACE: c.namespace, Key.DESCRIPTION: c.description or c.name,
             Key.MAJOR: c.major, Key.MINOR: c.minor, Key.PUBLISHED_VERSION: "0"}
            for c in db.session.scalars(sa.select(ServiceContract).join(InstalledContract).where(
                InstalledContract.environment_id == env).order_by(ServiceContract.id))),
        Entity.ADDRESSEE: (
            {Key.ID: a_id, Key.HSA_ID: hsa_id, Key.DESCRIPTION: name or hsa_id, Key.PUBLISHED_VERSION: "0"}
            for a_id, hsa_id, name in db.session.execute(
                sa.select(LogicalAddress.id, LogicalAddress.hsa_id, LogicalAddress.name)
                .where(LogicalAddress.id.in_(sa.select(used_addresses))).order_by(LogicalAddress.id))),
        Entity.COMPONENT: (
            {Key.ID: i_id, Key.HSA_ID: hsa_id, Key.DESCRIPTION: description or hsa_id, Key.PUBLISHED_VERSION: "0"}
            for i_id, hsa_id, description in db.session.execute(
                sa.select(SystemInstance.id, SystemInstance.hsa_id, SystemInstance.tak_description)
                .where(SystemInstance.id.in_(sa.select(used_instances))).order_by(SystemInstance.id))),
        Entity.ROUTING: routing_rows(),
        Entity.ENDPOINT: endpoint_rows(),  # after vagval: filled while the routings were written
        Entity.AUTHORIZATION: (
            {Key.ID: row_id, Key.AGREEMENT: agreement or "", Key.VALID_FROM: _day(start),
             Key.VALID_TO: _day(end), Key.PUBLISHED_VERSION: "0",
             Key.RELATIONSHIPS: {Key.ADDRESS: address, Key.CONSUMER: consumer, Key.CONTRACT: contract}}
            for row_id, agreement, start, end, address, consumer, contract in db.session.execute(
                sa.select(CallAuthorization.id, CallAuthorization.integration_agreement, CallAuthorization.valid_from,
                          CallAuthorization.valid_to, CallAuthorization.logical_address_id,
                          CallAuthorization.consumer_id, CallAuthorization.contract_id)
                .where(CallAuthorization.environment_id == env).order_by(CallAuthorization.id))),
    }
    header = dump_header(tak_time(utc_now()), "Beställningsstöd", f"Export av {environment.display}")
    out.write(json.dumps(header, ensure_ascii=False)[:-1] + f', "{Key.DATA}": {{')
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
