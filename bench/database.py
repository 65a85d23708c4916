"""The national-size SQLite database, built once per (size, generator, migrations) and cached."""
import hashlib
import shutil
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "instance" / "bench"


def _fingerprint(size):
    """Rebuild when the generator or the schema changes."""
    digest = hashlib.sha256(str(size).encode())
    for path in sorted([ROOT / "demo" / "national.py", *(ROOT / "migrations" / "versions").glob("*.py")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def cached_database(size, log=print):
    """Path of the cached database for this size, building it if needed."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"national-{size:g}-{_fingerprint(size)}.sqlite"
    if path.exists():
        log(f"Databas (cache): {path.name}")
        return path
    for old in CACHE.glob(f"national-{size:g}-*.sqlite"):
        old.unlink()
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    started = time.perf_counter()
    _build(building, size, log)
    building.rename(path)
    log(f"Databas byggd på {time.perf_counter() - started:.0f} s: {path.name}")
    return path


def _build(path, size, log):
    import flask_migrate

    from app import create_app
    from demo.national import generate_national

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        counts = generate_national(size=size)
        from extensions import db
        from ordering.catalog_health import record_all
        # Statistics first: without them SQLite's planner takes minutes over the report's anti-joins.
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        record_all()  # the report as an import leaves it, for the Katalogkvalitet page
        db.engine.dispose()
    log("Genererat: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


def working_copy(source, name="work.sqlite"):
    """The benchmark writes (drafts, submits): it works on a copy so the cache stays clean."""
    target = CACHE / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


class Sql:
    """The floors' and the scenario's bare SQL on either database: the queries are written with
    SQLite's `?`; PostgreSQL's driver wants `%s` (no query text contains a literal %)."""

    def __init__(self, url):
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        self.connection = engine.raw_connection()
        self.qmark = engine.dialect.paramstyle == "qmark"

    def execute(self, query, params=()):
        cursor = self.connection.cursor()
        cursor.execute(query if self.qmark else query.replace("?", "%s"), tuple(params))
        return cursor


def prepared_postgresql(url, size, log=print):
    """The PostgreSQL database as `make bench` measures it: migrated, and filled with the national
    catalogue (`flask demo --national`'s generator) unless it holds it already."""
    import flask_migrate
    import sqlalchemy as sa

    from app import create_app
    from demo.national import BENCH_OFFICER, generate_national
    from extensions import db
    from models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        if db.session.scalar(sa.select(User).filter_by(email=BENCH_OFFICER)) is None:
            started = time.perf_counter()
            counts = generate_national(size=size)
            db.session.commit()
            # As autovacuum leaves tables after a bulk load (PostgreSQL 13+ vacuums after inserts too):
            # statistics, and the visibility map that lets a deep list page walk an index alone.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("VACUUM ANALYZE"))
            from ordering.catalog_health import record_all
            record_all()
            log(f"Genererat på {time.perf_counter() - started:.0f} s: " +
                ", ".join(f"{n} {name}" for name, n in counts.items()))
        else:
            log("Databas: den nationella datamängden finns redan i PostgreSQL")
        db.engine.dispose()
    return url
