"""`flask outbox send`: deliver what is due (for cron, and after an SMTP outage)."""
import click

from .outbox import deliver_due, smtp_configured


@click.group("outbox")
def outbox_cli():
    """Utkorgen: e-post som väntar på att skickas."""


@outbox_cli.command("send")
def send_command():
    """Skicka e-post som står på tur."""
    if not smtp_configured():
        raise click.ClickException("Ingen SMTP-server är konfigurerad (MAIL_SERVER); e-posten ligger kvar i utkorgen.")
    sent, failed = deliver_due()
    click.echo(f"Skickade: {sent}, misslyckades (försöks igen senare): {failed}.")
