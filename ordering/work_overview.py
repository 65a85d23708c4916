"""Customer service's day at a glance: what waits in the queue, what TAK's last import said about
done orders, which mails fail, which change requests wait, when each environment was imported."""
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from clock import as_utc, utc_now
from extensions import db
from models import CatalogSync, Environment, Order, OutboundEmail
from models.catalog import environment_named, tak_api_mapping
from models.orders import DONE, IN_PROGRESS, SUBMITTED

from .instance_changes import pending_requests_count


@dataclass(frozen=True)
class WorkOverview:
    submitted: int
    in_progress: int
    done_unchecked: int
    deviating: int
    oldest_waiting: Order | None
    failing_mails: int
    pending_requests: int
    environments: list
    stale_syncs: list  # (environment, last successful sync or None) for those TAK-API has not synced for a day


SYNC_OVERDUE = dt.timedelta(days=1)


def stale_syncs(setting, now=None):
    """The environments following TAK-API (TAK_SYNC_ENVIRONMENTS) whose last successful sync is more
    than a day old, or that never synced. A wrong setting is no warning here: `flask tak sync` says it."""
    try:
        labels = list(tak_api_mapping(setting))
    except ValueError:
        return []
    now, stale = now or utc_now(), []
    for label in labels:
        environment = environment_named(label)
        if environment is None:
            continue
        last = db.session.scalar(sa.select(sa.func.max(CatalogSync.finished_at)).where(
            CatalogSync.environment_id == environment.id, CatalogSync.succeeded.is_(True)))
        if last is None or now - as_utc(last) > SYNC_OVERDUE:
            stale.append((environment, last))
    return stale


def _waiting_counts():
    counts = dict(db.session.execute(
        sa.select(Order.status, sa.func.count()).where(Order.status.in_([SUBMITTED, IN_PROGRESS]))
        .group_by(Order.status)).all())
    return counts.get(SUBMITTED, 0), counts.get(IN_PROGRESS, 0)


def _tak_check_counts():
    """Done orders not yet checked and deviating, in one pass over the done orders."""
    unchecked, deviating = db.session.execute(sa.select(
        sa.func.count().filter(Order.tak_check("ej")),
        sa.func.count().filter(Order.tak_check("avviker")),
    ).where(Order.status == DONE)).one()
    return unchecked, deviating


def oldest_waiting_order():
    return db.session.scalar(sa.select(Order).where(Order.status.in_([SUBMITTED, IN_PROGRESS]))
                             .order_by(Order.submitted_at, Order.id).limit(1))


def work_overview(sync_setting=""):
    submitted, in_progress = _waiting_counts()
    unchecked, deviating = _tak_check_counts()
    return WorkOverview(
        submitted=submitted, in_progress=in_progress, done_unchecked=unchecked, deviating=deviating,
        oldest_waiting=oldest_waiting_order(),
        failing_mails=db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail)
                                        .where(OutboundEmail.failing())),
        pending_requests=pending_requests_count(),
        environments=db.session.scalars(sa.select(Environment).where(Environment.active)
                                        .order_by(Environment.platform, Environment.name)).all(),
        stale_syncs=stale_syncs(sync_setting),
    )
