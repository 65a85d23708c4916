"""The TAK import on the real NTJP TEST dump, its PubVersion variant, and broken files."""
import datetime as dt
import gzip
import json

import pytest
import sqlalchemy as sa

from extensions import db
from models import (
    CallAuthorization,
    Environment,
    InstalledContract,
    LogicalAddress,
    ProducerConnection,
    ServiceContract,
    ServiceDomain,
    SystemInstance,
)
from tak.domains import load_domain_names
from tak.export import TakExportError, read_export
from tak.importer import import_export

from .conftest import DOMAINS_XML, TAKDUMP, shared_file


def count(model, **where):
    query = sa.select(sa.func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def environment_named(label="NTJP TEST"):
    platform, name = Environment.split_label(label)
    return db.session.scalar(sa.select(Environment).filter_by(platform=platform, name=name))


def snapshot():
    """Everything the import may touch, as comparable plain data."""
    tables = [Environment, ServiceDomain, ServiceContract, InstalledContract, LogicalAddress, SystemInstance,
              ProducerConnection, CallAuthorization]
    return {model.__tablename__: sorted(map(tuple, db.session.execute(sa.select(model.__table__)).all()),
                                        key=repr) for model in tables}


@pytest.fixture
def takdump():
    return shared_file(TAKDUMP)


@pytest.fixture
def imported(app, takdump):
    return import_export(read_export(takdump), "NTJP TEST")


def test_real_dump_gives_the_documented_counts(imported):
    environment = environment_named()
    assert count(InstalledContract, environment_id=environment.id) == 237
    assert count(ServiceContract) == 237
    assert count(LogicalAddress) == 182
    assert count(SystemInstance) == 113
    assert count(ProducerConnection, environment_id=environment.id) == 864
    assert count(CallAuthorization, environment_id=environment.id) == 2161
    assert count(Environment) == 1
    assert environment.snapshot_time.replace(tzinfo=None) == dt.datetime(2016, 3, 10, 13, 31, 55)


def test_cli_on_the_real_dump_prints_the_documented_counts(app, takdump):
    result = app.test_cli_runner().invoke(args=["tak", "import", str(takdump), "--environment", "NTJP TEST",
                                                     "--create-environment"])
    assert result.exit_code == 0, result.output
    assert ("Resultat i NTJP TEST: 237 installerade tjänstekontrakt, 864 producentanslutningar, "
            "2161 anropsbehörigheter; exporten har 182 logiska adressater och 113 tjänstekomponenter "
            "(systeminstanser).") in result.output
    assert "id 810 har samma HSA-id som id 803 (SE2321000115-O75649); raderna slogs ihop" in result.output
    assert "vagval id 290 överlappar id 288" in result.output


def test_report_names_merged_duplicates_and_overlaps(imported):
    addresses = imported.entities["logiskadress"]
    assert (addresses.read, addresses.created, len(addresses.skipped)) == (184, 182, 2)
    assert any("SE2321000115-O75649" in reason for reason in addresses.skipped)
    assert any("SE2321000115-O97220" in reason for reason in addresses.skipped)
    components = imported.entities["tjanstekomponent"]
    assert (components.read, components.created) == (114, 113)
    assert "OLOF1" in components.skipped[0]
    assert len([n for n in imported.notes if n.startswith("vagval")]) == 1
    assert len([n for n in imported.notes if n.startswith("anropsbehörighet")]) == 4
    assert "Producentanslutningar" in "\n".join(imported.lines())


def test_known_routing_and_authorisation(imported):
    """vagval 1 -> anropsadress 1110; anropsbehorighet 5684: consumer 1054 (SE5565594230-BCQ, TP Admin)."""
    raw = json.loads(TAKDUMP.read_text(encoding="utf-8"))["data"]
    endpoint = next(a for a in raw["anropsadress"] if a["id"] == 1110)
    producer_hsa = next(c["hsaId"] for c in raw["tjanstekomponent"]
                        if c["id"] == endpoint["relationships"]["tjanstekomponent"])
    contract_ns = next(c["namnrymd"] for c in raw["tjanstekontrakt"] if c["id"] == 92)

    routing = db.session.scalars(
        sa.select(ProducerConnection).join(ProducerConnection.contract).join(ProducerConnection.logical_address)
        .where(ServiceContract.namespace == contract_ns, LogicalAddress.hsa_id == "5565594230")
    ).one()
    assert routing.url == endpoint["adress"].strip()
    assert routing.producer.hsa_id == producer_hsa
    assert routing.rivta_profile.name == "RIVTABP21"  # anropsadress 1110 uses profile id 5
    assert routing.valid_from == dt.date(2014, 8, 13)  # 22:00 UTC is Swedish midnight of the next day

    authorisations = db.session.scalars(
        sa.select(CallAuthorization).join(CallAuthorization.consumer).join(CallAuthorization.contract)
        .where(SystemInstance.hsa_id == "SE5565594230-BCQ", ServiceContract.namespace == contract_ns)
    ).all()
    assert [a.integration_agreement for a in authorisations] == ["TEST-100M"]
    assert authorisations[0].consumer.tak_description == "TP Admin"


def test_legacy_values_are_kept_trimmed(imported):
    assert db.session.scalar(sa.select(SystemInstance).where(SystemInstance.hsa_id == "Ärendelådan")) is not None
    assert db.session.scalar(sa.select(SystemInstance).where(SystemInstance.hsa_id == "monitor-ping")) is not None
    assert db.session.scalar(sa.select(LogicalAddress).where(LogicalAddress.hsa_id == "SE2321000164-10LG")) is not None
    urls = set(db.session.scalars(sa.select(ProducerConnection.url)))
    assert "https://tphtest2.liv.sjunet.org/GetReferralOutcome3WebService/rivtabp21/GetReferralOutcome" in urls
    assert all(url == url.strip() for url in urls)


def test_domains_and_contract_names_are_derived(imported):
    contract = db.session.scalars(sa.select(ServiceContract).where(
        ServiceContract.namespace == "urn:riv:crm:carelisting:GetListingResponder:1")).one()
    assert (contract.name, contract.major, contract.domain.namespace) == ("GetListing", 1, "crm:carelisting")
    assert str(contract) == "GetListing v1 (crm:carelisting)"


def test_reimport_changes_nothing(imported, takdump):
    before = snapshot()
    report = import_export(read_export(takdump), "NTJP-TEST")
    after = snapshot()
    for table in before:
        if table != "environment":  # only imported_at moves
            assert after[table] == before[table], table
    assert report.entities["vagval"].unchanged == 864
    assert report.entities["vagval"].created == report.entities["vagval"].removed == 0


def test_newer_export_brings_mirror_up_to_date(imported, takdump, tmp_path):
    document = json.loads(takdump.read_text(encoding="utf-8"))
    removed = document["data"]["vagval"].pop(0)
    document["data"]["anropsadress"][0]["adress"] = "https://ny.example.se/tjanst"
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(document), encoding="utf-8")

    report = import_export(read_export(newer), "NTJP TEST")

    assert count(ProducerConnection) == 863
    assert report.entities["vagval"].removed >= 1
    assert count(ProducerConnection, url="https://ny.example.se/tjanst") > 0
    assert removed["id"] == 1


def test_pubversion_gzip_format(app, takdump, tmp_path):
    document = json.loads(takdump.read_text(encoding="utf-8"))
    for row in document["data"]["anropsbehorighet"]:
        row["relationships"]["tjanstekomponent"] = row["relationships"].pop("tjanstekonsument")
    blob = tmp_path / "pubversion.gz"
    blob.write_bytes(gzip.compress(json.dumps(document).encode("utf-8")))

    import_export(read_export(blob), "NTJP QA")

    environment = environment_named("NTJP QA")
    assert count(CallAuthorization, environment_id=environment.id) == 2161
    assert count(ProducerConnection, environment_id=environment.id) == 864


def _minimal_document():
    return {
        "tidpunkt": "2026-01-01T00:00:00Z",
        "data": {
            "rivtaprofil": [{"id": 1, "namn": "RIVTABP21", "beskrivning": "2.1"}],
            "tjanstekontrakt": [{"id": 2, "namnrymd": "urn:riv:crm:scheduling:GetBookingDetailsResponder:1",
                                 "beskrivning": "Tidbokning", "majorVersion": 1, "minorVersion": 0}],
            "logiskadress": [{"id": 3, "hsaId": "SE2321000016-1000", "beskrivning": "VG: Region Stockholm"}],
            "tjanstekomponent": [{"id": 4, "hsaId": "SE2321000016-92V4", "beskrivning": "TakeCare"}],
            "anropsadress": [{"id": 5, "adress": "https://tp.example.se/x",
                              "relationships": {"rivtaprofil": 1, "tjanstekomponent": 4}}],
            "vagval": [{"id": 6, "fromTidpunkt": "2025-12-31T23:00:00+0000", "tomTidpunkt": "2125-12-31T23:00:00+0000",
                        "relationships": {"anropsadress": 5, "logiskadress": 3, "tjanstekontrakt": 2}}],
            "anropsbehorighet": [{"id": 7, "integrationsavtal": None, "fromTidpunkt": "2025-12-31T23:00:00+0000",
                                  "tomTidpunkt": "2125-12-31T23:00:00+0000",
                                  "relationships": {"logiskAdress": 3, "tjanstekonsument": 4, "tjanstekontrakt": 2}}],
        },
    }


def _broken(mutate):
    document = _minimal_document()
    mutate(document)
    return json.dumps(document).encode()


MALFORMED = {
    "not json": (b"{this is not json", "inte giltig JSON"),
    "broken gzip": (b"\x1f\x8b\x08\x00garbage", "gzip"),
    "top level list": (b"[1, 2, 3]", "'data' saknas"),
    "missing entity": (_broken(lambda d: d["data"].pop("vagval")), "data.vagval"),
    "row not an object": (_broken(lambda d: d["data"]["logiskadress"].append("x")), "logiskadress rad 2"),
    "missing field": (_broken(lambda d: d["data"]["logiskadress"][0].pop("hsaId")), "'hsaId' saknas"),
    "dangling relationship": (
        _broken(lambda d: d["data"]["vagval"][0]["relationships"].update(logiskadress=999)),
        "logiskadress med id 999"),
    "dangling consumer": (
        _broken(lambda d: d["data"]["anropsbehorighet"][0]["relationships"].update(tjanstekonsument=77)),
        "tjanstekomponent med id 77"),
    "bad date": (_broken(lambda d: d["data"]["vagval"][0].update(fromTidpunkt="igår")), "ogiltig tidpunkt"),
    "duplicate id": (_broken(lambda d: d["data"]["vagval"].append(dict(d["data"]["vagval"][0]))), "id 6"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_file_names_problem_and_leaves_database_unchanged(catalog, tmp_path, case):
    content, expected = MALFORMED[case]
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    before = snapshot()

    with pytest.raises(TakExportError) as error:
        import_export(read_export(path), "NTJP TEST")

    assert expected in str(error.value)
    assert snapshot() == before


def test_failure_during_database_work_rolls_back(catalog, tmp_path):
    """A file that parses but breaks a constraint midway leaves nothing behind."""
    document = _minimal_document()
    document["data"]["tjanstekontrakt"][0]["namnrymd"] = "x" * 300  # longer than the column on PostgreSQL
    path = tmp_path / "long.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = snapshot()
    try:
        import_export(read_export(path), "NTJP TEST")
    except Exception:  # noqa: BLE001 - SQLite accepts long text; PostgreSQL raises
        assert snapshot() == before


def test_minimal_import_and_cli_output(app, tmp_path):
    path = tmp_path / "minimal.json"
    path.write_text(json.dumps(_minimal_document()), encoding="utf-8")
    refused = app.test_cli_runner().invoke(args=["tak", "import", str(path), "--environment", "NTJP DEV"])
    assert refused.exit_code != 0
    assert "Miljön 'NTJP DEV' finns inte (befintliga: inga)" in refused.output and "--create-environment" in refused.output
    assert count(Environment) == 0  # a typo never creates an environment
    result = app.test_cli_runner().invoke(args=["tak", "import", str(path), "--environment", "NTJP DEV",
                                                "--create-environment"])
    assert result.exit_code == 0, result.output
    assert "Import till NTJP DEV (miljön skapades)" in result.output
    typo = app.test_cli_runner().invoke(args=["tak", "import", str(path), "--environment", "NTJP DEVV"])
    assert "Miljön 'NTJP DEVV' finns inte (befintliga: NTJP DEV)" in typo.output and count(Environment) == 1
    connection = db.session.scalars(sa.select(ProducerConnection)).one()
    assert (connection.valid_from, connection.valid_to) == (dt.date(2026, 1, 1), dt.date(2126, 1, 1))
    assert connection.producer.environments[0].display == "NTJP DEV"


def test_cli_reports_malformed_file(app, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("nonsense", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["tak", "import", str(path), "--environment", "NTJP TEST"])
    assert result.exit_code != 0
    assert "inte giltig JSON" in result.output and "Databasen är oförändrad" in result.output
    assert count(Environment) == 0


def test_domain_names_from_domains_xml(imported):
    created, updated = load_domain_names(shared_file(DOMAINS_XML))
    domain = db.session.scalars(sa.select(ServiceDomain).filter_by(namespace="clinicalprocess:activity:request")).one()
    assert domain.swedish_name == "Remisshantering"
    assert created + updated >= 15
    domain.swedish_name = "Remisser (redigerat)"
    db.session.commit()
    load_domain_names(DOMAINS_XML)
    assert db.session.get(ServiceDomain, domain.id).swedish_name == "Remisser (redigerat)"


def test_import_is_one_change_log_row_not_one_per_row(app, tmp_path):
    from models import ChangeLog

    path = tmp_path / "minimal.json"
    path.write_text(json.dumps(_minimal_document()), encoding="utf-8")
    app.test_cli_runner().invoke(args=["tak", "import", str(path), "--environment", "NTJP DEV", "--create-environment"])
    [entry] = db.session.scalars(sa.select(ChangeLog)).all()
    assert (entry.entity_type, entry.label, entry.comment, entry.user_name) == (
        "Environment", "NTJP DEV", "TAK-import", "System (kommandorad)")
    assert entry.after["Producentanslutningar"] == "1 nya, 0 ändrade, 0 borttagna"


def _catalogue_of(label):
    """An environment's routings and authorisations by natural keys, comparable across environments."""
    environment = environment_named(label)
    routings = db.session.execute(
        sa.select(SystemInstance.hsa_id, ServiceContract.namespace, LogicalAddress.hsa_id, ProducerConnection.url,
                  ProducerConnection.rivta_profile_id, ProducerConnection.valid_from, ProducerConnection.valid_to)
        .join(SystemInstance, ProducerConnection.producer_id == SystemInstance.id)
        .join(ServiceContract).join(LogicalAddress)
        .where(ProducerConnection.environment_id == environment.id)).all()
    grants = db.session.execute(
        sa.select(SystemInstance.hsa_id, ServiceContract.namespace, LogicalAddress.hsa_id,
                  CallAuthorization.integration_agreement, CallAuthorization.valid_from, CallAuthorization.valid_to)
        .join(SystemInstance, CallAuthorization.consumer_id == SystemInstance.id)
        .join(ServiceContract).join(LogicalAddress)
        .where(CallAuthorization.environment_id == environment.id)).all()
    return sorted(routings), sorted(grants)


def test_dump_writes_what_import_reads(app, imported, tmp_path):
    """`flask tak dump` of the imported NTJP TEST, imported into NTJP QA, gives the same catalogue."""
    path = tmp_path / "takdump_test.json"
    result = app.test_cli_runner().invoke(args=["tak", "dump", str(path), "--environment", "NTJP TEST"])
    assert result.exit_code == 0, result.output
    assert "864 vagval" in result.output and "2161 anropsbehorighet" in result.output
    report = import_export(read_export(path), "NTJP QA")
    assert report.entities["vagval"].created == 864
    assert _catalogue_of("NTJP QA") == _catalogue_of("NTJP TEST")
    assert len(_catalogue_of("NTJP QA")[1]) == 2161


DOMDB = [  # the shape of Inera's domain information API (dominfo/v1/servicedomains.json), self-written
    {"name": "clinicalprocess:activity:request", "swedishShort": "Remisshantering", "swedishLong": "Remiss",
     "hidden": False, "domainType": {"name": "Nationell tjänstedomän"}},
    {"name": "crm:scheduling", "swedishShort": "", "swedishLong": "Tidbokning", "hidden": False,
     "domainType": {"name": "Nationell tjänstedomän"}},
    {"name": "demo:hidden", "swedishShort": "Dold", "hidden": True, "domainType": {"name": "Extern tjänstedomän"}},
]


def test_domain_names_from_the_domain_information_api_file_or_address(app, tmp_path):
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    path = tmp_path / "servicedomains.json"
    path.write_text(json.dumps(DOMDB), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["tak", "domains", str(path)])
    assert result.exit_code == 0 and "Tjänstedomäner: 2 nya" in result.output, result.output
    names = dict(db.session.execute(sa.select(ServiceDomain.namespace, ServiceDomain.swedish_name)).all())
    assert names == {"clinicalprocess:activity:request": "Remisshantering", "crm:scheduling": "Tidbokning"}

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    (tmp_path / "dominfo").mkdir()
    (tmp_path / "dominfo" / "servicedomains.json").write_text(json.dumps({"answer": DOMDB[:1] + [
        {"name": "clinicalprocess:healthcond:description", "swedishShort": "Journalinformation", "hidden": False}],
        "lastChangeTime": "2026-12-01"}), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/dominfo/servicedomains.json"
        fetched = app.test_cli_runner().invoke(args=["tak", "domains", url])
        broken = app.test_cli_runner().invoke(args=["tak", "domains", url.replace("servicedomains", "saknas")])
    finally:
        server.shutdown()
        server.server_close()
    assert fetched.exit_code == 0 and "1 nya" in fetched.output, fetched.output
    assert broken.exit_code != 0 and "kunde inte hämtas" in broken.output and "oförändrad" in broken.output
