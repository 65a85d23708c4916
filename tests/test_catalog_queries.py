"""'Is this addressee connected for this contract in this environment today?' – one index lookup."""
import datetime as dt

import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from ordering.catalog import authorization_query, connection_query


def explain(query):
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    return " ".join(str(row) for row in db.session.execute(sa.text(prefix + str(compiled))))


def test_connected_today_and_not_after_expiry(catalog):
    c = catalog
    today = swedish_today()
    assert db.session.scalar(connection_query(c["test"].id, c["contract"].id, c["address"].id, today))
    assert db.session.scalar(connection_query(c["qa"].id, c["contract"].id, c["address"].id, today)) is None
    past = today - dt.timedelta(days=400)
    assert db.session.scalar(connection_query(c["test"].id, c["contract"].id, c["address"].id, past)) is None
    assert db.session.scalar(authorization_query(c["test"].id, c["consumer"].id, c["contract"].id,
                                                 c["address"].id, today))


def test_lookups_use_their_index(catalog):
    c = catalog
    today = swedish_today()
    plans = [explain(connection_query(c["test"].id, c["contract"].id, c["address"].id, today)),
             explain(authorization_query(c["test"].id, c["consumer"].id, c["contract"].id, c["address"].id, today))]
    if db.engine.dialect.name == "sqlite":
        assert "ix_producer_connection_lookup" in plans[0]
        assert "ix_call_authorization_lookup" in plans[1]
    else:  # PostgreSQL may prefer a scan on a one-row table; the plan must at least be valid
        assert all(plans)
