"""Paging through a long list: a deep page is read by a deferred join (the page's keys first, then its
rows), and it must show exactly the rows Flask-Admin's own OFFSET query shows; every order ends
with the key, so that rows with equal sort values keep their places from page to page."""
import re

import pytest
import sqlalchemy as sa
from flask_admin.contrib.sqla import ModelView

from admin_views.access import DEFERRED_JOIN_OFFSET
from demo.national import BENCH_OFFICER, generate_national
from extensions import db
from models import CallAuthorization, ChangeLog, Environment, LogicalAddress, Order, ProducerConnection, User

from .conftest import log_in
from .test_admin_views import admin_view
from .test_query_counts import counting

PAGE_SIZE = 50


@pytest.fixture
def long_lists(app):
    """Above the deferred join's threshold: 1,500 addressees, 1,250 orders, thousands of connections."""
    generate_national(size=0.025)
    officer = db.session.scalar(sa.select(User).filter_by(email=BENCH_OFFICER))
    return {"officer": log_in(app.test_client(), officer),
            "prod": db.session.scalar(sa.select(Environment).filter_by(name="PROD"))}


def our_page(app, model, page, sort=None, desc=False, search=None, filters=()):
    view = admin_view(app, model)
    with app.test_request_context():
        _, rows = view.get_list(page, sort, desc, search, list(filters))
        return [row.id for row in rows]


def offset_page(app, model, page, sort=None, desc=False, search=None, filters=()):
    """The same list read as Flask-Admin reads it: one query with LIMIT and OFFSET."""
    view = admin_view(app, model)
    with app.test_request_context():
        _, rows = ModelView.get_list(view, page, sort, desc, search, list(filters))
        return [row.id for row in rows]


def filter_index(app, model, name):
    view = admin_view(app, model)
    return next(i for i, f in enumerate(view._filters) if str(f.name) == name)


def deep(page_rows):
    return page_rows * PAGE_SIZE >= DEFERRED_JOIN_OFFSET


MODELS = {model.__name__: model for model in (CallAuthorization, ChangeLog, LogicalAddress, Order,
                                              ProducerConnection)}


@pytest.mark.parametrize("register, page, sort, desc, search", [
    ("LogicalAddress", 25, None, False, None),  # by HSA-id
    ("LogicalAddress", 27, 0, True, None),  # by HSA-id, descending
    ("LogicalAddress", 21, 1, False, None),  # by name
    ("ProducerConnection", 40, None, False, None),  # by key
    ("ProducerConnection", 30, 0, False, None),  # by environment: thousands of equal values
    ("CallAuthorization", 60, 1, True, None),  # by consumer, descending
    ("CallAuthorization", 22, None, False, "SE"),  # searched
    ("Order", 22, None, False, None),  # the queue, newest sent first
    ("ChangeLog", 30, None, False, None),
])
def test_a_deep_page_shows_the_rows_of_the_offset_query(app, long_lists, register, page, sort, desc, search):
    model = MODELS[register]
    assert deep(page)
    ours = our_page(app, model, page, sort, desc, search)
    assert len(ours) == PAGE_SIZE
    assert ours == offset_page(app, model, page, sort, desc, search)


def test_a_deep_filtered_page_is_the_offset_querys(app, long_lists):
    environment = (filter_index(app, CallAuthorization, "Miljö"), "Miljö", str(long_lists["prod"].id))
    ours = our_page(app, CallAuthorization, 25, filters=[environment])
    assert len(ours) == PAGE_SIZE
    assert ours == offset_page(app, CallAuthorization, 25, filters=[environment])
    live = db.session.scalars(sa.select(CallAuthorization.environment_id).where(CallAuthorization.id.in_(ours)))
    assert set(live) == {long_lists["prod"].id}


def test_a_deep_page_reads_only_its_own_rows(app, long_lists):
    """The deferred join: the keys by OFFSET, then the page's 50 rows with their joins by key."""
    client = long_lists["officer"]
    db.session.expire_all()
    with counting() as statements:
        html = client.get("/admin/logicaladdress/?page=25").get_data(as_text=True)
    shown = re.findall(r'name="rowid"[^>]*value="(\d+)"', html)
    expected = db.session.scalars(sa.select(LogicalAddress.id).order_by(LogicalAddress.hsa_id, LogicalAddress.id)
                                  .limit(PAGE_SIZE).offset(25 * PAGE_SIZE)).all()
    assert [int(i) for i in shown] == expected
    lists = [s for s in statements if "FROM logical_address" in s and "count(" not in s]
    assert any("OFFSET" in s and "logical_address.name" not in s.split("FROM")[0] for s in lists)
    assert any(" IN (" in s and "OFFSET" not in s for s in lists)


def test_paging_through_equal_values_shows_every_row_once(app, long_lists):
    """Sorted by environment – four values over thousands of rows – the pages together are the register."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(ProducerConnection))
    seen = []
    for page in range(-(-total // PAGE_SIZE)):
        seen += our_page(app, ProducerConnection, page, sort=0)
    assert len(seen) == total == len(set(seen))


def test_every_list_order_ends_with_the_key(app, long_lists):
    client = long_lists["officer"]
    for url, key in [("/admin/producerconnection/?sort=0", "producer_connection.id"),
                     ("/admin/producerconnection/", "producer_connection.id"),
                     ("/admin/logicaladdress/?sort=0&desc=1", "logical_address.id DESC"),
                     ("/admin/backoffice/", "bs_order.id DESC")]:
        with counting() as statements:
            assert client.get(url).status_code == 200
        orders = [s.split("ORDER BY")[-1] for s in statements if "LIMIT" in s and "ORDER BY" in s]
        assert orders and all(re.search(re.escape(key) + r"\s*(LIMIT|$)", o.strip()) for o in orders), (url, orders)
