"""What is signed on the exam day (the lines of annexes 1 and 2, as their fingerprints
cover them) and the email that gives a remote candidate their signing link."""
from __future__ import annotations

from flask import current_app

from ..auth.models import User
from ..sessions.models import Exam
from ..timeutil import to_paris
from ..web import external_url
from . import rules
from .queries import exam_day

DOC_JURY = "annexe 2 — feuille d'émargement du jury"
DOC_CANDIDATE = "annexe 1 — feuille d'émargement du candidat"


def _common_content(exam: Exam) -> dict:
    session = exam.jury.session
    return {"certification": session.referential.document_title, "session": session.number,
            "date": exam_day(exam).isoformat(), "candidate": exam.candidate.full_name,
            "exam_id": exam.id}


def jury_content(exam: Exam, juror: User, seat: int) -> dict:
    return {"document": DOC_JURY, **_common_content(exam), "juror": juror.full_name, "seat": seat}


def candidate_content(exam: Exam) -> dict:
    return {"document": DOC_CANDIDATE, **_common_content(exam),
            "time": to_paris(exam.starts_at).strftime("%H:%M")}


def link_message(exam: Exam, url: str, code: str, minutes: int) -> tuple[str, str]:
    session = exam.jury.session
    organisation = current_app.config["ORGANISATION_NAME"]
    subject = f"Émargement – certification {session.referential.code} – session n° {session.number}"
    body = "\n".join([
        f"Bonjour {exam.candidate.first_name} {exam.candidate.last_name},",
        "",
        "Le jury vous invite à signer votre feuille d'émargement pour l'épreuve de la "
        f"certification « {session.referential.registered_title} » (session n° {session.number}).",
        "",
        "Ouvrez ce lien personnel, valable une seule fois pendant "
        f"{minutes} minutes :",
        url,
        "",
        f"Ou saisissez le code {rules.format_code(code)} à l'adresse "
        f"{external_url('examday.code_form')}",
        "",
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
        "",
        f"{organisation}",
    ])
    return subject, body
