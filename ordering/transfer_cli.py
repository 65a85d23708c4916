"""`flask export FILE` and `flask import FILE` (see ordering/transfer.py)."""
import json

import click

from .transfer import TransferError, export_data, import_data


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_command(path):
    """Exportera katalog-oberoende data (organisationer, system, systeminstanser, användare, FAQ, beställningar)."""
    with open(path, "w", encoding="utf-8") as out:
        counts = export_data(out)
    click.echo(f"Exporterat till {path}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path):
    """Importera en export från `flask export` till en nyinstallerad databas."""
    try:
        with open(path, encoding="utf-8") as source:
            document = json.load(source)
        counts = import_data(document)
    except (TransferError, ValueError) as error:
        raise click.ClickException(f"{error} Databasen är oförändrad.") from error
    click.echo("Importerat: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
