"""`flask users …`: local accounts for customer service and administrators."""
import click
import sqlalchemy as sa

from extensions import db
from models import ROLE_LABELS, ROLES, User

from .accounts import create_user, find_by_email, find_by_hsa_id, set_password, unlock

MIN_PASSWORD_LENGTH = 10


@click.group("users")
def users_cli():
    """Hantera användarkonton."""


def _password_prompt():
    return click.prompt("Lösenord", hide_input=True, confirmation_prompt="Upprepa lösenordet")


def _check_password(password):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")


@users_cli.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True, help="orderer, customer_service eller admin.")
@click.option("--email", required=True, help="E-postadress; används för inloggning med lösenord.")
@click.option("--name", default="", help="För- och efternamn.")
@click.option("--phone", default=None, help="Telefonnummer.")
@click.option("--hsa-id", default=None, help="Personens HSA-id (för inloggning med SITHS-kort).")
def create_command(role, email, name, phone, hsa_id):
    """Skapa ett konto; lösenordet frågas efter (visas inte)."""
    if find_by_email(email):
        raise click.ClickException(f"Det finns redan ett konto med e-postadressen {email}.")
    if hsa_id and find_by_hsa_id(hsa_id):
        raise click.ClickException(f"Det finns redan ett konto med HSA-id {hsa_id}.")
    password = _password_prompt()
    _check_password(password)
    user = create_user(role=role, email=email, name=name, phone=phone, hsa_id=hsa_id, password=password)
    db.session.commit()
    click.echo(f"Kontot {user.email} ({ROLE_LABELS[role]}) har skapats.")


@users_cli.command("password")
@click.argument("email")
def password_command(email):
    """Sätt nytt lösenord för ett konto (och häv en eventuell spärr)."""
    user = find_by_email(email)
    if user is None:
        raise click.ClickException(f"Inget konto har e-postadressen {email}.")
    password = _password_prompt()
    _check_password(password)
    set_password(user, password)
    unlock(user)
    db.session.commit()
    click.echo(f"Lösenordet för {user.email} har ändrats.")


@users_cli.command("list")
def list_command():
    """Lista alla konton."""
    for user in db.session.scalars(sa.select(User).order_by(User.role, User.email)):
        state = "aktiv" if user.active else "spärrad"
        click.echo(f"{user.email or '-':35} {user.hsa_id or '-':22} {ROLE_LABELS[user.role]:14} {state}  {user.name}")
