"""The Alembic migrations build exactly the schema the models describe, on this test's engine."""
import sqlalchemy as sa
from flask_migrate import check, downgrade, upgrade

from app import create_app
from extensions import db

from .conftest import database_url


def test_upgrade_then_check_reports_no_drift(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
                      "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": sa.pool.NullPool}})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        check()  # exits non-zero on drift
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"producer_connection", "call_authorization", "system_instance_environment"} <= tables
        _case_insensitive_uniqueness_survived()
        _accessibility_statement_published()
        _outbox_bodies_last_on_sqlite()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}


def _case_insensitive_uniqueness_survived():
    """SQLite cannot reflect expression indexes, so `check` cannot see them go missing (a batch
    migration that recreates a table drops them): insert twins that differ only in case."""
    with db.engine.connect() as connection:
        connection.execute(sa.text("INSERT INTO logical_address (hsa_id, name) VALUES ('SE2321000016-AB1', 'x')"))
        try:
            connection.execute(sa.text("INSERT INTO logical_address (hsa_id, name) VALUES ('se2321000016-ab1', 'y')"))
        except sa.exc.IntegrityError:
            connection.rollback()
        else:
            raise AssertionError("uq_logical_address_hsa_id_lower is missing after the migrations")


def _accessibility_statement_published():
    """A new deployment publishes a first statement in DIGG's structure; the FAQ stays the FAQ."""
    with db.engine.connect() as connection:
        headings = list(connection.scalars(sa.text(
            "SELECT question FROM faq_entry WHERE page = 'tillganglighet' ORDER BY position")))
        faq_pages = set(connection.scalars(sa.text("SELECT DISTINCT page FROM faq_entry WHERE page <> 'tillganglighet'")))
    assert headings[:2] == ["Tillgänglighet för Beställningsstöd", "Hur tillgänglig är tjänsten?"]
    assert {"Rapportera brister i tjänstens tillgänglighet", "Tillsyn", "Innehåll som inte är tillgängligt",
            "Hur vi testat tjänsten"} <= set(headings)
    assert faq_pages == {"faq"}


def _outbox_bodies_last_on_sqlite():
    """SQLite reads through a megabyte body to reach a column after it; the outbox list reads none."""
    columns = [column["name"] for column in sa.inspect(db.engine).get_columns("outbound_email")]
    if db.engine.dialect.name == "sqlite":
        assert columns[-3:] == ["text_body", "html_body", "attachments"]
    assert {"status", "last_error", "text_body"} <= set(columns)
