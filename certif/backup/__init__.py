"""Backups: `flask backup` writes one archive (database snapshot, files folder, seal, manifest of
SHA-256 sums); `flask restore` checks an archive and restores it into an empty instance.

Foundation level: it knows the configuration, the database and the files folder, never an exam
domain (tables are counted by name, from the database's own catalogue).
"""


class BackupError(RuntimeError):
    """A backup or a restore cannot go on; the message is French, for the operator."""
