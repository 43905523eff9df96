"""`flask backup [--to DIR] [--keep N]` and `flask restore ARCHIVE [--force]`."""
from pathlib import Path

import click
from flask import current_app

from . import BackupError
from .archive import create_backup
from .restore import restore_backup


def init_app(app) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("backup")
@click.option("--to", "to", type=click.Path(file_okay=False, path_type=Path),
              help="Dossier de l'archive (par défaut CERTIF_BACKUP_DIR, sinon backups/ à côté des fichiers).")
@click.option("--keep", type=click.IntRange(min=1),
              help="Ne garder que les N archives les plus récentes de ce dossier.")
def backup_command(to, keep):
    """Sauvegarde la base, les fichiers et le cachet dans une archive ; affiche son chemin."""

    try:
        result = create_backup(current_app._get_current_object(), to=to, keep=keep)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    for warning in result.warnings:
        click.echo(f"Attention : {warning}", err=True)
    for path in result.deleted:
        click.echo(f"Ancienne archive supprimée : {path}", err=True)
    click.echo(str(result.path))  # alone on stdout: ARCHIVE=$(flask backup)


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Restaurer même si l'instance contient déjà des données.")
def restore_command(archive, force):
    """Restaure une archive de `flask backup` dans une instance vide (certif arrêté)."""

    try:
        result = restore_backup(current_app._get_current_object(), archive, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    manifest = result.manifest
    tables = manifest["database"]["tables"]
    files = sum(1 for name in manifest["members"] if name.startswith("files/"))
    click.echo(f"Sauvegarde du {manifest['created_at']} restaurée : base {manifest['database']['kind']} "
               f"({sum(tables.values())} lignes dans {len(tables)} tables, dont {tables.get('users', 0)} "
               f"comptes), {files} fichier(s).")
    for note in result.notes:
        click.echo(note)
