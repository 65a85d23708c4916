"""Start the application under gunicorn – the way production runs it – and wait for /healthz."""
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(base_url, process=None, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"Servern avslutades med kod {process.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{base_url} svarade inte inom {timeout} s")


@contextlib.contextmanager
def gunicorn(database_url, workers=1, threads=1, env=None, port=None, log_path=None, timeout=120):
    """Yields (base_url, process). Extra environment variables (MAIL_*, TAK_API_TOKENS …) via env."""
    port = port or free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret", **(env or {})}
    # Production's gunicorn.conf.py, with the bench's own address, worker count and timeout on top.
    command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
               "--workers", str(workers), "--threads", str(threads),
               "--bind", f"127.0.0.1:{port}", "--timeout", str(timeout), "--graceful-timeout", "5",
               "app:create_app()"]
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log,
                               start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process)
        yield base_url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if log_path:
            log.close()
