"""`flask cdc export --out FILE`: the « Générer le fichier » of the Déclarations CDC page from
the command line (every line ready, validated against the CDC's schema, audited)."""
from pathlib import Path

import click
from flask.cli import AppGroup

from ..errors import ServiceError
from . import operations

cdc_group = AppGroup("cdc", help="Déclarations des titulaires à la Caisse des Dépôts.")


def init_app(app) -> None:
    app.cli.add_command(cdc_group)


@cdc_group.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Fichier XML à écrire (il contient des données personnelles).")
def export_command(out: Path):
    """Produit le fichier XML des lignes prêtes à déclarer et l'écrit dans FILE."""
    try:
        cdc_file = operations.generate_file(None)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    out.write_text(cdc_file.xml, encoding="utf-8")
    out.chmod(0o600)  # the holders' personal data
    n = cdc_file.line_count
    click.echo(f"Fichier n° {cdc_file.number} ({n} passage{'s' if n > 1 else ''}) écrit dans {out}.")
