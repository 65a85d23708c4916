"""Verified in TAK: after an environment's TAK export is imported, each done order of that
environment is checked against the mirror – is everything it included there, everything it
excluded gone?"""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from clock import swedish_today, utc_now
from extensions import db
from models import (
    CallAuthorization,
    LogicalAddress,
    Order,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    SystemInstance,
)
from models._columns import equals_ignoring_case
from models.catalog import live_on
from models.orders import DONE

from . import order_kinds as kinds


def _matches(column, value):
    return equals_ignoring_case(column, value)


def _routing_live(environment_id, item, day, exact):
    producer = aliased(SystemInstance)
    query = (sa.select(ProducerConnection.id)
             .join(ServiceContract, ProducerConnection.contract_id == ServiceContract.id)
             .join(LogicalAddress, ProducerConnection.logical_address_id == LogicalAddress.id)
             .join(producer, ProducerConnection.producer_id == producer.id)
             .where(ProducerConnection.environment_id == environment_id,
                    _matches(ServiceContract.namespace, item.contract),
                    _matches(LogicalAddress.hsa_id, item.address),
                    _matches(producer.hsa_id, item.producer), live_on(ProducerConnection, day)))
    if exact:
        query = (query.join(RivtaProfile, ProducerConnection.rivta_profile_id == RivtaProfile.id)
                 .where(ProducerConnection.url == item.url, _matches(RivtaProfile.name, item.profile)))
    return db.session.scalar(query.limit(1)) is not None


def _authorization_live(environment_id, item, day):
    consumer = aliased(SystemInstance)
    query = (sa.select(CallAuthorization.id)
             .join(ServiceContract, CallAuthorization.contract_id == ServiceContract.id)
             .join(LogicalAddress, CallAuthorization.logical_address_id == LogicalAddress.id)
             .join(consumer, CallAuthorization.consumer_id == consumer.id)
             .where(CallAuthorization.environment_id == environment_id,
                    _matches(ServiceContract.namespace, item.contract),
                    _matches(LogicalAddress.hsa_id, item.address),
                    _matches(consumer.hsa_id, item.consumer), live_on(CallAuthorization, day)))
    return db.session.scalar(query.limit(1)) is not None


def differences(order, changes, day):
    """What TAK does not show as ordered, in customer service's words; empty when it all matches."""
    environment_id, found = order.environment_id, []
    for item in changes.include_routings:
        if not _routing_live(environment_id, item, day, exact=True):
            found.append(f"Saknas i TAK: vägval {item.contract} för {item.address} "
                         f"till {item.url} ({item.profile})")
    for item in changes.include_authorizations:
        if not _authorization_live(environment_id, item, day):
            found.append(f"Saknas i TAK: anropsbehörighet för {item.consumer} till "
                         f"{item.contract} för {item.address}")
    for item in changes.exclude_routings:
        if _routing_live(environment_id, item, day, exact=False):
            found.append(f"Finns kvar i TAK: vägval {item.contract} för {item.address}")
    for item in changes.exclude_authorizations:
        if _authorization_live(environment_id, item, day):
            found.append(f"Finns kvar i TAK: anropsbehörighet för {item.consumer} till "
                         f"{item.contract} för {item.address}")
    return found


def _to_check(environment):
    """Done orders not yet seen in TAK: never checked, or differing last time. An order once
    verified stays verified – later changes in TAK are other orders' business."""
    done = sa.and_(Order.environment_id == environment.id, Order.status == DONE)
    differing = [order_id for order_id, found in db.session.execute(
        sa.select(Order.id, Order.verification_differences).where(done, Order.verified_at.is_not(None))) if found]
    return db.session.scalars(sa.select(Order).where(done, sa.or_(Order.verified_at.is_(None),
                                                                  Order.id.in_(differing))))


def verify_done_orders(environment, today=None):
    """Check the environment's done orders not yet verified; returns (verified, differing)."""
    today = today or swedish_today()
    verified = differing = 0
    for order in _to_check(environment):
        day = max(today, order.change_date or today)
        order.verification_differences = differences(order, kinds.change_set(order), day)
        order.verified_at = utc_now()
        if order.verification_differences:
            differing += 1
        else:
            verified += 1
    db.session.commit()
    return verified, differing
