"""Command-line: `flask setup` (what `make run` calls), referential import, demo data."""
import click
from flask import Flask
from flask_migrate import upgrade

from .extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("setup")
    @click.option("--demo/--no-demo", default=True, help="Charger les données de démonstration si la base est vide.")
    def setup(demo: bool):
        """Migrate the database, import referentials, load demo data on first start."""
        upgrade()
        _import_referentials()
        if demo:
            from .demo import load_demo, print_logins
            if load_demo():
                click.echo("Données de démonstration chargées.")
            print_logins()

    @app.cli.group("referentials")
    def referentials():
        """Referentials (certifications)."""

    @referentials.command("import")
    def import_command():
        """Import every referential file not yet in the database."""
        _import_referentials()

    @app.cli.command("demo")
    def demo_command():
        """Load demo data into an empty database and print the logins."""
        from .demo import load_demo, print_logins
        if not load_demo():
            click.echo("La base contient déjà des utilisateurs : rien chargé.")
        print_logins()


def _import_referentials() -> None:
    from .referentials.loader import ReferentialError
    from .referentials.services import import_all
    try:
        imported = import_all()
    except ReferentialError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    for ref in imported:
        click.echo(f"Référentiel importé : {ref.code} version {ref.version}")
