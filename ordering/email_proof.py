"""Proving an e-mail address: a link mailed to it, opened by the same signed-in user. Only a proven
address makes anyone a system's contact (`instance_changes.relation`); an address typed on *Mina
uppgifter* or on an order proves nothing."""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from extensions import db

from .notifications import queue_email

VALID_FOR_SECONDS = 2 * 24 * 3600
_SALT = "bekrafta-epost"


class ProofError(ValueError):
    """The link cannot prove the address; the message says why, in Swedish."""


def _signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def send_proof(user, link_for):
    """Mail a confirmation link to the user's current address. link_for(token) gives its URL."""
    if not user.email:
        raise ProofError("Ange en e-postadress först.")
    token = _signer().dumps([user.id, user.email.strip().lower()])
    queue_email([user.email], "Bekräfta din e-postadress i Beställningsstöd", "email_proof",
                reference=f"User:{user.id}", user=user, link=link_for(token))
    db.session.commit()


def confirm(user, token):
    """Mark the user's address proven when the token was mailed to it, for this user."""
    try:
        user_id, email = _signer().loads(token, max_age=VALID_FOR_SECONDS)
    except SignatureExpired as error:
        raise ProofError("Länken har gått ut. Skicka en ny bekräftelselänk från Mina uppgifter.") from error
    except (BadSignature, ValueError, TypeError) as error:
        raise ProofError("Länken är inte giltig.") from error
    if user_id != user.id:
        raise ProofError("Länken skickades till en annan användare. Logga in som den användaren och öppna den igen.")
    if not user.email or user.email.strip().lower() != email:
        raise ProofError("Länken gäller en e-postadress som du inte längre har angett. Skicka en ny länk.")
    user.verified_email = user.email
    db.session.commit()
