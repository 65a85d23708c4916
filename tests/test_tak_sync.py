"""`flask tak sync`: the mirror follows TAK-API (a test double on 127.0.0.1 serving the real NTJP TEST
export in TAK-API v2's shapes, bench/tak_api.py), all or nothing per environment."""
import copy
import datetime as dt
import hashlib
import json

import pytest
import sqlalchemy as sa

from bench.tak_api import Snapshot, TakApiDouble
from clock import swedish_today
from extensions import db
from models import (
    CallAuthorization,
    CatalogSync,
    ChangeLog,
    Environment,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    SystemInstance,
)
from models.catalog import live_on
from tak.export import read_export
from tak.importer import import_export

from .conftest import TAKDUMP, page_text, shared_file

USER, PASSWORD = "bs-sync", "hemligt"
TODAY = swedish_today()
SNAPSHOT = f"{TODAY.isoformat()}T01:30:00+0100"
LATER = f"{(TODAY + dt.timedelta(days=1)).isoformat()}T01:30:00+0100"


@pytest.fixture
def takdump():
    with open(shared_file(TAKDUMP), encoding="utf-8") as handle:
        return json.load(handle)


def serve(takdump, snapshot_time=SNAPSHOT, day=None):
    """A TAK-API whose connection point NTJP:TEST holds the export as it is valid on `day`."""
    return TakApiDouble([Snapshot("NTJP", "TEST", takdump, snapshot_time, day=day or TODAY)], USER, PASSWORD)


def configure(app, api, environments="NTJP QA=NTJP:TEST", **more):
    app.config.update({"TAK_SYNC_URL": api.base_url, "TAK_SYNC_USERNAME": USER, "TAK_SYNC_PASSWORD": PASSWORD,
                       "TAK_SYNC_ENVIRONMENTS": environments, "TAK_SYNC_TIMEOUT": 5, **more})


def sync(app, *args):
    return app.test_cli_runner().invoke(args=["tak", "sync", *args])


@pytest.fixture
def qa(app):
    environment = Environment(platform="NTJP", name="QA", active=True)
    db.session.add(environment)
    db.session.commit()
    return environment


def live_mirror(environment, day=None):
    """What TAK-API can carry of an environment: its rows valid on the day by natural key, the installed
    contracts, and the names of what they refer to (validity dates and integration agreements it cannot)."""
    day = day or swedish_today()
    lower = sa.func.lower
    routings = sorted(db.session.execute(
        sa.select(lower(SystemInstance.hsa_id), lower(ServiceContract.namespace), lower(LogicalAddress.hsa_id),
                  ProducerConnection.url, RivtaProfile.name)
        .select_from(ProducerConnection)
        .join(SystemInstance, ProducerConnection.producer_id == SystemInstance.id)
        .join(ServiceContract, ProducerConnection.contract_id == ServiceContract.id)
        .join(LogicalAddress, ProducerConnection.logical_address_id == LogicalAddress.id)
        .join(RivtaProfile, ProducerConnection.rivta_profile_id == RivtaProfile.id)
        .where(ProducerConnection.environment_id == environment.id, live_on(ProducerConnection, day))).all())
    authorizations = sorted(db.session.execute(
        sa.select(lower(SystemInstance.hsa_id), lower(ServiceContract.namespace), lower(LogicalAddress.hsa_id))
        .select_from(CallAuthorization)
        .join(SystemInstance, CallAuthorization.consumer_id == SystemInstance.id)
        .join(ServiceContract, CallAuthorization.contract_id == ServiceContract.id)
        .join(LogicalAddress, CallAuthorization.logical_address_id == LogicalAddress.id)
        .where(CallAuthorization.environment_id == environment.id, live_on(CallAuthorization, day))).all())
    installed = sorted(db.session.scalars(sa.select(lower(ServiceContract.namespace)).join(
        InstalledContract, InstalledContract.contract_id == ServiceContract.id).where(
        InstalledContract.environment_id == environment.id)))
    contracts = sorted(db.session.execute(sa.select(ServiceContract.namespace, ServiceContract.description,
                                                    ServiceContract.major, ServiceContract.minor)).all())
    return {"routings": routings, "authorizations": authorizations, "installed": installed, "contracts": contracts}


MIRROR = ("producer_connection", "call_authorization", "installed_contract", "logical_address", "system_instance",
          "service_contract", "rivta_profile", "environment")


def checksums():
    """Every mirror table's rows, hashed: equal when nothing at all was written."""
    found = {}
    for name in MIRROR:
        table = db.metadata.tables[name]
        rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        found[name] = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
    return found


# --- The same mirror as TAK's file ---------------------------------------------------------------

def test_a_sync_gives_the_mirror_the_file_import_gives(app, qa, takdump):
    import_export(read_export(TAKDUMP), "NTJP TEST")  # the file, into TEST
    test = db.session.scalar(sa.select(Environment).filter_by(name="TEST"))
    with serve(takdump) as api:
        configure(app, api)
        result = sync(app)  # TAK-API of the same export, into QA
    assert result.exit_code == 0, result.output
    assert "NTJP QA: synkad från ögonblicksbilden" in result.output
    assert "Läser TAK-API" in result.output and "Lästa rader: connectionPoints 1, serviceContracts 237" in result.output
    assert "Producentanslutningar" in result.output and "Katalogkvalitet" in result.output
    db.session.expire_all()
    from_file, from_api = live_mirror(test), live_mirror(qa)
    assert from_api["routings"] and from_api["authorizations"]
    for part in ("routings", "authorizations", "installed", "contracts"):
        assert from_api[part] == from_file[part], part
    run = db.session.scalar(sa.select(CatalogSync))
    assert run.succeeded and run.snapshot_time == SNAPSHOT and run.added == len(from_api["routings"]) + len(
        from_api["authorizations"])


def test_an_unchanged_snapshot_is_one_request_and_no_write(app, qa, takdump):
    with serve(takdump) as api:
        configure(app, api)
        assert sync(app).exit_code == 0
        before, runs, asked = checksums(), db.session.scalar(sa.select(sa.func.count(CatalogSync.id))), len(api.requests)
        again = sync(app)
        assert again.exit_code == 0 and "NTJP QA: oförändrad" in again.output
        assert len(api.requests) == asked + 1  # connectionPoints only
    assert checksums() == before
    assert db.session.scalar(sa.select(sa.func.count(CatalogSync.id))) == runs


def test_a_removed_routing_a_changed_url_and_a_new_authorisation_are_exactly_what_changes(app, qa, takdump):
    with serve(takdump) as api:
        configure(app, api)
        assert sync(app).exit_code == 0
    db.session.expire_all()
    before = live_mirror(qa)
    changed = copy.deepcopy(takdump)
    data = changed["data"]
    uses = {}
    for routing in data["vagval"]:
        uses.setdefault(routing["relationships"]["anropsadress"], []).append(routing)
    endpoint_id, [moved] = next((key, rows) for key, rows in uses.items() if len(rows) == 1)
    endpoint = next(row for row in data["anropsadress"] if row["id"] == endpoint_id)
    endpoint["adress"] = "https://ny-adress.example.se/tjanst"
    removed = next(row for row in data["vagval"] if row is not moved and len(uses[row["relationships"]["anropsadress"]]) > 1)
    data["vagval"].remove(removed)
    template = data["anropsbehorighet"][0]
    consumer = next(c for c in data["tjanstekomponent"] if c["id"] != template["relationships"]["tjanstekonsument"])
    data["anropsbehorighet"].append({**template, "id": 999_999, "relationships": {
        **template["relationships"], "tjanstekonsument": consumer["id"]}})
    with serve(changed, snapshot_time=LATER, day=TODAY + dt.timedelta(days=1)) as api:
        configure(app, api)
        result = sync(app)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    after = live_mirror(qa, day=TODAY + dt.timedelta(days=1))  # the later snapshot's day
    gone = set(before["routings"]) - set(after["routings"])
    came = set(after["routings"]) - set(before["routings"])
    assert len(gone) == 2 and len(came) == 1  # the removed routing, and the moved one's old URL
    assert [row[3] for row in came] == ["https://ny-adress.example.se/tjanst"]
    assert len(set(after["authorizations"]) - set(before["authorizations"])) == 1
    assert set(before["authorizations"]) <= set(after["authorizations"])
    # Ended, not deleted: the rows are kept, their last day the day before the snapshot's.
    ended = db.session.scalars(sa.select(ProducerConnection).where(
        ProducerConnection.environment_id == qa.id, ProducerConnection.valid_to == TODAY)).all()
    assert len(ended) == 2
    logged = db.session.scalars(sa.select(ChangeLog).where(ChangeLog.entity_type == "Environment")).all()
    assert logged[-1].comment == "TAK-synk" and "1 nya" in json.dumps(logged[-1].after, ensure_ascii=False)


def test_what_tak_api_cannot_carry_is_kept(app, takdump):
    """A file import first (dates, integration agreements); a sync of the same catalogue keeps them."""
    import_export(read_export(TAKDUMP), "NTJP TEST")
    test = db.session.scalar(sa.select(Environment).filter_by(name="TEST"))
    agreements = sorted(db.session.execute(sa.select(CallAuthorization.id, CallAuthorization.integration_agreement,
                                                     CallAuthorization.valid_from, CallAuthorization.valid_to)
                                           .where(CallAuthorization.environment_id == test.id)).all())
    profiles = sorted(db.session.execute(sa.select(RivtaProfile.name, RivtaProfile.description)).all())
    with serve(takdump) as api:
        configure(app, api, environments="NTJP TEST=NTJP:TEST")
        result = sync(app)
    assert result.exit_code == 0, result.output
    assert "0 nya, 0 startade, 0 avslutade" in result.output
    assert sorted(db.session.execute(sa.select(RivtaProfile.name, RivtaProfile.description)).all()) == profiles
    db.session.expire_all()
    assert sorted(db.session.execute(sa.select(CallAuthorization.id, CallAuthorization.integration_agreement,
                                                CallAuthorization.valid_from, CallAuthorization.valid_to)
                                      .where(CallAuthorization.environment_id == test.id)).all()) == agreements


def test_a_row_of_our_own_starting_today_is_not_ended_by_last_nights_snapshot(app, qa, takdump):
    with serve(takdump) as api:
        configure(app, api)
        assert sync(app).exit_code == 0
    db.session.expire_all()
    row = db.session.scalars(sa.select(ProducerConnection).where(ProducerConnection.environment_id == qa.id)).first()
    ours = ProducerConnection(environment_id=qa.id, producer_id=row.producer_id, contract_id=row.contract_id,
                              logical_address_id=row.logical_address_id, rivta_profile_id=row.rivta_profile_id,
                              url="https://ny.example.se/beställd-i-dag", valid_from=swedish_today(),
                              valid_to=swedish_today() + dt.timedelta(days=36500))
    db.session.add(ours)
    db.session.commit()
    with serve(takdump, snapshot_time=SNAPSHOT.replace("01:30", "01:31")) as api:
        configure(app, api)
        assert sync(app).exit_code == 0
    db.session.expire_all()
    assert db.session.get(ProducerConnection, ours.id).valid_to > swedish_today()


# --- All or nothing ----------------------------------------------------------------------------------

def _smaller(takdump):
    smaller = copy.deepcopy(takdump)
    for entity in ("vagval", "anropsbehorighet"):
        smaller["data"][entity] = smaller["data"][entity][: len(smaller["data"][entity]) // 10]
    return smaller


FAULTS = {
    "anslutning nekad": ({"refuse": True}, None, "TAK-API kunde inte nås"),
    "500 efter tre resurser": ({"error_after": 4}, None, "TAK-API svarade 500"),
    "avbrutet svar": ({"truncate": True}, None, "avbröts innan det var komplett"),
    "inget svar": ({"stall": 3}, None, "svarade inte inom 1 sekunder"),
    "rad utan naturlig nyckel": ({"drop_key": "serviceProductions"}, None, "saknar"),
    "90 % mindre ögonblicksbild": ({}, _smaller, "skulle avsluta"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failed_or_suspicious_sync_changes_nothing_and_says_why(app, qa, takdump, fault):
    with serve(takdump) as api:
        configure(app, api)
        assert sync(app).exit_code == 0
    faults, change, reason = FAULTS[fault]
    before = checksums()
    with serve(change(takdump) if change else takdump, snapshot_time=LATER) as api:
        configure(app, api, TAK_SYNC_TIMEOUT=1)
        api.faults.update(faults)
        result = sync(app)
    assert result.exit_code != 0, result.output
    assert "NTJP QA: misslyckades" in result.output and reason in result.output, result.output
    db.session.expire_all()
    assert checksums() == before
    failed = db.session.scalars(sa.select(CatalogSync).order_by(CatalogSync.id.desc())).first()
    assert not failed.succeeded and reason in failed.message


def test_an_intended_large_change_passes_with_a_higher_limit_for_one_run(app, qa, takdump):
    with serve(takdump) as api:
        configure(app, api)
        assert sync(app).exit_code == 0
    with serve(_smaller(takdump), snapshot_time=LATER) as api:
        configure(app, api)
        assert sync(app).exit_code != 0
        allowed = sync(app, "--max-borttag", "0.95")
    assert allowed.exit_code == 0, allowed.output


def test_configuration_mistakes_are_said_in_swedish(app, qa):
    app.config.update(TAK_SYNC_URL="", TAK_SYNC_ENVIRONMENTS="")
    assert "TAK_SYNC_URL är inte satt" in sync(app).output
    app.config.update(TAK_SYNC_URL="http://127.0.0.1:9/coop/api/v2", TAK_SYNC_ENVIRONMENTS="NTJP QA")
    assert "ska skrivas 'NTJP PROD=NTJP:PROD'" in sync(app).output
    app.config.update(TAK_SYNC_ENVIRONMENTS="NTJP QA=NTJP:TEST")
    assert "finns inte i TAK_SYNC_ENVIRONMENTS" in sync(app, "--environment", "NTJP PROD").output


# --- The double speaks TAK-API's own rules -----------------------------------------------------------

def test_the_double_answers_as_tak_api_does(takdump):
    import base64
    import urllib.error
    import urllib.request

    with serve(takdump) as api:
        def get(path, authorised=True):
            request = urllib.request.Request(api.base_url.replace("/coop/api/v2", "") + path)
            if authorised:
                request.add_header("Authorization", "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as error:
                error.close()
                return error.code, None

        assert get("/coop/api/v1/connectionPoints")[0] == 410
        assert get("/coop/api/v2/connectionPoints", authorised=False)[0] == 401
        status, points = get("/coop/api/v2/connectionPoints/")
        assert status == 200 and points[0]["platform"] == "NTJP" and points[0]["snapshotTime"] == SNAPSHOT
        bare = get(f"/coop/api/v2/serviceProductions.json?connectionPointId={points[0]['id']}")[1]
        assert "serviceContract" not in bare[0] and not bare[0]["physicalAddress"].startswith("http")
        full = get(f"/coop/api/v2/serviceProductions?connectionPointId={points[0]['id']}"
                   "&include=serviceContract,logicalAddress,physicalAddress")[1]
        assert full[0]["physicalAddress"].startswith("http") and "namespace" in full[0]["serviceContract"]
        assert "logicalAddress" in full[0]["logicalAdress"]


def test_customer_service_sees_each_sync_and_why_one_failed(app, qa, takdump, officer_client):
    with serve(takdump) as api:
        configure(app, api)
        assert sync(app).exit_code == 0
    with serve(takdump, snapshot_time=LATER) as api:
        configure(app, api)
        api.faults["error_after"] = 3
        assert sync(app).exit_code != 0
    listing = page_text(officer_client.get("/admin/catalogsync/"))
    assert "Lyckades" in listing and "Misslyckades" in listing and "TAK-API svarade 500" in listing
    assert "NTJP QA" in listing


def test_two_syncs_never_run_at_once(app, qa, takdump):
    """On PostgreSQL a second start, while one holds the lock, exits with a line and writes nothing;
    SQLite has one writer at a time by itself, so there a sync simply runs."""
    with serve(takdump) as api:
        configure(app, api)
        if db.engine.dialect.name == "postgresql":
            from tak.sync import LOCK_KEY

            with db.engine.connect() as holder:
                assert holder.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY})
                before = checksums()
                second = sync(app)
                assert second.exit_code != 0 and "En annan synkronisering med TAK-API pågår redan" in second.output
                assert checksums() == before and not api.requests
                holder.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        assert sync(app).exit_code == 0


def test_the_start_page_warns_when_an_environment_has_not_synced_for_a_day(app, qa, takdump, officer_client):
    app.config.update(TAK_SYNC_ENVIRONMENTS="NTJP QA=NTJP:TEST")
    assert "NTJP QA har inte synkats från TAK-API sedan start" in page_text(officer_client.get("/admin/"))
    with serve(takdump) as api:
        configure(app, api)
        assert sync(app).exit_code == 0
    assert "har inte synkats från TAK-API" not in page_text(officer_client.get("/admin/"))
    run = db.session.scalar(sa.select(CatalogSync))
    run.finished_at = run.started_at = run.finished_at - dt.timedelta(hours=25)
    db.session.commit()
    warned = officer_client.get("/admin/")
    assert "NTJP QA har inte synkats från TAK-API sedan" in page_text(warned)
    assert f"/admin/catalogsync/?flt0_milj_equals={qa.id}" in warned.get_data(as_text=True)


def _catalog_document(with_new_routing):
    """The `catalog` fixture's NTJP TEST as TAK has it, with or without the routing the done order added."""
    day = "2025-12-31T23:00:00+0000", "2125-12-31T23:00:00+0000"
    document = {"tidpunkt": SNAPSHOT, "data": {
        "rivtaprofil": [{"id": 1, "namn": "RIVTABP21", "beskrivning": "RIV TA BP version 2.1"}],
        "tjanstekontrakt": [{"id": 2, "namnrymd": "urn:riv:crm:scheduling:GetBookingDetailsResponder:1",
                             "beskrivning": "GetBookingDetails", "majorVersion": 1, "minorVersion": 0}],
        "logiskadress": [{"id": 3, "hsaId": "SE2321000016-1000", "beskrivning": "VG: Region Stockholm"},
                         {"id": 13, "hsaId": "SE2321000016-7P3K", "beskrivning": "VE: Ny"}],
        "tjanstekomponent": [{"id": 4, "hsaId": "SE2321000016-92V4", "beskrivning": "TakeCare"},
                             {"id": 8, "hsaId": "HSATEST2-C5J", "beskrivning": "Intygstjänsten"}],
        "anropsadress": [{"id": 5, "adress": "https://ny.example.se/gbd",
                          "relationships": {"rivtaprofil": 1, "tjanstekomponent": 4}}],
        "vagval": [{"id": 6, "fromTidpunkt": day[0], "tomTidpunkt": day[1],
                    "relationships": {"anropsadress": 5, "logiskadress": 3, "tjanstekontrakt": 2}}],
        "anropsbehorighet": [{"id": 7, "fromTidpunkt": day[0], "tomTidpunkt": day[1], "integrationsavtal": "TEST-1",
                              "relationships": {"logiskAdress": 3, "tjanstekonsument": 8, "tjanstekontrakt": 2}}],
    }}
    if with_new_routing:
        document["data"]["vagval"].append({"id": 16, "fromTidpunkt": day[0], "tomTidpunkt": day[1],
                                           "relationships": {"anropsadress": 5, "logiskadress": 13, "tjanstekontrakt": 2}})
    return document


@pytest.mark.parametrize("brings_its_rows, expected", [(True, "1 verifierade, 0 avviker"),
                                                       (False, "0 verifierade, 1 avviker")])
def test_a_done_order_is_checked_against_the_synced_catalogue(app, catalog, brings_its_rows, expected):
    from models import Order

    from .test_verification import done_order

    order = done_order(catalog)  # adds SE2321000016-7P3K at https://ny.example.se/gbd
    for row in db.session.scalars(sa.select(ProducerConnection).where(ProducerConnection.valid_from == TODAY)):
        row.valid_from = TODAY - dt.timedelta(days=1)  # done yesterday: last night's snapshot knows
    db.session.commit()
    with TakApiDouble([Snapshot("NTJP", "TEST", _catalog_document(brings_its_rows), SNAPSHOT)], USER,
                      PASSWORD) as api:
        configure(app, api, environments="NTJP TEST=NTJP:TEST")
        result = sync(app, "--max-borttag", "0.9")
    assert result.exit_code == 0, result.output
    assert f"Genomförda beställningar kontrollerade mot TAK: {expected}." in result.output
    db.session.expire_all()
    assert db.session.get(Order, order.id).verified is brings_its_rows
