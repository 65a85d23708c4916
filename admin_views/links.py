"""Absolute links, for mails: built from PUBLIC_BASE_URL, never from the request's Host header."""
from flask import current_app, url_for


def public_url(endpoint, **values):
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    # Local development without a configured address: the request's own host (TRUSTED_HOSTS guards it).
    return url_for(endpoint, _external=True, **values)
