#!/usr/bin/env bash
# Run the whole test suite. TEST_DATABASE_URL=postgresql+psycopg://… runs it on PostgreSQL;
# without it every test gets its own SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# The browser and accessibility tests need Debian's Chromium: install it when we can, else say so
# and stop – they are never skipped in silence.
CHROMIUM="${CHROMIUM_PATH:-$(command -v chromium || true)}"
if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "== installing Debian's chromium for the browser and accessibility tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null && command -v apt-get >/dev/null; then
    echo "== installing Debian's chromium for the browser and accessibility tests"
    sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive sudo apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium saknas: installera Debians paket (sudo apt-get install chromium) eller ange CHROMIUM_PATH." >&2
    echo "Webbläsar- och tillgänglighetstesterna kan annars inte köras." >&2
    exit 2
  fi
fi
if [ $# -gt 0 ]; then  # a file, -k, a node id: as asked, on two workers unless -n says otherwise
  exec .venv/bin/python -m pytest "$@"
fi
# The whole suite: the database tests on two workers, then the browser tests alone in one process
# (beside two busy workers Chromium met half-loaded pages). Both parts run; either failing fails.
status=0
.venv/bin/python -m pytest -m "not browser" || status=$?
.venv/bin/python -m pytest -m browser -n 0 || status=$?
exit $status
