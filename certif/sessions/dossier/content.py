"""The receipt the candidate gets by email for each piece of their file handed in."""
from __future__ import annotations

from ...candidates.dossier import rules
from ...candidates.dossier.models import FileEntry
from ...referentials.deliverables import Piece
from ...timeutil import french_date, french_datetime


def describe(piece: Piece, entry: FileEntry) -> str:
    """The piece as the receipt and the pages name what was handed in."""
    if piece.kind == "pdf":
        return f"fichier « {entry.filename} »"
    if piece.kind == "yesno":
        return f"réponse : {rules.ANSWERS.get(entry.value, entry.value)}"
    if piece.kind == "video":
        return f"{entry.value} ({entry.minutes} min déclarées)"
    if piece.kind == "text":
        return f"{rules.word_count(entry.value)} mots"
    return entry.value or ""


def receipt(candidate, session, piece: Piece, entry: FileEntry, replaced: bool, last_day,
            link: str) -> tuple[str, str]:
    subject = f"Accusé de réception : {piece.label} (session n° {session.number})"
    body = "\n".join([
        f"Bonjour {candidate.full_name},",
        "",
        f"Nous avons bien reçu, le {french_datetime(entry.submitted_at)}, la pièce suivante de votre "
        f"dossier pour la certification « {session.referential.registered_title} » "
        f"(session n° {session.number}) :",
        "",
        f"- {piece.label} ({piece.dossier_label}) : {describe(piece, entry)}"
        + (f", empreinte SHA-256 {entry.sha256}" if entry.sha256 else ""),
        "",
        ("Elle remplace la version déposée auparavant, qui reste conservée dans l'historique de "
         "votre dossier." if replaced else "C'est la première version de cette pièce."),
        f"Date limite de dépôt du dossier : {french_date(last_day)}.",
        "",
        f"Votre dossier, ce qu'il reste à déposer et l'historique : {link}",
        "",
        "Ce message est un accusé de réception automatique.",
    ])
    return subject, body
