"""`flask export` / `flask import`: the tool's own data moves to another deployment unchanged."""
import json

import sqlalchemy as sa

from extensions import db
from models import FaqEntry
from ordering.transfer import TABLES

from .conftest import csrf_token
from .test_producer_order import build_order, start, step_url


def snapshot():
    return {table.name: sorted(map(tuple, db.session.execute(sa.select(table)).all()), key=repr) for table in TABLES}


def empty_database():
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(sa.delete(table))
    db.session.commit()


def test_export_then_import_into_an_empty_database_gives_the_same_data(app, orderer_client, catalog, tmp_path):
    order = build_order(orderer_client, catalog)
    page = orderer_client.get(step_url(order, "sammanfattning")).get_data(as_text=True)
    orderer_client.post(f"/producent/{order.number}/bestall", data={"csrf_token": csrf_token(page)})
    start(orderer_client, catalog)  # and a draft
    before = snapshot()
    assert len(before["bs_order"]) == 2 and before["order_status_change"] and before["user_account"]

    path = tmp_path / "export.json"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 bs_order" in result.output
    empty_database()
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert snapshot() == before

    # The sequences continue after the imported ids: a new order gets the next number.
    next_id = db.session.execute(sa.insert(TABLES[1]).values(org_number="5560000001", name="Ny AB")
                                 .returning(TABLES[1].c.id)).scalar()
    assert next_id > max(row[0] for row in before["organisation"])


def test_import_refuses_a_database_with_data_and_changes_nothing(app, catalog, tmp_path):
    path = tmp_path / "export.json"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["export", str(path)]).exit_code == 0
    before = snapshot()
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0
    assert "Databasen har redan data i" in result.output and "Databasen är oförändrad" in result.output
    assert snapshot() == before


def test_import_refuses_a_file_that_is_not_an_export(app, tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"data": {}}), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code != 0 and "Filen är ingen export från beställningsstödet" in result.output


def test_import_into_a_freshly_migrated_database_replaces_its_seeded_pages(app, catalog, tmp_path):
    """`flask db upgrade` publishes a first FAQ and accessibility statement: the database the README
    says to import into is not refused for them, and the exported pages replace them."""
    from flask_migrate import upgrade

    path = tmp_path / "export.json"
    db.session.add(FaqEntry(page="faq", position=1, question="Egen fråga?", answer="Eget svar."))
    db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["export", str(path)]).exit_code == 0
    before = snapshot()
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FaqEntry)) > 10  # the seeded pages
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert snapshot() == before
    assert db.session.scalars(sa.select(FaqEntry.question)).all() == ["Egen fråga?"]


def test_every_table_is_transferred_or_left_out_on_purpose(app):
    from ordering.transfer import NOT_TRANSFERRED

    named = {table.name for table in TABLES} | set(NOT_TRANSFERRED)
    assert {table.name for table in db.metadata.sorted_tables} == named
