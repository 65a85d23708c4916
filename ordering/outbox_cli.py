"""`flask outbox send`: deliver what is due (for cron, and after an SMTP outage)."""
import click

from .outbox import deliver_due, smtp_configured


@click.group("outbox")
def outbox_cli():
    """Utkorgen: e-post som väntar på att skickas."""


@outbox_cli.command("send")
@click.option("--now", "ignore_backoff", is_flag=True,
              help="Försök med all väntande e-post nu, utan att vänta ut återförsöksintervallen (efter ett avbrott).")
def send_command(ignore_backoff):
    """Skicka e-post som står på tur."""
    if not smtp_configured():
        raise click.ClickException("Ingen SMTP-server är konfigurerad (MAIL_SERVER); e-posten ligger kvar i utkorgen.")
    sent, failed = deliver_due(ignore_backoff=ignore_backoff)
    click.echo(f"Skickade: {sent}, misslyckades (försöks igen senare): {failed}.")
