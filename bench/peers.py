"""Every list against its peer: a stock Flask-Admin `ModelView` automapped over the same table.

Both run in one process on the same database, same page size, requests alternating (ours, stock,
ours, …) so that a busy moment of the machine hits both alike. The stock views exist only in this
benchmark's copy of the app, never in the application itself.

    python -m bench.peers --database-url postgresql+psycopg://…   (default: the cached national SQLite)
"""
import argparse
import re
import statistics
import sys
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

PAGE_SIZE = 50
DEEP_PAGE = 1000  # shown only where the table has that many pages
TARGET_RATIO = 1.0
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class PeerRow:
    name: str
    ours: list = field(default_factory=list)
    stock: list = field(default_factory=list)

    @property
    def ours_p50(self):
        return statistics.median(self.ours)

    @property
    def stock_p50(self):
        return statistics.median(self.stock)

    @property
    def ratio(self):
        return self.ours_p50 / self.stock_p50

    @property
    def met(self):
        return self.ratio <= TARGET_RATIO


def _lists(app):
    """(name, our list's URL, its table) for every list customer service pages through."""
    lists = []
    for view in app.extensions["admin"][0]._views:
        model = getattr(view, "model", None)
        if model is None or view.endpoint in ("user", "faqentry", "changerequest"):
            continue
        name = "Beställningar (kön, ofiltrerad)" if view.endpoint == "backoffice" else view.name
        lists.append((name, view.url + "/", model.__table__.name, view.endpoint))
    return lists


def _add_stock_admin(app, tables):
    """A second, stock Flask-Admin at /stock with one automapped ModelView per table."""
    from flask_admin import Admin, AdminIndexView
    from flask_admin.contrib.sqla import ModelView
    from sqlalchemy.ext.automap import automap_base

    from extensions import db

    with app.app_context():
        base = automap_base()
        base.prepare(autoload_with=db.engine)
    stock = Admin(app, name="stock", url="/stock", endpoint="stock",
                  index_view=AdminIndexView(endpoint="stock", url="/stock"))

    class StockView(ModelView):
        page_size = PAGE_SIZE

    for table in tables:
        stock.add_view(StockView(base.classes[table], db.session, endpoint=f"stock_{table}", url=f"/stock/{table}"))


def _logged_in_client(app, email, password):
    client = app.test_client()
    page = client.get("/auth/").get_data(as_text=True)
    token = CSRF_FIELD.search(page).group(1)
    response = client.post("/auth/", data={"csrf_token": token, "email": email, "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"Inloggningen som {email} misslyckades (status {response.status_code})")
    return client


def _timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} gav status {response.status_code}")
    return elapsed


def peer_results(database_url, repeat=15, log=None, only=""):
    from app import create_app
    from demo.national import BENCH_OFFICER, BENCH_PASSWORD
    from extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "LOG_REQUESTS": False})
    lists = _lists(app)
    _add_stock_admin(app, [table for _, _, table, _ in lists])
    client = _logged_in_client(app, BENCH_OFFICER, BENCH_PASSWORD)
    rows = []
    with app.app_context():
        sizes = {table: db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(table)))
                 for _, _, table, _ in lists}
    for name, url, table, _ in lists:
        if only and only.lower() not in name.lower():
            continue
        pages = [(1, "")]
        if sizes[table] >= PAGE_SIZE * DEEP_PAGE:
            pages.append((DEEP_PAGE, f"?page={DEEP_PAGE - 1}"))
        for number, query in pages:
            row = PeerRow(f"{name}, sida " + f"{number:,}".replace(",", "\u00a0"))
            ours, stock = url + query, f"/stock/{table}/{query}"
            _timed_get(client, ours), _timed_get(client, stock)  # warm-up: caches, compiled queries
            for _ in range(repeat):
                row.ours.append(_timed_get(client, ours))
                row.stock.append(_timed_get(client, stock))
            rows.append(row)
            if log:
                log(f"  {row.name}: {row.ours_p50:.1f} / {row.stock_p50:.1f} ms")
    return rows


def print_peer_table(rows, database_url):
    engine = sa.engine.make_url(database_url).get_backend_name()
    print(f"\nListor mot Flask-Admins standardvy (samma tabell, {PAGE_SIZE} rader per sida, {engine}), p50:")
    header = ("Lista", "vår ms", "standard ms", "kvot", "")
    lines = [(r.name, f"{r.ours_p50:.1f}", f"{r.stock_p50:.1f}", f"{r.ratio:.2f}", "ok" if r.met else "MISS")
             for r in rows]
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]
    for line in [header, tuple("-" * w for w in widths), *lines]:
        print("| " + " | ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                                for i, (c, w) in enumerate(zip(line, widths))) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", default="", help="mät bara listor vars namn innehåller texten")
    args = parser.parse_args(argv)
    url = args.database_url
    if not url:  # logging in writes: a copy keeps the cache clean
        from .database import cached_database, working_copy
        url = f"sqlite:///{working_copy(cached_database(args.scale), 'peers.sqlite')}"
    rows = peer_results(url, args.repeat, log=lambda text: print(text, file=sys.stderr, flush=True), only=args.only)
    print_peer_table(rows, url)
    return 0 if all(r.met for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
