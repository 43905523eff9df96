"""`flask users create` and `flask users link`: the first organiser, from the command line.

No password ever goes through the command line (shell history, process list, logs): the
account is created without one and the command prints a single-use link to choose it.
"""
from __future__ import annotations

import click
from flask import Flask, current_app

from ..errors import ServiceError
from . import accounts, invitations, tokens
from .models import ROLES
from .services import find_user


def init_app(app: Flask) -> None:
    @app.cli.group("users")
    def users():
        """Comptes : créer un compte, obtenir un lien pour choisir le mot de passe."""

    @users.command("create")
    @click.argument("email")
    @click.option("--first-name", default="", help="Prénom.")
    @click.option("--last-name", default="", help="Nom.")
    @click.option("--role", "roles", multiple=True, metavar="RÔLE",
                  help=f"Rôle ({', '.join(ROLES)}) ; répétable, au moins un.")
    def create(email: str, first_name: str, last_name: str, roles: tuple[str, ...]):
        """Créer un compte sans mot de passe et afficher le lien pour le choisir (24 heures)."""
        problems = accounts.account_problems(email, first_name, last_name, roles)
        if problems:
            raise click.ClickException(_explain(problems))
        try:
            user = accounts.create_account(None, email, first_name, last_name, roles)
            link = invitations.setup_link(user)
        except ServiceError as exc:
            raise click.ClickException(exc.message) from None
        labels = ", ".join(accounts.role_labels(user.roles))
        click.echo(f"Compte créé : {user.full_name} <{user.email}> ({labels}).")
        _print_link(link)

    @users.command("link")
    @click.argument("email")
    def link(email: str):
        """Afficher un nouveau lien pour choisir le mot de passe (les liens précédents cessent
        de fonctionner) ; pour un compte qui a déjà un mot de passe, il sert de réinitialisation."""
        user = find_user(email)
        if user is None:
            raise click.ClickException(f"Aucun compte n'a l'adresse {email.strip()}.")
        try:
            url = invitations.setup_link(user)
        except ServiceError as exc:
            raise click.ClickException(exc.message) from None
        if user.has_password:
            click.echo("Ce compte a déjà un mot de passe : il reste valable jusqu'à ce que "
                       "le lien serve.")
        _print_link(url)


_OPTIONS = {"email": "EMAIL", "first_name": "--first-name", "last_name": "--last-name",
            "roles": "--role"}


def _explain(problems: dict[str, str]) -> str:
    if problems.get("roles") == accounts.MSG_NO_ROLE:
        problems = {**problems, "roles": f"Indiquez au moins un rôle ({', '.join(ROLES)} ; "
                                         "répétez --role pour en donner plusieurs)."}
    lines = [f"{_OPTIONS[field]} : {message}" for field, message in problems.items()]
    return "\n".join(["Compte non créé."] + lines)


def _print_link(link: str) -> None:
    click.echo(f"Lien pour choisir le mot de passe (valable {invitations.hours(tokens.SETUP)} "
               "heures, une seule fois) :")
    click.echo(link)
    if not current_app.config.get("BASE_URL"):
        click.echo("(CERTIF_BASE_URL n'est pas défini : le lien suppose que certif répond sur "
                   "http://127.0.0.1:5000.)")
