"""`python -m bench`: the national-scale benchmark.

Builds (once, cached under instance/bench/) the national-size database, serves it with gunicorn,
measures every operation of the performance issue many times through HTTP, times the bare SQL
that answers the same question, measures the browser side in Chromium and the TAK import, then
every list against a stock Flask-Admin view of the same table (bench/peers.py), and prints the
tables. Exits 1 when a target is missed.

With DATABASE_URL=postgresql+psycopg://… in the environment the whole run is on that PostgreSQL
database (migrated and filled with the national catalogue first if it is not there; the run adds
its drafts and sent orders to it). The TAK import is measured on SQLite only.
"""
import argparse
import contextlib
import io
import os
import sqlite3
import sys
import time
from pathlib import Path

from .database import Sql, cached_database, prepared_postgresql, working_copy
from .operations import Result, Scenario, measure, measure_floor, operations
from .peers import peer_results, print_peer_table
from .server import gunicorn

FLOOR_RATIO = 3
# Below this floor the fixed cost of any request (session, user, template) dominates, and a ratio
# says nothing about the query; such operations are held to their absolute target only.
RATIO_APPLIES_FROM_MS = 5


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = nationell storlek (standard)")
    parser.add_argument("--repeat", type=int, default=30, help="mätningar per operation")
    parser.add_argument("--no-browser", action="store_true", help="hoppa över mätningarna i Chromium")
    parser.add_argument("--no-import", action="store_true", help="hoppa över TAK-importen")
    parser.add_argument("--no-peers", action="store_true", help="hoppa över jämförelsen med Flask-Admins standardvy")
    parser.add_argument("--only", default="", help="mät bara operationer vars namn innehåller texten")
    parser.add_argument("--write-docs", action="store_true",
                        help="skriv tabellerna i docs/PERFORMANCE.md (avsnittet för databasen och skalan)")
    parser.add_argument("--report-only", action="store_true",
                        help="skriv tabellen men avsluta med 0 även om mål missas (CI:s lilla körning)")
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL", "")
    on_postgresql = url.startswith("postgresql")
    if on_postgresql:
        url, database = prepared_postgresql(url, args.scale), None
        sql = Sql(url)
    else:
        database = working_copy(cached_database(args.scale))
        url, sql = f"sqlite:///{database}", sqlite3.connect(database)
    results = []
    with gunicorn(url, env={"LOG_REQUESTS": "0"}) as (base_url, _):
        scenario = Scenario(base_url, sql)
        floor_connection = sql
        for op in operations(scenario):
            if args.only and args.only.lower() not in op.name.lower():
                continue
            repeat = max(5, args.repeat // 3) if op.name.startswith("Beställ") else args.repeat
            result = measure(op, repeat)
            measure_floor(result, op, floor_connection, args.repeat)
            results.append(result)
            print(f"  {op.name}: p95 {result.p95:.1f} ms", file=sys.stderr, flush=True)
        if not args.no_browser:
            from .browser import browser_results
            results += browser_results(base_url, scenario)
    if not args.only or args.only.lower() in "katalogkvalitet":
        from .health import health_result
        results.append(health_result(url))
    if not args.no_import and database is not None:
        from .tak_import import import_result
        from .tak_sync import sync_results
        results.append(import_result(database))
        results += sync_results(database)
    peers = [] if args.no_peers else peer_results(url, max(5, args.repeat // 2), log=_progress, only=args.only)
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        print_table(results, args.scale, url)
        if peers:
            print_peer_table(peers, url)
    print(report.getvalue(), end="")
    if args.write_docs:
        write_docs(report.getvalue(), url.split(":", 1)[0].split("+", 1)[0], args.scale)
    missed = [r for r in results if not passed(r)] + [r for r in peers if not r.met]
    if missed:
        print(f"\n{len(missed)} mål missades: " + "; ".join(r.name for r in missed))
        return 0 if args.report_only else 1
    print("\nAlla mål nådda.")
    return 0


DOCS = Path(__file__).resolve().parent.parent / "docs" / "PERFORMANCE.md"
LATEST = "\n## Latest runs (written by `python -m bench --write-docs`)\n"


def write_docs(report, engine, scale):
    """The run's tables into docs/PERFORMANCE.md, replacing the last run of the same database and
    scale (between its markers), so the figures there are the benchmark's own, never pasted."""
    start, end = f"<!-- bench {engine} skala {scale:g} -->", f"<!-- /bench {engine} skala {scale:g} -->"
    block = f"{start}\n```\n{report.strip()}\n```\n{end}"
    text = DOCS.read_text(encoding="utf-8")
    if start in text and end in text:
        text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        if LATEST not in text:
            text = text.rstrip() + "\n" + LATEST
        text = text.rstrip() + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")
    _progress(f"Tabellerna skrivna i {DOCS}")


def _progress(text):
    print(text, file=sys.stderr, flush=True)


def passed(result: Result):
    ratio_ok = (result.ratio is None or result.composite or result.floor < RATIO_APPLIES_FROM_MS
                or result.ratio <= FLOOR_RATIO)
    return result.target_met and ratio_ok and getattr(result, "memory_ok", True)


def _ms(value):
    return "–" if value is None else f"{value:.1f}"


def print_table(results, scale, url):
    engine = url.split(":", 1)[0].split("+", 1)[0]
    print(f"\nBeställningsstöd – prestandamätning, skala {scale:g}, {engine}, {time.strftime('%Y-%m-%d %H:%M')}")
    header = ("Operation", "p50 ms", "p95 ms", "mål ms", "SQL-golv ms", "kvot", "")
    rows = [(r.name + (f" ({r.note})" if r.note else ""), _ms(r.p50), _ms(r.p95), f"{r.target_ms:g}", _ms(r.floor),
             "–" if r.ratio is None else (f"({r.ratio:.1f})" if r.composite else f"{r.ratio:.1f}"),
             "ok" if passed(r) else "MISS") for r in results]
    widths = [max(3, *(len(str(row[i])) for row in [header, *rows])) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                                for i, (cell, w) in enumerate(zip(row, widths))) + " |")


if __name__ == "__main__":
    sys.exit(main())
