"""Command-line: `flask setup` (`make run` calls it with --demo), referential import, demo data,
and the accounts' commands (`flask users …`, certif/auth/cli.py)."""
import click
from flask import Flask
from flask_migrate import upgrade

from .auth import cli as users_cli
from .auth.models import User
from .backup import cli as backup_cli
from .cdc import cli as cdc_cli
from .demo import load_demo, print_logins
from .extensions import db
from .referentials.loader import ReferentialError
from .referentials.services import import_all


def init_app(app: Flask) -> None:
    @app.cli.command("setup")
    @click.option("--demo", is_flag=True, default=False,
                  help="Charger aussi les données de démonstration (base vide seulement).")
    def setup(demo: bool):
        """Migrate the database and import referentials; demo data only with --demo."""
        upgrade()
        _import_referentials()
        if demo:
            if load_demo():
                click.echo("Données de démonstration chargées.")
            else:
                click.echo("La base contient déjà des utilisateurs : données de démonstration "
                           "non chargées.")
            print_logins()
        elif _no_account_yet():
            # Production's first start: the first organiser comes from the command line.
            click.echo("Aucun compte pour l'instant. Créez le premier responsable d'organisation :")
            click.echo("  flask users create EMAIL --first-name PRÉNOM --last-name NOM "
                       "--role organiser")

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
        if not load_demo():
            click.echo("La base contient déjà des utilisateurs : rien chargé.")
        print_logins()

    users_cli.init_app(app)
    backup_cli.init_app(app)
    cdc_cli.init_app(app)


def _no_account_yet() -> bool:
    return db.session.scalar(db.select(User.id).limit(1)) is None


def _import_referentials() -> None:
    try:
        imported = import_all()
    except ReferentialError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    for ref in imported:
        click.echo(f"Référentiel importé : {ref.code} version {ref.version}")
