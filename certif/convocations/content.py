"""What a convocation says: the candidate's and the juror's PDF, their file names, and
the emails that carry them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app

from ..auth.models import User
from ..candidates.links import candidate_link
from ..documents.pdf import render_pdf
from ..sessions.models import Exam, ExamSession, Jury
from ..sessions.queries import sitting_exams
from ..text import slug
from ..timeutil import french_date, french_time, paris_today, to_paris
from ..web import external_url
from .recipients import juror_first_slot, juror_juries

# When a remote session gives no technical prerequisites of its own.
DEFAULT_TECHNICAL_REQUIREMENTS = (
    "Une connexion internet stable (de préférence filaire ou un Wi-Fi de bonne qualité).",
    "Un ordinateur équipé d'une webcam et d'un microphone en état de marche "
    "(un téléphone ne suffit pas pour présenter vos écrans).",
    "Un navigateur internet récent et à jour (Firefox, Chrome, Edge ou Safari).",
    "Un lieu calme et bien éclairé, où vous serez seul(e) pendant l'épreuve.",
    "Votre pièce d'identité et cette convocation à portée de main : le jury les vérifie "
    "face à la webcam.",
    "Connectez-vous au lien de la session 10 minutes avant l'heure de votre passage.",
)


# What the juror's convocation reminds them of (seed 000, I.C.2 and annexes 2 to 5).
JUROR_REMINDERS = (
    "Avant d'évaluer chaque candidat, déclarez dans certif que vous ne le connaissez ni à titre "
    "personnel ni à titre professionnel ; en cas de conflit d'intérêts, signalez-le : le "
    "responsable d'organisation réaffecte le candidat.",
    "Signez la feuille d'émargement du jury pour chaque épreuve (annexe 2) ; vérifiez l'identité "
    "et la convocation de chaque candidat, qui signe sa feuille d'émargement (annexe 1).",
    "Complétez la grille d'évaluation de chaque candidat (annexe 6), puis délibérez et signez le "
    "procès-verbal (annexe 5).",
    "Remplissez et signez la fiche de validation des conditions d'examen (annexe 4).",
    "Signalez tout incident sur une fiche anomalie (annexe 3).",
)


# --- The documents ------------------------------------------------------------------------

def _details(session: ExamSession) -> dict:
    return session.referential.details or {}


def technical_requirements(session: ExamSession) -> list[str]:
    """The session's prerequisites, one per line, or the default list."""
    lines = [re.sub(r"^[-•*]\s*", "", line).strip()
             for line in (session.technical_requirements or "").splitlines()]
    return [line for line in lines if line] or list(DEFAULT_TECHNICAL_REQUIREMENTS)


def technical_dossier_due(session: ExamSession) -> tuple[int, date] | None:
    """RNCP: (days before, last day) for the technical dossier, when the referential asks."""
    days = (_details(session).get("deliverables") or {}).get("technical_dossier_due_days_before")
    if not isinstance(days, int):
        return None
    return days, to_paris(session.starts_at).date() - timedelta(days=days)


def contact_email() -> str:
    config = current_app.config
    return config.get("ORGANISATION_CONTACT") or config["MAIL_SENDER"]


def notice_url() -> str:
    """The information notice on personal data, which every convocation links to."""
    return external_url("notice.page")


def candidate_context(exam: Exam) -> dict:
    session = exam.jury.session
    referential = session.referential
    facts = _details(session).get("exam") or {}
    extra = max(exam.duration_minutes - referential.exam_minutes, 0)
    return dict(
        exam=exam, candidate=exam.candidate, session=session, referential=referential,
        modality=facts.get("modality"), parts=facts.get("parts") or [],
        to_present=facts.get("to_present") or [],
        base_minutes=referential.exam_minutes, extra_minutes=extra,
        requirements=technical_requirements(session) if session.is_remote else [],
        dossier_due=technical_dossier_due(session),
        link=candidate_link(exam.candidate), contact=contact_email(),
        issued_on=paris_today(), notice_url=notice_url())


def candidate_pdf(exam: Exam) -> bytes:
    return render_pdf("pdf/convocation_candidate.html", **candidate_context(exam))


@dataclass
class JurorJury:
    """One jury the juror sits on, as their convocation shows it."""

    jury: Jury
    president: User | None
    other: User | None
    exams: list[Exam]


def juror_context(session: ExamSession, juror: User) -> dict:
    juries = [JurorJury(jury=j, president=j.president, other=j.other_juror(juror),
                        exams=sitting_exams(j))
              for j in juror_juries(session, juror.id)]
    return dict(session=session, referential=session.referential, juror=juror, juries=juries,
                starts_at=juror_first_slot(session, juror.id), reminders=JUROR_REMINDERS,
                contact=contact_email(), issued_on=paris_today(), notice_url=notice_url())


def juror_pdf(session: ExamSession, juror: User) -> bytes:
    return render_pdf("pdf/convocation_juror.html", **juror_context(session, juror))


def candidate_filename(exam: Exam) -> str:
    c = exam.candidate
    return f"convocation-{slug(exam.jury.session.number)}-{slug(c.last_name + '-' + c.first_name)}.pdf"


def juror_filename(session: ExamSession, juror: User) -> str:
    return f"convocation-jury-{slug(session.number)}-{slug(juror.last_name + '-' + juror.first_name)}.pdf"


# --- The emails ---------------------------------------------------------------------------

def _when(value: datetime) -> str:
    return f"le {french_date(value)} à {french_time(value)} (heure de Paris)"


def candidate_message(exam: Exam) -> tuple[str, str]:
    session, candidate = exam.jury.session, exam.candidate
    ref = session.referential
    organisation = current_app.config["ORGANISATION_NAME"]
    where = []
    if session.is_remote and session.video_link:
        where.append(f"Lien de connexion à l'épreuve : {session.video_link}")
    if session.mode in ("on_site", "both") and session.place:
        where.append(f"Lieu : {session.place}")
    subject = f"Convocation à la certification {ref.code} – {french_date(exam.starts_at)}"
    body = "\n".join([
        f"Bonjour {candidate.first_name} {candidate.last_name},",
        "",
        f"Vous êtes convoqué(e) à l'épreuve de la certification « {ref.registered_title} » ({ref.code}), "
        f"{_when(exam.starts_at)}, pour une durée de {exam.duration_minutes} minutes "
        f"({session.mode_label.lower()}).",
        *([""] + where if where else []),
        "",
        "Votre convocation est jointe à ce message (PDF) : elle précise les modalités de "
        "l'épreuve, ce que vous devez présenter"
        + (" et les prérequis techniques" if session.is_remote else "") + ".",
        "Vous pouvez aussi la consulter à tout moment sur votre page personnelle :",
        candidate_link(candidate),
        "",
        "Munissez-vous d'une pièce d'identité en cours de validité et de cette convocation.",
        "",
        f"Si vous ne pouvez pas vous présenter à cette date, prévenez {organisation} au plus "
        f"vite ({contact_email()}) afin d'être programmé(e) sur une autre session de "
        "certification.",
        "",
        "Cordialement,",
        f"Le responsable d'organisation de la certification – {organisation}",
        "",
        f"Vos données personnelles et vos droits : {notice_url()}",
    ])
    return subject, body


def juror_message(session: ExamSession, juror: User) -> tuple[str, str]:
    organisation = current_app.config["ORGANISATION_NAME"]
    exams = [e for j in juror_juries(session, juror.id) for e in sitting_exams(j)]
    subject = f"Convocation du jury – session n° {session.number} du {french_date(session.starts_at)}"
    body = "\n".join([
        f"Bonjour {juror.first_name} {juror.last_name},",
        "",
        f"Nous vous convoquons en qualité de membre du jury de la session de certification "
        f"n° {session.number} ({session.referential.code}), {_when(juror_first_slot(session, juror.id))}"
        f" ({session.mode_label.lower()}).",
        f"Vous évaluerez {len(exams)} candidat{'s' if len(exams) > 1 else ''}.",
        *([f"Lien de la session : {session.video_link}"] if session.is_remote and session.video_link else []),
        *([f"Lieu : {session.place}"] if session.mode in ("on_site", "both") and session.place else []),
        "",
        "Votre convocation, jointe à ce message (PDF), donne vos horaires, vos candidats et la "
        "composition de votre jury. Vous la retrouverez aussi dans certif.",
        "",
        "Avant d'évaluer chaque candidat, vous déclarerez ne pas le connaître à titre personnel "
        "ou professionnel.",
        "",
        "Cordialement,",
        f"Le responsable d'organisation de la certification – {organisation}",
        "",
        f"Vos données personnelles et vos droits : {notice_url()}",
    ])
    return subject, body
