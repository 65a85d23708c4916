"""Filters shared by the catalog views."""
import datetime as dt

import sqlalchemy as sa
from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.contrib.sqla.filters import (
    BaseSQLAFilter,
    DateBetweenFilter,
    FilterLike,
    IntEqualFilter,
)

from clock import start_of_swedish_day, swedish_today
from extensions import db
from models import Environment, LogicalAddress, Order, OutboundEmail, ProducerConnection, ServiceDomain
from models.catalog import live_on
from ordering import catalog_health as health
from web_input import DATABASE_INT, database_int


class QueryOptions:
    """Filter options read from the database whenever a list page is drawn.

    Flask-Admin evaluates plain callables once, when the view is registered – before any
    request, and never again, so a new environment or domain would not show up.
    """

    def __init__(self, load):
        self.load = load

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(self.load())


def _environment_options():
    query = sa.select(Environment).order_by(Environment.platform, Environment.name)
    return [(str(e.id), e.display) for e in db.session.scalars(query)]


def _domain_options():
    query = sa.select(ServiceDomain).order_by(ServiceDomain.namespace)
    return [(str(d.id), str(d)) for d in db.session.scalars(query)]


# --- Integer filters that a number beyond the database's INTEGER cannot break --------------------
# Flask-Admin hands the typed number to the query: on PostgreSQL 3000000000 against an INTEGER column is
# an error (a 500), on SQLite an OverflowError. A number no row can hold is answered as such instead.

def _beyond(value):
    return not -DATABASE_INT - 1 <= value <= DATABASE_INT


class _IntEqual(sqla_filters.IntEqualFilter):
    def apply(self, query, value, alias=None):
        return query.filter(sa.false()) if _beyond(value) else super().apply(query, value, alias)


class _IntNotEqual(sqla_filters.IntNotEqualFilter):
    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias).is_not(None)) if _beyond(value) else super().apply(query, value, alias)


class _IntGreater(sqla_filters.IntGreaterFilter):
    def apply(self, query, value, alias=None):
        if _beyond(value):
            return query.filter(sa.false() if value > 0 else self.get_column(alias).is_not(None))
        return super().apply(query, value, alias)


class _IntSmaller(sqla_filters.IntSmallerFilter):
    def apply(self, query, value, alias=None):
        if _beyond(value):
            return query.filter(sa.false() if value < 0 else self.get_column(alias).is_not(None))
        return super().apply(query, value, alias)


class _IntInList(sqla_filters.IntInListFilter):
    def apply(self, query, value, alias=None):
        return super().apply(query, [number for number in value if not _beyond(number)], alias)


class _IntNotInList(sqla_filters.IntNotInListFilter):
    def apply(self, query, value, alias=None):
        return super().apply(query, [number for number in value if not _beyond(number)], alias)


class FilterConverter(sqla_filters.FilterConverter):
    """Flask-Admin's, with the integer filters above."""

    int_filters = (_IntEqual, _IntNotEqual, _IntGreater, _IntSmaller, sqla_filters.FilterEmpty, _IntInList,
                   _IntNotInList)


class IdFilter(IntEqualFilter):
    """An id from a drop-down; a hand-edited URL with a number beyond the database's is refused."""

    def clean(self, value):
        return database_int(value)


def environment_filter(column):
    return IdFilter(column=column, name="Miljö", options=QueryOptions(_environment_options))


def domain_filter(column):
    return IdFilter(column=column, name="Tjänstedomän", options=QueryOptions(_domain_options))


def organisation_filter(column):
    # Organisations run into thousands: a text filter, not a drop-down.
    return FilterLike(column=column, name="Organisation")


class ValidTodayFilter(BaseSQLAFilter):
    """Rows that apply today (Ja) or do not (Nej), as TAK's from/tom validity."""

    def __init__(self, model):
        super().__init__(model.valid_to, "Giltig i dag", options=(("1", "Ja"), ("0", "Nej")))
        self.model = model

    def apply(self, query, value, alias=None):
        live = live_on(self.model, swedish_today())
        return query.filter(live if value == "1" else sa.not_(live))

    def operation(self):
        return "är"


class ConnectedInEnvironmentFilter(IdFilter):
    """Addressees some producer answers for today in the chosen environment."""

    def __init__(self):
        super().__init__(LogicalAddress.id, "Ansluten i miljö", options=QueryOptions(_environment_options))

    def apply(self, query, value, alias=None):
        connected = sa.select(ProducerConnection.id).where(
            ProducerConnection.logical_address_id == LogicalAddress.id,
            ProducerConnection.environment_id == value,
            live_on(ProducerConnection, swedish_today()),
        )
        return query.filter(connected.exists())

    def operation(self):
        return "är"


class TakCheckFilter(BaseSQLAFilter):
    """Done orders as the check after TAK's last import found them: verified, deviating, not yet checked."""

    OPTIONS = (("verifierad", "Verifierad i TAK"), ("avviker", "Avviker från TAK"), ("ej", "Ej kontrollerad"))

    def __init__(self):
        super().__init__(Order.verified_at, "Kontroll mot TAK", options=self.OPTIONS)

    def apply(self, query, value, alias=None):
        return query.filter(Order.tak_check(value))

    def operation(self):
        return "är"


class CatalogHealthFilter(BaseSQLAFilter):
    """A register's rows that a Katalogkvalitet finding names (in every environment: the list's
    Miljö filter narrows them to one)."""

    def __init__(self, model):
        self.findings = {finding.key: finding for finding in health.FINDINGS if finding.model is model}
        super().__init__(model.id, "Katalogkvalitet",
                         options=[(key, finding.title) for key, finding in self.findings.items()])

    def apply(self, query, value, alias=None):
        finding = self.findings.get(value)
        if finding is None:
            return query.filter(sa.false())
        return query.filter(finding.model.id.in_(finding.rows(None, swedish_today())))

    def operation(self):
        return "är"


class FailingMailFilter(BaseSQLAFilter):
    """Mails still waiting after a failed delivery – what the start page counts as failing."""

    def __init__(self):
        super().__init__(OutboundEmail.attempts, "Leverans", options=(("misslyckad", "Misslyckad, försöks igen"),))

    def apply(self, query, value, alias=None):
        return query.filter(OutboundEmail.failing() if value == "misslyckad" else sa.false())

    def operation(self):
        return "är"


class SwedishDaysFilter(DateBetweenFilter):
    """Instants between two dates, counted in whole Swedish days with both end days included.

    Flask-Admin's own date filter compares a stored UTC instant with bare dates, which drops
    everything on the last day after midnight UTC and shifts the days by the time zone.
    """

    def apply(self, query, value, alias=None):
        first, last = value
        column = self.get_column(alias)
        return query.filter(column >= _utc_start_of(first), column < _utc_start_of(last + dt.timedelta(days=1)))


def _utc_start_of(day):
    # In UTC: SQLite stores an instant's UTC fields without a zone and compares them as text.
    return start_of_swedish_day(day).astimezone(dt.UTC)
