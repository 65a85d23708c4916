#!/usr/bin/env bash
# Production-style: migrations on deploy, then gunicorn with several workers on PostgreSQL and
# JSON logs on stderr. Needs DATABASE_URL=postgresql://… and SECRET_KEY (see README, "Drift").
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?Ange DATABASE_URL=postgresql://användare@värd/databas}"
: "${SECRET_KEY:?Ange SECRET_KEY (en lång slumpsträng, samma för alla arbetsprocesser)}"
: "${PUBLIC_BASE_URL:?Ange PUBLIC_BASE_URL, t.ex. https://bestallningsstod.example.se (länkar i mail byggs från den)}"
: "${TRUSTED_HOSTS:?Ange TRUSTED_HOSTS, t.ex. bestallningsstod.example.se (andra värdnamn avvisas)}"
case "$DATABASE_URL" in
  postgres*) ;;
  *) echo "Produktion kör på PostgreSQL; DATABASE_URL pekar på något annat." >&2; exit 1 ;;
esac
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
export FLASK_APP=app LOG_FORMAT="${LOG_FORMAT:-json}" LOG_REQUESTS="${LOG_REQUESTS:-1}"
.venv/bin/flask db upgrade
exec .venv/bin/gunicorn --config gunicorn.conf.py "app:create_app()"
