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
from ordering.orders import header_of, parse_number
from ordering.tak_json import tak_order

from .auth import forwarded_certificate

tak_api = Blueprint("tak_api", __name__, url_prefix="/bs-api/api")
SERVED = (SUBMITTED, IN_PROGRESS, DONE)


def _credentials(setting):
    """'token, token2=NTJP-QA|NTJP-TEST' → {credential: None (every environment) or {"NTJP-QA", …}}."""
    credentials = {}
    for entry in (setting or "").split(","):
        credential, _, environments = entry.strip().partition("=")
        if credential.strip():
            credentials[credential.strip()] = ({code.strip().upper() for code in environments.split("|") if code.strip()}
                                               if environments else None)
    return credentials


def _access():
    """(environments, None) when the caller may fetch orders – environments None meaning all – else
    (None, the refusing response); 401 without credentials."""
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Bearer "):
        token = authorization.removeprefix("Bearer ").strip()
        for allowed, environments in _credentials(current_app.config["TAK_API_TOKENS"]).items():
            if hmac.compare_digest(token.encode(), allowed.encode()):
                return environments, None
        return None, _text("Ogiltig token.", 403)
    certificate = forwarded_certificate()
    if certificate:
        try:
            identities = certificate_identities(certificate)
        except CertificateError:
            return None, _text("Klientcertifikatet kunde inte läsas.", 403)
        for allowed, environments in _credentials(current_app.config["TAK_CLIENT_IDS"]).items():
            if allowed.lower() in identities:
                return environments, None
        return None, _text("Klientcertifikatet har inte behörighet.", 403)
    response = _text("Autentisering krävs (klientcertifikat eller token).", 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="bs-api"'
    return None, response


def _text(message, status):
    return Response(message, status=status, mimetype="text/plain")


@tak_api.get("/takOrders/<number>")
@csrf.exempt
def tak_order_json(number):
    environments, refused = _access()
    if refused is not None:
        return refused
    parsed = parse_number(number)
    order = db.session.scalar(sa.select(Order).where(Order.number == parsed)) if parsed is not None else None
    if order is None or order.status not in SERVED:
        return _text(f"Beställning {number} hittades inte", 404)
    plattform = header_of(order)["plattform"]
    if environments is not None and plattform.upper() not in environments:
        return _text(f"Behörigheten gäller inte beställningar för {plattform}.", 403)
    body = json.dumps(tak_order(order, kinds.change_set(order)), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json")
