"""Katalogkvalitet: each finding's definition on small catalogues (wildcards, validity), the real NTJP
TEST export against an independent computation from the file, and the page customer service uses."""
import datetime as dt
import ipaddress
import json
import urllib.parse
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from clock import swedish_today
from extensions import db
from models import (
    CallAuthorization,
    CatalogHealth,
    Environment,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    ServiceDomain,
    SystemInstance,
)
from ordering import catalog_health as health
from tak.export import read_export
from tak.importer import import_export

from .conftest import TAKDUMP, csrf_token, page_text, shared_file

TODAY = swedish_today()
LIVE = (TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=3650))
EXPIRED = (TODAY - dt.timedelta(days=100), TODAY - dt.timedelta(days=1))


class Catalogue:
    """A tiny catalogue built row by row: names stand for HSA-ids and contracts."""

    def __init__(self, name="TEST"):
        self.environment = Environment(platform="NTJP", name=name)
        self.domain = (db.session.scalar(sa.select(ServiceDomain).filter_by(namespace="test:health"))
                       or ServiceDomain(namespace="test:health"))
        self.profile = db.session.scalar(sa.select(RivtaProfile)) or RivtaProfile(name="RIVTABP21")
        db.session.add_all([self.environment, self.domain, self.profile])
        self.things = {}

    def _get(self, model, key, **values):
        if (model, key) not in self.things:
            found = db.session.scalar(sa.select(model).filter_by(**values))
            self.things[model, key] = found or model(**values)
            db.session.add(self.things[model, key])
        return self.things[model, key]

    def contract(self, name):
        contract = self._get(ServiceContract, name, namespace=f"urn:riv:test:health:{name}Responder:1",
                             name=name, major=1, minor=0, domain=self.domain)
        installed = self._get(InstalledContract, (name, self.environment.name), environment=self.environment,
                              contract=contract)
        return installed.contract

    def address(self, hsa_id):
        return self._get(LogicalAddress, hsa_id, hsa_id=hsa_id, name=f"Adressat {hsa_id}")

    def component(self, hsa_id):
        instance = self._get(SystemInstance, hsa_id, hsa_id=hsa_id)
        if self.environment not in instance.environments:
            instance.environments.append(self.environment)
        return instance

    def routing(self, contract, address, producer="PROD-1", url=None, validity=LIVE):
        row = ProducerConnection(environment=self.environment, contract=self.contract(contract),
                                 logical_address=self.address(address), producer=self.component(producer),
                                 rivta_profile=self.profile, url=url or f"https://{producer.lower()}.example.se/{contract}",
                                 valid_from=validity[0], valid_to=validity[1])
        db.session.add(row)
        return row

    def authorization(self, consumer, contract, address, validity=LIVE):
        row = CallAuthorization(environment=self.environment, consumer=self.component(consumer),
                                contract=self.contract(contract), logical_address=self.address(address),
                                valid_from=validity[0], valid_to=validity[1])
        db.session.add(row)
        return row


def found(key, catalogue):
    db.session.commit()
    finding = health.FINDINGS_BY_KEY[key]
    return set(db.session.scalars(finding.rows(catalogue.environment.id, TODAY)))


@pytest.fixture
def cat(app):
    return Catalogue()


# --- Authorisations without a routing -----------------------------------------------------------

def test_an_authorisation_needs_a_routing_for_its_address_and_contract(cat):
    routed = cat.authorization("KONS-1", "GetA", "ADR-1")
    cat.routing("GetA", "ADR-1")
    unrouted = cat.authorization("KONS-1", "GetA", "ADR-2")
    other_contract = cat.authorization("KONS-1", "GetB", "ADR-1")
    assert found("behorighet-utan-vagval", cat) == {unrouted.id, other_contract.id}
    assert routed.id not in found("behorighet-utan-vagval", cat)


@pytest.mark.parametrize("wildcard", ["*", "SE"])
def test_a_wildcard_routing_covers_every_address_of_its_contract(cat, wildcard):
    cat.routing("GetA", wildcard)
    covered = cat.authorization("KONS-1", "GetA", "ADR-9")
    elsewhere = cat.authorization("KONS-1", "GetB", "ADR-9")
    assert found("behorighet-utan-vagval", cat) == {elsewhere.id}
    assert covered.id not in found("behorighet-utan-vagval", cat)


def test_an_authorisation_on_star_needs_only_some_routing_of_its_contract(cat):
    cat.routing("GetA", "ADR-1")
    star = cat.authorization("KONS-1", "GetA", "*")
    star_unrouted = cat.authorization("KONS-1", "GetB", "*")
    assert found("behorighet-utan-vagval", cat) == {star_unrouted.id}
    assert star.id not in found("behorighet-utan-vagval", cat)


def test_only_rows_valid_today_count(cat):
    cat.routing("GetA", "ADR-1", validity=EXPIRED)
    left_alone = cat.authorization("KONS-1", "GetA", "ADR-1")
    cat.authorization("KONS-1", "GetA", "ADR-2", validity=EXPIRED)  # expired itself: not a finding
    assert found("behorighet-utan-vagval", cat) == {left_alone.id}


def test_another_environments_routing_does_not_count(cat):
    qa = Catalogue("QA")
    qa.routing("GetA", "ADR-1")
    alone = cat.authorization("KONS-1", "GetA", "ADR-1")
    assert found("behorighet-utan-vagval", cat) == {alone.id}


# --- Routings nobody may call -------------------------------------------------------------------

def test_a_routing_needs_a_consumer_for_its_address_or_star(cat):
    called = cat.routing("GetA", "ADR-1")
    cat.authorization("KONS-1", "GetA", "ADR-1")
    lonely = cat.routing("GetA", "ADR-2")
    by_star = cat.routing("GetB", "ADR-3")
    cat.authorization("KONS-2", "GetB", "*")
    assert found("vagval-utan-konsument", cat) == {lonely.id}
    assert not {called.id, by_star.id} & found("vagval-utan-konsument", cat)


@pytest.mark.parametrize("wildcard", ["*", "SE"])
def test_a_default_routing_is_called_by_any_consumer_of_its_contract(cat, wildcard):
    default = cat.routing("GetA", wildcard)
    cat.authorization("KONS-1", "GetA", "ADR-7")
    unused_default = cat.routing("GetB", wildcard)
    assert found("vagval-utan-konsument", cat) == {unused_default.id}
    assert default.id not in found("vagval-utan-konsument", cat)


def test_an_expired_authorisation_leaves_a_routing_uncalled(cat):
    routing = cat.routing("GetA", "ADR-1")
    cat.authorization("KONS-1", "GetA", "ADR-1", validity=EXPIRED)
    assert found("vagval-utan-konsument", cat) == {routing.id}


# --- Unused addressees, contracts, components -------------------------------------------------

def test_unused_addressees_contracts_and_components(cat):
    cat.routing("GetA", "ADR-1", producer="PROD-1")
    cat.authorization("KONS-1", "GetA", "ADR-1")
    idle_address = cat.address("ADR-IDLE")
    only_expired = cat.address("ADR-OLD")
    cat.routing("GetC", "ADR-OLD", producer="PROD-OLD", validity=EXPIRED)
    idle_contract = cat.contract("GetIdle")
    idle_component = cat.component("KOMP-IDLE")
    db.session.commit()
    installed = {i.contract_id: i.id for i in db.session.scalars(sa.select(InstalledContract))}
    assert found("oanvand-adressat", cat) == {idle_address.id, only_expired.id}
    assert found("oanvant-kontrakt", cat) == {installed[idle_contract.id],
                                              installed[cat.contract("GetC").id]}
    assert found("oanvand-komponent", cat) == {idle_component.id, cat.component("PROD-OLD").id}


# --- Call addresses -------------------------------------------------------------------------------

def test_plain_http_counts_only_in_prod(app):
    test, prod = Catalogue("TEST"), Catalogue("PROD")
    test.routing("GetA", "ADR-1", url="http://tp.example.se/GetA")
    plain = prod.routing("GetA", "ADR-1", url="HTTP://tp.example.se/GetA")
    prod.routing("GetB", "ADR-1", url="https://tp.example.se/GetB")
    assert found("http-i-prod", test) == set()
    assert found("http-i-prod", prod) == {plain.id}


def test_ip_addresses_instead_of_host_names(cat):
    v4 = cat.routing("GetA", "ADR-1", url="https://10.1.2.3:8443/GetA")
    v6 = cat.routing("GetB", "ADR-1", url="https://[2001:db8::1]/GetB")
    cat.routing("GetC", "ADR-1", url="https://10-1-2-3.example.se/GetC")  # a host name with digits
    assert found("ip-adress", cat) == {v4.id, v6.id}


def test_urls_of_one_producer_differing_only_in_case_or_a_trailing_slash(cat):
    first = cat.routing("GetA", "ADR-1", url="https://tp.example.se/GetA")
    upper = cat.routing("GetA", "ADR-2", url="https://TP.example.se/GetA/")
    same = cat.routing("GetA", "ADR-3", url="https://tp.example.se/GetA")  # identical: the same address
    cat.routing("GetA", "ADR-4", producer="PROD-2", url="https://tp.example.se/GetA/")  # another producer
    assert found("nastan-lika-adresser", cat) == {first.id, upper.id, same.id}


# --- Overlaps and SE that meant * --------------------------------------------------------------

def test_overlapping_rows_with_the_same_key(cat):
    first = cat.routing("GetA", "ADR-1")
    second = cat.routing("GetA", "ADR-1", producer="PROD-2")
    cat.routing("GetA", "ADR-2")
    cat.routing("GetB", "ADR-1", validity=EXPIRED)
    cat.routing("GetB", "ADR-1")  # the other one has expired: no overlap today
    twice = [cat.authorization("KONS-1", "GetA", "ADR-1") for _ in range(2)]
    cat.authorization("KONS-2", "GetA", "ADR-1")
    assert found("overlappande-vagval", cat) == {first.id, second.id}
    assert found("overlappande-behorigheter", cat) == {row.id for row in twice}


def test_an_authorisation_on_se_where_the_contract_is_routed_elsewhere(cat):
    cat.routing("GetA", "ADR-1")
    meant_star = cat.authorization("KONS-1", "GetA", "SE")
    cat.routing("GetB", "SE")
    on_se = cat.authorization("KONS-1", "GetB", "SE")  # routed on SE: meant what it says
    cat.authorization("KONS-1", "GetC", "SE")  # no routing at all: another finding, not this one
    assert found("se-menade-stjarna", cat) == {meant_star.id}
    assert on_se.id not in found("se-menade-stjarna", cat)


# --- The real NTJP TEST export, against the file read directly -----------------------------------

def _swedish_day(value):
    moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    return moment.astimezone(ZoneInfo("Europe/Stockholm")).date()


def independent_counts(path, today):
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    address = {row["id"]: row["hsaId"].strip().lower() for row in data["logiskadress"]}
    component = {row["id"]: row["hsaId"].strip().lower() for row in data["tjanstekomponent"]}
    contract = {row["id"]: row["namnrymd"].strip().lower() for row in data["tjanstekontrakt"]}
    call_address = {row["id"]: row for row in data["anropsadress"]}

    def live(row):
        return _swedish_day(row["fromTidpunkt"]) <= today <= _swedish_day(row["tomTidpunkt"])

    routings = []
    for row in filter(live, data["vagval"]):
        target = call_address[row["relationships"]["anropsadress"]]
        routings.append({"contract": contract[row["relationships"]["tjanstekontrakt"]],
                         "address": address[row["relationships"]["logiskadress"]],
                         "producer": component[target["relationships"]["tjanstekomponent"]],
                         "url": target["adress"]})
    auths = [{"contract": contract[row["relationships"]["tjanstekontrakt"]],
              "address": address[row["relationships"]["logiskAdress"]],
              "consumer": component[row["relationships"]["tjanstekonsument"]]}
             for row in filter(live, data["anropsbehorighet"])]
    routed = defaultdict(set)
    for r in routings:
        routed[r["contract"]].add(r["address"])
    authorized = defaultdict(set)
    for a in auths:
        authorized[a["contract"]].add(a["address"])

    def host_is_ip(url):
        try:
            ipaddress.ip_address(urllib.parse.urlsplit(url.strip()).hostname or "")
        except ValueError:
            return False
        return True

    spellings = defaultdict(set)
    for r in routings:
        spellings[r["producer"], r["url"].strip().rstrip("/").lower()].add(r["url"])
    routing_keys = defaultdict(int)
    for r in routings:
        routing_keys[r["contract"], r["address"]] += 1
    auth_keys = defaultdict(int)
    for a in auths:
        auth_keys[a["consumer"], a["contract"], a["address"]] += 1
    used_addresses = {r["address"] for r in routings} | {a["address"] for a in auths}
    used_contracts = {r["contract"] for r in routings} | {a["contract"] for a in auths}
    used_components = {r["producer"] for r in routings} | {a["consumer"] for a in auths}
    return {
        "behorighet-utan-vagval": sum(
            1 for a in auths if not (routed[a["contract"]] & {a["address"], "*", "se"})
            and not (a["address"] == "*" and routed[a["contract"]])),
        "vagval-utan-konsument": sum(
            1 for r in routings if not (authorized[r["contract"]] & {r["address"], "*"})
            and not (r["address"] in ("*", "se") and authorized[r["contract"]])),
        "oanvand-adressat": len(set(address.values()) - used_addresses),
        "oanvant-kontrakt": len(set(contract.values()) - used_contracts),
        "oanvand-komponent": len(set(component.values()) - used_components),
        "http-i-prod": 0,  # a TEST environment
        "ip-adress": sum(1 for r in routings if host_is_ip(r["url"])),
        "nastan-lika-adresser": sum(
            1 for r in routings if len(spellings[r["producer"], r["url"].strip().rstrip("/").lower()]) > 1),
        "overlappande-vagval": sum(1 for r in routings if routing_keys[r["contract"], r["address"]] > 1),
        "overlappande-behorigheter": sum(
            1 for a in auths if auth_keys[a["consumer"], a["contract"], a["address"]] > 1),
        "se-menade-stjarna": sum(
            1 for a in auths if a["address"] == "se" and not (routed[a["contract"]] & {"se", "*"})
            and routed[a["contract"]]),
    }


def test_the_real_export_matches_a_computation_from_the_file(app):
    path = shared_file(TAKDUMP)
    import_export(read_export(path), "NTJP TEST")
    environment = db.session.scalar(sa.select(Environment).filter_by(name="TEST"))
    ours = health.counts(environment.id, TODAY)
    expected = independent_counts(path, TODAY)
    assert ours == expected
    assert ours["behorighet-utan-vagval"] > 0 and ours["oanvand-adressat"] > 0  # a real catalogue has rot


# --- The page --------------------------------------------------------------------------------

@pytest.fixture
def rotten(cat):
    cat.routing("GetA", "ADR-1")
    cat.authorization("KONS-1", "GetA", "ADR-1")
    cat.authorization("KONS-1", "GetA", "ADR-2")
    cat.authorization("KONS-2", "GetB", "ADR-3")
    db.session.commit()
    return cat


def test_the_import_computes_the_report(app, rotten, tmp_path):
    result = app.test_cli_runner().invoke(args=["tak", "import", str(shared_file(TAKDUMP)), "-e", "NTJP QA",
                                                "--create-environment"])
    assert result.exit_code == 0, result.output
    assert "Katalogkvalitet: Anropsbehörigheter utan vägval 120;" in result.output  # the real export's rot
    qa = db.session.scalar(sa.select(Environment).filter_by(name="QA"))
    kept = db.session.get(CatalogHealth, qa.id)
    assert kept.day == TODAY and kept.counts == health.counts(qa.id, TODAY)


def test_officer_computes_sees_and_follows_a_finding(app, officer_client, rotten):
    environment = rotten.environment
    start = officer_client.get(f"/admin/katalogkvalitet/?miljo={environment.id}")
    assert "Rapporten har inte beräknats för miljön ännu." in page_text(start)
    computed = officer_client.post(f"/admin/katalogkvalitet/{environment.id}/berakna",
                                   data={"csrf_token": csrf_token(start.get_data(as_text=True))},
                                   follow_redirects=True)
    text = page_text(computed)
    assert "Katalogkvaliteten för NTJP TEST är beräknad." in text
    assert "Anropsbehörigheter utan vägval 2" in text
    rows = officer_client.get(f"/admin/katalogkvalitet/{environment.id}/behorighet-utan-vagval")
    rows_text = page_text(rows)
    assert "ADR-2" in rows_text and "ADR-3" in rows_text and "ADR-1 " not in rows_text
    html = rows.get_data(as_text=True)
    register = html.split('id="register-link"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    listed = officer_client.get(register).get_data(as_text=True)
    assert listed.count('class="col-logical_address"') == 2 and "ADR-2" in listed and "ADR-3" in listed
    exported = officer_client.get(f"/admin/katalogkvalitet/{environment.id}/behorighet-utan-vagval.csv")
    lines = exported.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "Tjänstekonsument;Tjänstekontrakt;Logisk adressat;Giltig från;Giltig till"
    assert len(lines) == 3 and exported.mimetype == "text/csv"


def test_the_register_filter_lists_exactly_the_finding(app, officer_client, rotten):
    environment = rotten.environment
    listing = officer_client.get(f"/admin/callauthorization/?flt0_katalogkvalitet_r=behorighet-utan-vagval"
                                 f"&flt1_milj_equals={environment.id}").get_data(as_text=True)
    assert listing.count('class="col-logical_address"') == 2
    assert "ADR-2" in listing and "ADR-3" in listing
    unknown = officer_client.get("/admin/callauthorization/?flt0_katalogkvalitet_r=nonsense")
    assert unknown.status_code == 200 and 'class="col-logical_address"' not in unknown.get_data(as_text=True)


def test_customer_service_only(app, orderer_client, officer_client, rotten):
    assert orderer_client.get("/admin/katalogkvalitet/").status_code == 403
    assert orderer_client.post(f"/admin/katalogkvalitet/{rotten.environment.id}/berakna").status_code in (400, 403)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogHealth)) == 0
    assert officer_client.get("/admin/katalogkvalitet/999999/behorighet-utan-vagval").status_code == 404
    assert officer_client.get(f"/admin/katalogkvalitet/{rotten.environment.id}/okant").status_code == 404


# --- Städbeställning ------------------------------------------------------------------------------

def test_removing_a_routing_takes_its_authorisations_along(cat):
    lonely = cat.routing("GetA", "ADR-1")
    called = cat.routing("GetB", "ADR-1")
    on_it = cat.authorization("KONS-1", "GetB", "ADR-1")
    db.session.commit()
    from ordering.stored_orders import cleanup_change_set

    changes, _ = cleanup_change_set(cat.environment.id, routings=[lonely.id, called.id])
    assert sorted((r.contract, r.address, r.producer, r.url) for r in changes.exclude_routings) == [
        ("urn:riv:test:health:GetAResponder:1", "ADR-1", "PROD-1", None),
        ("urn:riv:test:health:GetBResponder:1", "ADR-1", "PROD-1", None)]
    assert [(a.consumer, a.address) for a in changes.exclude_authorizations] == [("KONS-1", "ADR-1")]
    assert on_it.id  # still in the mirror: only the order, once done, removes it


def test_a_clean_up_order_from_a_finding_to_done(app, officer_client, rotten):
    from models import Order

    environment = rotten.environment
    page = officer_client.get(f"/admin/katalogkvalitet/{environment.id}/behorighet-utan-vagval")
    html = page.get_data(as_text=True)
    chosen = db.session.scalar(sa.select(CallAuthorization.id).join(LogicalAddress).where(
        LogicalAddress.hsa_id == "ADR-2"))
    created = officer_client.post(f"/admin/katalogkvalitet/{environment.id}/behorighet-utan-vagval/stada",
                                  data={"csrf_token": csrf_token(html), "scope": "valda", "row": [str(chosen)]})
    draft = db.session.scalar(sa.select(Order).where(Order.kind == "cleanup"))
    assert created.headers["Location"].endswith(f"/stadning/{draft.number}/bestallare")
    summary = officer_client.get(f"/stadning/{draft.number}/sammanfattning")
    assert "Städning av katalogen" in page_text(summary) and "ADR-2" in page_text(summary)
    assert "ADR-3" not in page_text(summary)
    officer_client.post(f"/stadning/{draft.number}/bestall", data={"csrf_token": csrf_token(
        summary.get_data(as_text=True))})
    from models import OutboundEmail

    subjects = db.session.scalars(sa.select(OutboundEmail.subject)).all()
    assert f"Beställning {draft.display_number}: Städning i {environment.display}" in subjects, subjects
    case = officer_client.get(f"/kundservice/bestallning/{draft.number}")
    officer_client.post(f"/kundservice/bestallning/{draft.number}/status", data={
        "csrf_token": csrf_token(case.get_data(as_text=True)), "to": "done", "comment": ""})
    db.session.expire_all()
    assert db.session.get(Order, draft.id).status == "done"
    assert found("behorighet-utan-vagval", rotten) == {db.session.scalar(sa.select(CallAuthorization.id).join(
        LogicalAddress).where(LogicalAddress.hsa_id == "ADR-3"))}  # ADR-2's authorisation has ended


def test_all_rows_of_a_finding_or_nothing_the_browser_invents(app, officer_client, rotten):
    from models import Order

    environment = rotten.environment
    url = f"/admin/katalogkvalitet/{environment.id}/behorighet-utan-vagval"
    token = csrf_token(officer_client.get(url).get_data(as_text=True))
    routed = db.session.scalar(sa.select(CallAuthorization.id).join(LogicalAddress).where(
        LogicalAddress.hsa_id == "ADR-1"))  # has a routing: not the finding's
    for posted, message in (({"scope": "valda", "row": [str(routed)]}, "Ingen av de valda raderna"),
                            ({"scope": "valda", "row": ["x' OR 1=1"]}, "Ogiltigt värde i listan."),
                            ({"scope": "valda"}, "Välj minst en rad"),
                            ({"scope": "allt"}, "Välj rader eller alla rader.")):
        refused = officer_client.post(url + "/stada", data={"csrf_token": token, **posted}, follow_redirects=True)
        assert message in page_text(refused), posted
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 0
    assert officer_client.post(f"/admin/katalogkvalitet/{environment.id}/oanvand-adressat/stada",
                               data={"csrf_token": token, "scope": "alla"}).status_code == 404
    officer_client.post(url + "/stada", data={"csrf_token": token, "scope": "alla"})
    draft = db.session.scalar(sa.select(Order).where(Order.kind == "cleanup"))
    assert len(draft.choices.stored_changes["exclude_authorizations"]) == 2


def test_katalogkvalitet_opens_on_the_environment_imported_last(app, officer_client, catalog):
    from clock import utc_now

    catalog["qa"].imported_at = utc_now()
    db.session.commit()
    assert "NTJP QA" in page_text(officer_client.get("/admin/katalogkvalitet/")).split("Beräkna")[0]
