#!/usr/bin/env bash
# Run the application locally: venv, packages, migrations, demo data and demo accounts,
# then serve http://127.0.0.1:5000 (SQLite under instance/ unless DATABASE_URL says otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
export FLASK_APP=app
# Demo mode offers the documented demo accounts on the login page; production never runs this script.
export DEMO_MODE="${DEMO_MODE:-1}"
.venv/bin/flask db upgrade
.venv/bin/flask demo --if-empty
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
