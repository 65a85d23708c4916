"""`flask demo`: fill an empty database with the demo catalogue."""
import click
from flask import current_app, url_for

from extensions import db
from identity.demo_accounts import DEMO_PASSWORD, demo_account, ensure_demo_accounts
from models import CUSTOMER_SERVICE, ORDERER
from ordering import catalog_health

from .generator import DemoDataExists, generate_demo
from .national import generate_national
from .orders import create_demo_orders

LOCAL_ADDRESS = "http://127.0.0.1:5000"  # where scripts/run.sh serves; the demo's mails link there


@click.command("demo")
@click.option("--scale", default=1.0, show_default=True, help="Storleksfaktor för antalet vårdenheter.")
@click.option("--seed", default=2026, show_default=True, help="Slumpfrö; samma frö ger samma data.")
@click.option("--if-empty", is_flag=True, help="Gör ingenting (utan fel) om databasen redan har data.")
@click.option("--large-domain", is_flag=True,
              help="Lägg till en tjänstedomän i NTJP QA med 10 kontrakt och 5 000 logiska adressater.")
@click.option("--national", is_flag=True,
              help="Nationell storlek för prestandamätning (60 000 adressater, 120 000 anslutningar per miljö, "
                   "50 000 beställningar); --scale skalar alla antal.")
def demo_command(scale, seed, if_empty, large_domain, national):
    """Läs in demodata (miljöer, tjänstekontrakt, adressater, anslutningar) i en tom databas.

    Med DEMO_MODE påslaget skapas även demokontona (beställare, kundservice, administratör)."""
    if current_app.config["DEMO_MODE"]:
        created = ensure_demo_accounts(db.session)
        click.echo(f"Demokonton: {created} nya (lösenord '{DEMO_PASSWORD}').")
    try:
        if national:
            counts = generate_national(size=scale, seed=seed)
        else:
            counts = generate_demo(scale=scale, seed=seed, large_domain=large_domain)
    except DemoDataExists as error:
        if if_empty:
            click.echo("Databasen har redan data; demodata lästes inte in.")
            return
        raise click.ClickException(str(error)) from error
    click.echo("Demodata inläst: " + ", ".join(f"{count} {name}" for name, count in counts.items()))
    if current_app.config["DEMO_MODE"] and not national:
        made = _demo_orders()
        click.echo("Demobeställningar i kundservicens kö: " + ", ".join(
            f"{order.display_number} {label}" for label, order in made.items()))
    catalog_health.record_all()
    click.echo("Katalogkvalitet beräknad för varje miljö (Uppföljning → Katalogkvalitet).")


def _demo_orders():
    """The back office shows work from the start: the demo orderer's orders, handled by Demo Kundservice."""
    orderer, officer = demo_account(ORDERER), demo_account(CUSTOMER_SERVICE)
    base = current_app.config.get("PUBLIC_BASE_URL") or LOCAL_ADDRESS
    with current_app.test_request_context(base_url=base):
        return create_demo_orders(orderer, officer,
                                  lambda endpoint, number: url_for(endpoint, number=number, _external=True))
