"""Katalogkvalitet: what has rotted in an environment's catalogue, computed from the mirror of its
TAK as of the last import (rows valid on the given day).

Each finding is one set-based query that selects the ids of its rows, so the same definition
counts them for the report, lists them, exports them and filters a register to them.

Wildcards: a routing (vägval) on the logical address `*` – or on `SE`, NTJP's national default
routing – serves every address of its contract, so an authorisation covered only by such a routing
is in order. An authorisation on `*` lets the consumer call every address of the contract; on `SE`
it is an authorisation like any other (which is why one on `SE` where the contract is routed only
to other addresses looks like it meant `*`).
"""
import ipaddress
import urllib.parse
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from clock import swedish_today, utc_now
from extensions import db
from models import (
    CallAuthorization,
    Environment,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    SystemInstance,
)
from models.catalog import live_on
from models.directory import instance_environment
from models.health import CatalogHealth

from .catalog import address_ids

STAR, NATIONAL = "*", "SE"
ROUTING_WILDCARDS = (STAR, NATIONAL)
AUTHORIZATION_WILDCARDS = (STAR,)


@dataclass(frozen=True)
class Finding:
    key: str
    title: str
    definition: str
    model: type           # the register its rows are in
    rows: object          # rows(environment_id | None, day) -> select of the rows' ids
    all_environments: bool = False
    cleanable: bool = False  # its rows can be removed with a städbeställning


def _in_environment(model, environment_id):
    return sa.true() if environment_id is None else model.environment_id == environment_id


def authorizations_without_routing(environment_id, day):
    auth, routing = CallAuthorization, aliased(ProducerConnection)
    routed = sa.select(routing.id).where(
        routing.environment_id == auth.environment_id, routing.contract_id == auth.contract_id,
        live_on(routing, day))
    covered = routed.where(routing.logical_address_id.in_([auth.logical_address_id,
                                                           *address_ids(ROUTING_WILDCARDS)]))
    condition = ~sa.exists(covered)
    stars = address_ids(AUTHORIZATION_WILDCARDS)
    if stars:  # an authorisation on * is in order as soon as its contract is routed anywhere
        condition = sa.and_(condition, ~sa.and_(auth.logical_address_id.in_(stars), sa.exists(routed)))
    return sa.select(auth.id).where(_in_environment(auth, environment_id), live_on(auth, day), condition)


def routings_without_consumer(environment_id, day):
    routing, auth = ProducerConnection, aliased(CallAuthorization)
    authorized = sa.select(auth.id).where(
        auth.environment_id == routing.environment_id, auth.contract_id == routing.contract_id, live_on(auth, day))
    covered = authorized.where(auth.logical_address_id.in_([routing.logical_address_id,
                                                            *address_ids(AUTHORIZATION_WILDCARDS)]))
    condition = ~sa.exists(covered)
    wildcards = address_ids(ROUTING_WILDCARDS)
    if wildcards:  # a default routing serves every consumer of its contract
        condition = sa.and_(condition, ~sa.and_(routing.logical_address_id.in_(wildcards), sa.exists(authorized)))
    return sa.select(routing.id).where(_in_environment(routing, environment_id), live_on(routing, day), condition)


def unused_addresses(environment_id, day):
    """In no live routing or authorisation of any environment: the register is shared by all."""
    used_by = [sa.select(model.id).where(model.logical_address_id == LogicalAddress.id, live_on(model, day))
               for model in (ProducerConnection, CallAuthorization)]
    return sa.select(LogicalAddress.id).where(*(~sa.exists(query) for query in used_by))


def unused_contracts(environment_id, day):
    installed = InstalledContract
    used_by = [sa.select(model.id).where(model.environment_id == installed.environment_id,
                                         model.contract_id == installed.contract_id, live_on(model, day))
               for model in (ProducerConnection, CallAuthorization)]
    return sa.select(installed.id).where(_in_environment(installed, environment_id),
                                         *(~sa.exists(query) for query in used_by))


def unused_components(environment_id, day):
    link = instance_environment.c
    producing = sa.select(ProducerConnection.id).where(
        ProducerConnection.environment_id == link.environment_id,
        ProducerConnection.producer_id == link.system_instance_id, live_on(ProducerConnection, day))
    consuming = sa.select(CallAuthorization.id).where(
        CallAuthorization.environment_id == link.environment_id,
        CallAuthorization.consumer_id == link.system_instance_id, live_on(CallAuthorization, day))
    linked = sa.select(link.system_instance_id).where(
        sa.true() if environment_id is None else link.environment_id == environment_id,
        ~sa.exists(producing), ~sa.exists(consuming))
    return sa.select(SystemInstance.id).where(SystemInstance.id.in_(linked))


def _live_routings(environment_id, day):
    routing = ProducerConnection
    return sa.select(routing.id).where(_in_environment(routing, environment_id), live_on(routing, day))


def plain_http_in_prod(environment_id, day):
    prod = sa.select(Environment.id).where(sa.func.upper(Environment.name) == "PROD")
    return _live_routings(environment_id, day).where(
        ProducerConnection.environment_id.in_(prod),
        sa.func.lower(ProducerConnection.url).like("http://%"))


def is_ip_address_url(url):
    host = urllib.parse.urlsplit(url.strip()).hostname or ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def ip_address_urls(environment_id, day):
    """The host part is parsed in Python – over the distinct URLs, one query, not per row."""
    urls = db.session.scalars(sa.select(ProducerConnection.url).distinct().where(
        ProducerConnection.id.in_(_live_routings(environment_id, day))))
    return _live_routings(environment_id, day).where(
        ProducerConnection.url.in_([url for url in urls if is_ip_address_url(url)]))


def _normalized_url(column):
    return sa.func.lower(sa.func.rtrim(sa.func.trim(column), "/"))


def near_duplicate_urls(environment_id, day):
    """URLs of one producer that differ only in case or a trailing slash."""
    routing = ProducerConnection
    # Normalised once in a subquery: PostgreSQL does not see two copies of the expression (each with
    # its own bound "/") as the same in GROUP BY.
    live = (sa.select(routing.id, routing.producer_id, routing.url, _normalized_url(routing.url).label("normalized"))
            .where(routing.id.in_(_live_routings(environment_id, day)))).subquery()
    twins = (sa.select(live.c.producer_id, live.c.normalized).group_by(live.c.producer_id, live.c.normalized)
             .having(sa.func.count(sa.distinct(live.c.url)) > 1)).subquery()
    rows = sa.select(live.c.id).join(twins, sa.and_(twins.c.producer_id == live.c.producer_id,
                                                    twins.c.normalized == live.c.normalized))
    return _live_routings(environment_id, day).where(routing.id.in_(rows))


def _overlapping(model, key_columns, environment_id, day):
    other = aliased(model)
    twin = sa.select(other.id).where(other.id != model.id, other.environment_id == model.environment_id,
                                     live_on(other, day),
                                     *(getattr(other, column) == getattr(model, column) for column in key_columns))
    return sa.select(model.id).where(_in_environment(model, environment_id), live_on(model, day), sa.exists(twin))


def overlapping_routings(environment_id, day):
    return _overlapping(ProducerConnection, ("contract_id", "logical_address_id"), environment_id, day)


def overlapping_authorizations(environment_id, day):
    return _overlapping(CallAuthorization, ("consumer_id", "contract_id", "logical_address_id"), environment_id, day)


def national_meant_as_star(environment_id, day):
    """On SE, where the contract is routed to other addresses but not to SE (nor *)."""
    national = address_ids([NATIONAL])
    if not national:
        return sa.select(CallAuthorization.id).where(sa.false())
    auth, routing = CallAuthorization, aliased(ProducerConnection)
    routed = sa.select(routing.id).where(routing.environment_id == auth.environment_id,
                                         routing.contract_id == auth.contract_id, live_on(routing, day))
    on_wildcard = routed.where(routing.logical_address_id.in_(address_ids(ROUTING_WILDCARDS)))
    return sa.select(auth.id).where(_in_environment(auth, environment_id), live_on(auth, day),
                                    auth.logical_address_id.in_(national), ~sa.exists(on_wildcard),
                                    sa.exists(routed))


FINDINGS = [
    Finding("behorighet-utan-vagval", "Anropsbehörigheter utan vägval",
            "Anropsbehörigheter vars kombination av logisk adressat och tjänstekontrakt saknar vägval "
            "(producentanslutning). Ett vägval på * eller SE täcker alla adressater för kontraktet; en "
            "behörighet på * räcker att kontraktet har något vägval.",
            CallAuthorization, authorizations_without_routing, cleanable=True),
    Finding("vagval-utan-konsument", "Vägval som ingen får anropa",
            "Vägval (producentanslutningar) där ingen tjänstekonsument har anropsbehörighet för samma "
            "tjänstekontrakt och logiska adressat eller på *. Ett vägval på * eller SE räcker att någon "
            "har behörighet för kontraktet.",
            ProducerConnection, routings_without_consumer, cleanable=True),
    Finding("oanvand-adressat", "Logiska adressater som inte används",
            "Logiska adressater i registret som inte finns i något vägval eller någon anropsbehörighet "
            "i någon miljö.", LogicalAddress, unused_addresses, all_environments=True),
    Finding("oanvant-kontrakt", "Installerade tjänstekontrakt som ingen använder",
            "Tjänstekontrakt installerade i miljön som varken har något vägval eller någon anropsbehörighet där.",
            InstalledContract, unused_contracts),
    Finding("oanvand-komponent", "Tjänstekomponenter som inte används",
            "Systeminstanser (tjänstekomponenter) i miljön som varken är producent i ett vägval eller "
            "konsument i en anropsbehörighet där.", SystemInstance, unused_components),
    Finding("http-i-prod", "Anropsadresser med http:// i produktion",
            "Vägval i en PROD-miljö vars anropsadress använder okrypterad http://.",
            ProducerConnection, plain_http_in_prod),
    Finding("ip-adress", "Anropsadresser med IP-adress",
            "Vägval vars anropsadress har en IP-adress i stället för ett värdnamn.",
            ProducerConnection, ip_address_urls),
    Finding("nastan-lika-adresser", "Nästan lika anropsadresser",
            "Vägval till samma producent vars anropsadresser bara skiljer sig i stora och små bokstäver "
            "eller ett avslutande snedstreck.", ProducerConnection, near_duplicate_urls),
    Finding("overlappande-vagval", "Överlappande vägval",
            "Vägval som gäller samtidigt som ett annat med samma tjänstekontrakt och logiska adressat "
            "(TAK-importen varnar för dem).", ProducerConnection, overlapping_routings),
    Finding("overlappande-behorigheter", "Överlappande anropsbehörigheter",
            "Anropsbehörigheter som gäller samtidigt som en annan med samma konsument, tjänstekontrakt och "
            "logiska adressat.", CallAuthorization, overlapping_authorizations),
    Finding("se-menade-stjarna", "Behörigheter på SE som ser ut att mena *",
            "Anropsbehörigheter på den logiska adressaten SE för ett tjänstekontrakt som har vägval till andra "
            "adressater men inget på SE eller *.", CallAuthorization, national_meant_as_star, cleanable=True),
]
FINDINGS_BY_KEY = {finding.key: finding for finding in FINDINGS}


def counts(environment_id, day):
    """{finding key: number of rows} for one environment, each count one query."""
    return {finding.key: db.session.scalar(sa.select(sa.func.count()).select_from(
        finding.rows(environment_id, day).subquery())) for finding in FINDINGS}


def record(environment, day=None):
    """Compute and keep the environment's report. At national scale the eleven set-based queries
    take a few seconds, so the page shows the kept counts (and offers to compute them again)."""
    day = day or swedish_today()
    kept = db.session.get(CatalogHealth, environment.id) or CatalogHealth(environment_id=environment.id)
    kept.computed_at, kept.day, kept.counts = utc_now(), day, counts(environment.id, day)
    db.session.add(kept)
    db.session.commit()
    return kept


def record_all():
    """Every environment's report – after demo data is loaded, as an import would leave it."""
    for environment in db.session.scalars(sa.select(Environment).order_by(Environment.id)).all():
        record(environment)


def record_after_import(environment):
    """After a TAK import (the importer's signal): the line the import prints."""
    if environment is None:
        return None
    kept = record(environment)
    found = {key: n for key, n in kept.counts.items() if n}
    if not found:
        return "Katalogkvalitet: inga fynd."
    return "Katalogkvalitet: " + "; ".join(f"{FINDINGS_BY_KEY[key].title} {n}" for key, n in found.items())


def chosen_rows(finding, environment_id, day, ids=None):
    """Ids of the finding's rows today, limited to `ids` when given: what the browser sent is
    only believed where it is one of the finding's rows."""
    query = finding.rows(environment_id, day)
    if ids is not None:
        query = query.where(finding.model.id.in_(ids))
    return list(db.session.scalars(query))


def finding_rows(finding, environment_id, day, limit=None, offset=0):
    """The rows of a finding (model instances), by id; all of them without a limit."""
    query = (sa.select(finding.model).where(finding.model.id.in_(finding.rows(environment_id, day)))
             .order_by(finding.model.id).offset(offset))
    if limit is not None:
        query = query.limit(limit)
    return db.session.scalars(query).unique().all()
