"""What operations needs to see: one JSON log line per request with its duration, the same
duration in a Server-Timing header (the benchmark and the browser's developer tools read it),
and /healthz for the load balancer."""
import json
import logging
import sys
import time

import sqlalchemy as sa
from flask import g, request

from extensions import db

REQUEST_LOGGER = "bestallningsstod.request"

# Scripts only from our own origin. 'unsafe-inline' stays for scripts and styles because
# Flask-Admin's own templates use inline event handlers (its row delete button, filter menu);
# no page of ours loads anything from another origin, and no page may be framed.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: what log shippers index without parsing rules."""

    def format(self, record):
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app):
    """LOG_FORMAT=json (production) or text; requests are logged when LOG_REQUESTS is on."""
    if app.config.get("LOG_FORMAT") != "json":
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.handlers[:] = []
    app.logger.propagate = True


def _declare_swedish(response):
    """Every page says it is Swedish (WCAG 3.1.1): Flask-Admin's own base template writes a bare
    <html>, so the language is added to it here, once, for every page."""
    if response.mimetype == "text/html" and not response.direct_passthrough and not response.is_streamed:
        body = response.get_data()
        if b"<html>" in body[:200]:
            response.set_data(body.replace(b"<html>", b'<html lang="sv">', 1))


def init_observability(app):
    configure_logging(app)
    request_log = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        _declare_swedish(response)
        # A signed-in page or a TAK order must not be kept by a browser or a proxy for the next user.
        signed_in = g.get("_login_user") is not None and g._login_user.is_authenticated
        if signed_in or request.path.startswith("/bs-api/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def finish(response):
        started = g.pop("request_started", None)
        if started is None:
            return response
        duration = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={duration:.1f}"
        if app.config.get("LOG_REQUESTS"):
            loaded = g.get("_login_user")  # never load the user here: the database may be what failed
            user = loaded.get_id() if loaded is not None and loaded.is_authenticated else None
            request_log.info("%s %s %s", request.method, request.path, response.status_code, extra={"fields": {
                "method": request.method, "path": request.path, "status": response.status_code,
                "duration_ms": round(duration, 1), "user_id": user, "remote_addr": request.remote_addr}})
        return response

    @app.get("/healthz")
    def healthz():
        """200 when the database answers, 503 otherwise – without a session or login."""
        try:
            db.session.execute(sa.text("SELECT 1"))
        except Exception:
            db.session.rollback()
            app.logger.warning("Hälsokontroll: databasen svarar inte", exc_info=True)
            return {"status": "fel", "database": "svarar inte"}, 503
        return {"status": "ok", "database": "ok"}
