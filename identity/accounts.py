"""Finding, creating and authenticating users; the lockout rule for password logins."""
import datetime as dt
import functools

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from clock import as_utc, utc_now
from extensions import db
from models.users import ORDERER, User

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)


@functools.cache
def _unknown_account_hash():
    """Checked when the account does not exist, so both cases take the same time. Made on first
    use: hashing is deliberately slow and does not belong in every start-up and CLI command."""
    return generate_password_hash("no such account")


def find_by_email(email):
    if not email:
        return None
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))


def find_by_hsa_id(hsa_id):
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.hsa_id) == hsa_id.strip().lower()))


def set_password(user, password):
    user.password_hash = generate_password_hash(password)


def create_user(*, role, email=None, name="", phone=None, hsa_id=None, password=None):
    user = User(role=role, email=email.strip() if email else None, name=name, phone=phone,
                hsa_id=hsa_id.strip().upper() if hsa_id else None, active=True)
    if password:
        set_password(user, password)
    db.session.add(user)
    return user


def is_locked(user, now=None):
    return bool(user.locked_until and as_utc(user.locked_until) > (now or utc_now()))


def authenticate(email, password, now=None):
    """The user when e-mail and password match an active, unlocked account; otherwise None.

    Callers show one message for every failure, so nobody learns whether an account exists.
    """
    now = now or utc_now()
    user = find_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_unknown_account_hash(), password or "")
        return None
    if is_locked(user, now) or not user.active:
        check_password_hash(user.password_hash, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        _count_failure(user, now)
        return None
    return user


def _bookkeeping(user, **values):
    """Login bookkeeping goes past the optimistic lock: two logins at once to one account (two
    tabs, two people sharing a service account) are not an edit conflict, and bump no version."""
    db.session.execute(sa.update(User).where(User.id == user.id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.expire(user, ["failed_logins", "locked_until", "last_login"])


def _count_failure(user, now):
    _bookkeeping(user, failed_logins=sa.func.coalesce(User.failed_logins, 0) + 1)
    if user.failed_logins >= MAX_FAILED_LOGINS:
        _bookkeeping(user, locked_until=now + LOCKOUT, failed_logins=0)


def record_login(user, now=None):
    _bookkeeping(user, failed_logins=0, locked_until=None, last_login=now or utc_now())


def unlock(user):
    user.failed_logins = 0
    user.locked_until = None


def siths_user(hsa_id):
    """(user, created): the user with this personal HSA-id, created as an orderer on first login."""
    user = find_by_hsa_id(hsa_id)
    if user is not None:
        return user, False
    user = create_user(role=ORDERER, hsa_id=hsa_id)
    db.session.commit()
    return user, True


def end_sessions(user):
    """Every session of the user ends now (they log in again)."""
    user.end_sessions()
    db.session.commit()
