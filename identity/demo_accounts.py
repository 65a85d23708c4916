"""The demo accounts the README documents; created by `flask demo` only when DEMO_MODE is on."""
from models import ADMIN, CUSTOMER_SERVICE, ORDERER

from .accounts import create_user, find_by_email, set_password

DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS = [
    {"email": "bestallare@demo.example", "name": "Demo Beställare", "role": ORDERER,
     "hsa_id": "SE2321000016-D001", "phone": "010-000 00 01"},
    {"email": "kundservice@demo.example", "name": "Demo Kundservice", "role": CUSTOMER_SERVICE,
     "hsa_id": None, "phone": "010-000 00 02"},
    {"email": "admin@demo.example", "name": "Demo Administratör", "role": ADMIN,
     "hsa_id": None, "phone": "010-000 00 03"},
]


def demo_account(role):
    """The demo account of a role (None until `flask demo` has made it)."""
    return find_by_email(next(account["email"] for account in DEMO_ACCOUNTS if account["role"] == role))


def is_demo_account(email):
    return any(account["email"] == (email or "").strip().lower() for account in DEMO_ACCOUNTS)


def ensure_demo_accounts(session):
    """Create the missing demo accounts; returns how many were created."""
    created = 0
    for account in DEMO_ACCOUNTS:
        user = find_by_email(account["email"])
        if user is None:
            user = create_user(password=DEMO_PASSWORD, **account)
            user.verified_email = user.email  # the demo's addresses are its own: nobody can read their mail
            created += 1
        elif not user.password_hash:
            set_password(user, DEMO_PASSWORD)
    session.commit()
    return created
