#!/usr/bin/env bash
# Run the whole test suite. TEST_DATABASE_URL=postgresql+psycopg://… runs it on PostgreSQL;
# without it every test gets its own SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
