"""Settings, read from environment variables with safe local defaults."""
import datetime as dt
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url():
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms still hand out the legacy scheme; SQLAlchemy wants the driver named.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{INSTANCE_DIR / 'bestallningsstod.sqlite'}"


class Config:
    # A random key keeps a forgotten setting from becoming a shared, guessable secret;
    # sessions then simply do not survive a restart.
    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "sv")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("BABEL_DEFAULT_TIMEZONE", "Europe/Stockholm")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))  # seconds; a hanging SMTP server must not hang us
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "bestallningsstod@localhost")
    ORDER_MAIL_TO = os.environ.get("ORDER_MAIL_TO", "kundservice@localhost")

    DEMO_MODE = _bool("DEMO_MODE")

    # SITHS: the TLS proxy forwards the verified client certificate in this header; it is only
    # believed from these addresses (comma-separated IPs or networks). Empty: SITHS is off.
    SITHS_CERT_HEADER = os.environ.get("SITHS_CERT_HEADER", "X-SSL-Client-Cert")
    TRUSTED_PROXIES = os.environ.get("TRUSTED_PROXIES", "")

    # TAK fetches orders as JSON: either with a client certificate (forwarded like SITHS) whose
    # serialNumber or CN is listed here, or with one of these bearer tokens. Both comma-separated.
    TAK_CLIENT_IDS = os.environ.get("TAK_CLIENT_IDS", "")
    TAK_API_TOKENS = os.environ.get("TAK_API_TOKENS", "")

    # The nightly `flask tak sync` reads TAK-API (/coop/api/v2) with HTTP Basic credentials and maps our
    # environments to its connection points: "NTJP PROD=NTJP:PROD,NTJP TEST=NTJP:TEST".
    TAK_SYNC_URL = os.environ.get("TAK_SYNC_URL", "")
    TAK_SYNC_USERNAME = os.environ.get("TAK_SYNC_USERNAME", "")
    TAK_SYNC_PASSWORD = os.environ.get("TAK_SYNC_PASSWORD", "")
    TAK_SYNC_ENVIRONMENTS = os.environ.get("TAK_SYNC_ENVIRONMENTS", "")
    TAK_SYNC_TIMEOUT = float(os.environ.get("TAK_SYNC_TIMEOUT", "60"))  # seconds per request
    # A snapshot that would end more than this share of an environment's rows is refused (an empty or
    # broken snapshot); `flask tak sync --max-borttag 0.9` allows one intended large change.
    TAK_SYNC_MAX_REMOVED = float(os.environ.get("TAK_SYNC_MAX_REMOVED", "0.2"))

    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "480"))
    PERMANENT_SESSION_LIFETIME = dt.timedelta(minutes=SESSION_IDLE_MINUTES)
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")  # turn on when served over HTTPS
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A long order form must not fail on an expired token; the session's idle limit bounds it.
    WTF_CSRF_TIME_LIMIT = None

    # A pasted list of thousands of addressees is a few hundred kB; anything far larger is a mistake.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024)))
    # Behind nginx: believe its X-Forwarded-Proto/Host for the requests' own URLs.
    BEHIND_PROXY = _bool("BEHIND_PROXY")
    # Every absolute link (in mails) is built from this, never from a request's Host header, which a
    # client can forge. Required in production (scripts/serve-prod.sh refuses to start without it).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
    # Host names this service answers to (comma-separated); a request for any other is refused (400).
    # Empty: any host (local development).
    TRUSTED_HOSTS = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host.strip()] or None

    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json" in production: one object per line
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    LOG_REQUESTS = _bool("LOG_REQUESTS")
