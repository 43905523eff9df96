"""`flask verify FILE`: is a sealed PDF intact?"""
from pathlib import Path

import click

from ..timeutil import french_datetime
from .seal import verify_pdf

EXIT_INTACT, EXIT_ALTERED, EXIT_MISSING = 0, 1, 2


def init_app(app) -> None:
    app.cli.add_command(verify_command)


@click.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def verify_command(file: Path) -> None:
    """Vérifie le cachet d'un PDF scellé par certif (code 0 : intact, 1 : altéré, 2 : introuvable)."""

    try:
        data = file.read_bytes()
    except OSError:
        click.echo(f"Fichier introuvable ou illisible : {file}", err=True)
        raise SystemExit(EXIT_MISSING) from None
    verdict = verify_pdf(data)
    click.echo(("✓ " if verdict.intact else "✗ ") + verdict.message)
    if verdict.signer:
        click.echo(f"Signataire : {verdict.signer}")
    if verdict.signed_at:
        click.echo(f"Scellé le : {french_datetime(verdict.signed_at)} (heure de Paris)")
    raise SystemExit(EXIT_INTACT if verdict.intact else EXIT_ALTERED)
