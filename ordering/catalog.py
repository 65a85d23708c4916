"""Questions the order flows ask the catalog mirror."""
import sqlalchemy as sa
from sqlalchemy_utils import escape_like

from extensions import db
from models import CallAuthorization, Environment, LogicalAddress, ProducerConnection
from models._columns import in_ignoring_case
from models.catalog import live_on


def connection_query(environment_id, contract_id, logical_address_id, day):
    """The live producer connection for addressee and contract; answered by ix_producer_connection_lookup."""
    return sa.select(ProducerConnection.id).where(
        ProducerConnection.environment_id == environment_id,
        ProducerConnection.contract_id == contract_id,
        ProducerConnection.logical_address_id == logical_address_id,
        live_on(ProducerConnection, day),
    )


def authorization_query(environment_id, consumer_id, contract_id, logical_address_id, day):
    """The live call authorisation; answered by ix_call_authorization_lookup."""
    return sa.select(CallAuthorization.id).where(
        CallAuthorization.environment_id == environment_id,
        CallAuthorization.consumer_id == consumer_id,
        CallAuthorization.contract_id == contract_id,
        CallAuthorization.logical_address_id == logical_address_id,
        live_on(CallAuthorization, day),
    )


def address_ids(hsa_ids):
    """Ids of the addressees with these HSA-ids, in any case (the export has ids with Ä and Ö)."""
    return list(db.session.scalars(sa.select(LogicalAddress.id).where(in_ignoring_case(LogicalAddress.hsa_id, hsa_ids))))


def like_pattern(term):
    """'%' and '_' typed by a user are searched for, not wildcards (escaped with a backslash)."""
    escaped = escape_like((term or "").strip().lower(), escape_char="\\")
    return f"%{escaped}%"


def contains(columns, term, approximate=False):
    """Case-insensitive "contains the term" on any of the columns.

    SQLite's own LIKE ignores ASCII case and is two to three times faster than lower() on every
    row of a 60,000-row scan, so a plain-ASCII term uses it there. Å, ä, ö need lower() on both
    sides – unless `approximate`: then they become LIKE's one-character wildcard, and the caller
    drops the rare false hit with `term_in`. PostgreSQL (case-sensitive LIKE) always uses lower()."""
    pattern = like_pattern(term)
    if db.session.get_bind().dialect.name == "sqlite" and (approximate or pattern.isascii()):
        pattern = "".join(character if character.isascii() else "_" for character in pattern)
        return sa.or_(*(column.like(pattern, escape="\\") for column in columns))
    return sa.or_(*(sa.func.lower(column).like(pattern, escape="\\") for column in columns))


def term_in(term, *values):
    """The exact check behind an approximate `contains`."""
    wanted = (term or "").strip().lower()
    return any(wanted in (value or "").lower() for value in values)


def orderable_environments(also=()):
    """Active environments (the ones orders go to), plus the given ids even if inactive."""
    query = (sa.select(Environment).where(sa.or_(Environment.active.is_(True), Environment.id.in_(list(also))))
             .order_by(Environment.platform, Environment.id))
    return db.session.scalars(query).all()
