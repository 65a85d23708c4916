"""The load test keeps working: CI runs it small and short (the full-size figures are in the README)."""
import subprocess
import sys

from .conftest import ROOT, flask


def test_load_test_runs_without_errors_and_accounts_for_every_order(postgres):
    url = postgres.create_database("load")
    flask(url, "db", "upgrade")
    flask(url, "demo", "--national", "--scale", "0.01")
    completed = subprocess.run([sys.executable, "-m", "bench.load", "--database-url", url, "--users", "4",
                                "--officers", "1", "--seconds", "15", "--workers", "2"],
                               cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    summary = completed.stdout
    assert " 0 fel" in summary and "skickade beställningar" in summary
    sent = int(summary.split(" skickade beställningar")[0].rsplit(" ", 1)[1])
    assert sent >= 4  # every simulated orderer got at least one order through
    assert "| beställ |" in summary
