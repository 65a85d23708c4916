#!/usr/bin/env bash
# The national-scale benchmark (see README, "Prestanda"). Arguments go to `python -m bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
exec .venv/bin/python -m bench "$@"
