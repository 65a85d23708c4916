"""`flask tak import` and `flask tak domains`."""
import click
from flask.cli import AppGroup

from models.catalog import environment_named

from .domains import load_domain_names
from .export import TakExportError, read_export
from .importer import environment_imported, import_export

tak_cli = AppGroup("tak", help="Läs in exporter från TAK.")


@tak_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--environment", "-e", required=True, help='Miljö, t.ex. "NTJP TEST".')
@click.option("--create-environment", is_flag=True, help="Skapa miljön om den inte finns (annars ett fel).")
def import_command(path, environment, create_environment):
    """Importera en TAK-export (takdump-JSON eller PubVersion, ev. gzip) till en miljö."""
    try:
        report = import_export(read_export(path), environment, create_environment=create_environment)
    except (TakExportError, ValueError) as error:
        raise click.ClickException(f"{error} Databasen är oförändrad.") from error
    for line in report.lines():
        click.echo(line)
    found = environment_named(environment)
    # Whoever cares (the orders: are the done ones in TAK now?) answers with a line to print.
    for _receiver, line in environment_imported.send(found):
        if line:
            click.echo(line)


@tak_cli.command("dump")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--environment", "-e", required=True, help='Miljö, t.ex. "NTJP PROD".')
def dump_command(path, environment):
    """Skriv en miljös katalog som en TAK-export (takdump-JSON), samma format som import läser."""
    from .dump import write_takdump

    found = environment_named(environment)
    if found is None:
        raise click.ClickException(f"Miljön '{environment}' finns inte.")
    with open(path, "w", encoding="utf-8") as out:
        counts = write_takdump(found, out)
    click.echo(f"{found.display} skriven till {path}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@tak_cli.command("domains")
@click.argument("source")
def domains_command(source):
    """Läs svenska namn på tjänstedomäner från RIV-TA:s domains.xml eller domäninformationen (DOMDB:s
    servicedomains.json, som fil eller https-adress)."""
    try:
        created, updated = load_domain_names(source)
    except TakExportError as error:
        raise click.ClickException(f"{error} Databasen är oförändrad.") from error
    click.echo(f"Tjänstedomäner: {created} nya, {updated} fick svenskt namn.")


@tak_cli.command("sync")
@click.option("--environment", "-e", default=None, help='Bara en miljö, t.ex. "NTJP TEST" (annars alla i TAK_SYNC_ENVIRONMENTS).')
@click.option("--max-borttag", "max_removed", type=click.FloatRange(0, 1), default=None,
              help="Största andel av miljöns giltiga rader en körning får avsluta (standard TAK_SYNC_MAX_REMOVED, 0.2).")
def sync_command(environment, max_removed):
    """Synka miljöernas katalog från TAK-API (allt eller inget per miljö)."""
    from flask import current_app

    from .sync import SyncError, sync_all
    from .tak_api import RESOURCES

    progress = _ResourceProgress(len(RESOURCES))
    try:
        outcomes = sync_all(current_app.config, only=environment, max_removed_share=max_removed, progress=progress)
    except SyncError as error:
        raise click.ClickException(str(error)) from error
    finally:
        progress.finish()
    for outcome in outcomes:
        click.echo(outcome.line)
        if outcome.read:
            click.echo("  Lästa rader: " + ", ".join(f"{resource} {rows}" for resource, rows in outcome.read.items()))
        for line in outcome.changes + outcome.follow_ups:
            click.echo(f"  {line}")
    if any(outcome.status == "misslyckad" for outcome in outcomes):
        raise click.ClickException("Minst en miljö kunde inte synkas; dess katalog är oförändrad.")


class _ResourceProgress:
    """click's progress bar over the resources each environment's snapshot reads (one bar per
    environment; the first resource, connectionPoints, starts it)."""

    def __init__(self, length):
        self.length, self.bar = length, None

    def __call__(self, resource, rows):
        if resource == "connectionPoints":
            self.finish()
            self.bar = click.progressbar(length=self.length, label="Läser TAK-API", item_show_func=lambda item: item)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(1, f"{resource}: {rows} rader")

    def finish(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
