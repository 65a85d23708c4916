# Shortcuts; each target is one command from the README.
.PHONY: run test bench bench-small serve-prod load

run:
	scripts/run.sh

test:
	scripts/test.sh

bench:  ## national scale: builds (once), measures, writes the tables into docs/PERFORMANCE.md; exits 1 when a target is missed
	scripts/bench.sh --write-docs

bench-small:
	scripts/bench.sh --scale 0.01 --repeat 5 --report-only

serve-prod:  ## gunicorn + PostgreSQL, as in production (needs DATABASE_URL=postgresql://…)
	scripts/serve-prod.sh

load:  ## 20 orderers + 4 officers for 2 minutes against gunicorn on DATABASE_URL (PostgreSQL)
	.venv/bin/python -m bench.load --database-url "$(DATABASE_URL)"
