"""The catalogue health report's own computation (after each TAK import, or "Beräkna nu"): the
eleven set-based queries over one environment, timed in-process."""
import time

from .operations import Result

TARGET_MS = 15_000  # it runs after an import (which takes ~30 s) or on request, never per page view


def health_result(database_url, repeat=3):
    import sqlalchemy as sa

    from app import create_app
    from clock import swedish_today
    from extensions import db
    from models import Environment
    from ordering import catalog_health as health

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    result = Result("Katalogkvalitet: beräkna rapporten för PROD (11 frågor)", TARGET_MS, composite=True)
    with app.app_context():
        prod = db.session.scalar(sa.select(Environment).filter_by(name="PROD"))
        for _ in range(repeat):
            started = time.perf_counter()
            health.counts(prod.id, swedish_today())
            result.samples.append((time.perf_counter() - started) * 1000)
        db.engine.dispose()
    return result
