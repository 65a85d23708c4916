"""GET /bs-api/api/takOrders/<number>: the order as TAK's import fetches it."""
import hmac
import json

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, request

from extensions import csrf, db
from identity.siths import CertificateError, certificate_identities
from models import Order
from models.orders import DONE, IN_PROGRESS, SUBMITTED
from ordering import order_kinds as kinds
from ordering.orders import parse_number
from ordering.tak_json import tak_order

from .auth import forwarded_certificate

tak_api = Blueprint("tak_api", __name__, url_prefix="/bs-api/api")
SERVED = (SUBMITTED, IN_PROGRESS, DONE)


def _listed(setting):
    return [value.strip() for value in (setting or "").split(",") if value.strip()]


def _access():
    """None when the caller may fetch orders, else the refusing response (401 without credentials)."""
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Bearer "):
        token = authorization.removeprefix("Bearer ").strip()
        if any(hmac.compare_digest(token, allowed) for allowed in _listed(current_app.config["TAK_API_TOKENS"])):
            return None
        return _text("Ogiltig token.", 403)
    certificate = forwarded_certificate()
    if certificate:
        try:
            identities = certificate_identities(certificate)
        except CertificateError:
            return _text("Klientcertifikatet kunde inte läsas.", 403)
        if identities & {value.lower() for value in _listed(current_app.config["TAK_CLIENT_IDS"])}:
            return None
        return _text("Klientcertifikatet har inte behörighet.", 403)
    response = _text("Autentisering krävs (klientcertifikat eller token).", 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="bs-api"'
    return response


def _text(message, status):
    return Response(message, status=status, mimetype="text/plain")


@tak_api.get("/takOrders/<number>")
@csrf.exempt
def tak_order_json(number):
    refused = _access()
    if refused is not None:
        return refused
    parsed = parse_number(number)
    order = db.session.scalar(sa.select(Order).where(Order.number == parsed)) if parsed is not None else None
    if order is None or order.status not in SERVED:
        return _text(f"Beställning {number} hittades inte", 404)
    body = json.dumps(tak_order(order, kinds.change_set(order)), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json")
