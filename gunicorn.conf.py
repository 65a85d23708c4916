"""gunicorn settings for production (scripts/serve-prod.sh); every value can be set from the environment."""
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")  # nginx in front terminates TLS
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a 10 × 5,000 submission takes about a second
graceful_timeout = 30
max_requests, max_requests_jitter = 2000, 200  # recycle workers now and then; memory stays flat
accesslog = None  # the application logs each request itself, as JSON (LOG_REQUESTS)
errorlog = "-"


def on_starting(server):
    """Without SECRET_KEY every worker makes a key of its own, and a recycled worker (max_requests) a
    new one: a session or CSRF token signed by one fails in the next (everyone logged out, forms
    refused). Refuse to start that way, whatever the number of workers."""
    if not os.environ.get("SECRET_KEY"):
        raise SystemExit("SECRET_KEY saknas: alla arbetsprocesser, också de som startas om, måste ha samma "
                         "nyckel. Sätt SECRET_KEY till en lång slumpsträng.")


def post_worker_init(worker):
    """Once the application is loaded: its long-lived objects (models, templates, routes) leave the
    garbage collector's scans, and collections run less often – a 5,000-routing order allocates
    hundreds of thousands of short-lived objects, and each full scan showed up in p95."""
    import gc

    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
