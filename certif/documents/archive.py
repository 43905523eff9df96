"""A candidate's archive: every document of each sitting, and the evidence of its signatures, in one ZIP.

One folder per sitting (attempt and session). What does not exist yet (a certificate not
produced, minutes not signed) is left out and named as missing in LISEZMOI.txt, which also
lists every file with its SHA-256.

The archive goes to one candidate: nothing in it names another candidate. The jury's
attendance sheet (annex 2) is reduced to this candidate's row; the general minutes' signed
content (every candidate of the session) is withheld from the evidence, its SHA-256 kept.
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

from ..candidates.models import Candidate
from ..certificates.queries import certificate_file
from ..convocations import content as convocations
from ..database import get_row
from ..errors import NotFound, ServiceError
from ..examday import pages as examday
from ..examday import pdfs
from ..examday.conditions.pdf import conditions_pdf, pdf_filename
from ..examday.conditions.queries import sheets_for_jury
from ..extensions import db
from ..minutes.documents import exam_documents
from ..minutes.queries import minutes_of
from ..people import of
from ..sessions.models import Exam
from ..signatures.models import CANDIDATE_ATTENDANCE, CONDITIONS, JURY_ATTENDANCE, MINUTES
from ..signatures.services import evidence_of, signatures_of
from ..text import slug
from ..timeutil import french_date, french_timestamp, to_paris, utcnow
from .pdf import render_pdf, sha256

MSG_NO_CANDIDATE = "Ce candidat n'existe pas."
EVIDENCE_NAME = "preuves-signatures.json"
README_NAME = "LISEZMOI.txt"
ANNEX2_LABEL = "Feuille d'émargement du jury (annexe 2, extrait : la ligne du candidat)"
MSG_NOT_ON_JURY_SHEET = ("le candidat ne figure pas sur la feuille du jury (absent, épreuve "
                         "déplacée ou jury arrêté)")
MINUTES_CONTENT_WITHHELD = (
    "Contenu non reproduit : le procès-verbal général de la session nomme tous ses candidats. "
    "Il est conservé par l'organisme ; son empreinte SHA-256 (content_sha256) permet de "
    "vérifier qu'il n'a pas changé. Le procès-verbal individuel du candidat est dans ce dossier.")


@dataclass
class Folder:
    name: str
    title: str
    files: list[tuple[str, bytes]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def candidate_exams(candidate_id: int) -> tuple[Candidate, list[Exam]]:
    candidate = get_row(Candidate, candidate_id, MSG_NO_CANDIDATE)
    exams = list(db.session.scalars(
        db.select(Exam).where(Exam.candidate_id == candidate_id).order_by(Exam.starts_at, Exam.id)))
    return candidate, exams


def archive_filename(candidate: Candidate) -> str:
    return f"dossier-{slug(candidate.last_name + '-' + candidate.first_name)}.zip"


def candidate_archive(candidate_id: int) -> tuple[str, bytes]:
    """(filename, ZIP bytes) of everything certif holds about the candidate's sittings."""
    candidate, exams = candidate_exams(candidate_id)
    folders = [exam_folder(exam, position) for position, exam in enumerate(exams, start=1)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder in folders:
            for name, data in folder.files:
                archive.writestr(f"{folder.name}/{name}", data)
        archive.writestr(README_NAME, readme(candidate, folders).encode("utf-8"))
    return archive_filename(candidate), out.getvalue()


def exam_folder(exam: Exam, position: int) -> Folder:
    session = exam.jury.session
    folder = Folder(
        name=f"{position:02d}-tentative-{exam.attempt}-session-{slug(session.number)}",
        title=(f"Tentative n° {exam.attempt}, session n° {session.number} "
               f"({french_date(exam.starts_at)})"))
    _add(folder, "Convocation", lambda: [_convocation(exam)])
    _add(folder, "Feuille d'émargement du candidat (annexe 1)", lambda: [_annex1(exam)])
    _add(folder, ANNEX2_LABEL, lambda: [_annex2(exam)])
    _add(folder, "Fiche des conditions de déroulement de l'épreuve (annexe 4)",
         lambda: _conditions_sheets(exam))
    _add(folder, "Procès-verbal individuel et grille d'évaluation", lambda: _minutes_documents(exam))
    _add(folder, "Certificat", lambda: [_certificate(exam)])
    folder.files.append((EVIDENCE_NAME, evidence_json(exam)))
    return folder


def _add(folder: Folder, label: str, build) -> None:
    """Add the documents `build` returns; a piece that does not exist yet is listed as missing."""
    try:
        documents = [d for d in build() if d is not None]
    except ServiceError as exc:  # e.g. 404 "not produced yet" from another domain
        folder.missing.append(f"{label} : {exc.message}")
        return
    if not documents:
        folder.missing.append(f"{label} : pas encore disponible")
    folder.files.extend(documents)


def _convocation(exam: Exam) -> tuple[str, bytes]:
    return convocations.candidate_filename(exam), convocations.candidate_pdf(exam)


def _annex1(exam: Exam) -> tuple[str, bytes]:
    return (pdfs.filename("candidat", exam.jury.session.number, exam.candidate.last_name),
            pdfs.candidate_attendance_pdf([exam]))


def _annex2(exam: Exam) -> tuple[str, bytes]:
    """Annex 2 with this candidate's row only: the jury's full sheet names the others.

    Same template and context as `examday.pdfs.jury_attendance_pdf`, fed the rows of
    `examday.pages.attendance_rows([exam])`."""
    if not exam.sits:  # the jury's attendance sheet lists only the candidates who sit
        raise NotFound(MSG_NOT_ON_JURY_SHEET)
    jury = exam.jury
    seats = {m.seat: m.juror for m in jury.members}
    data = render_pdf("pdf/attendance_jury.html", jury=jury, session=jury.session,
                      rows=examday.attendance_rows([exam]), juror1=seats.get(1),
                      juror2=seats.get(2), days=[to_paris(exam.starts_at).date()])
    return pdfs.filename("jury", jury.session.number, exam.candidate.last_name), data


def _sheets_of_the_day(exam: Exam) -> list:
    """The jury's conditions sheets of the day of this sitting (not the jury's other days)."""
    day = to_paris(exam.starts_at).date()
    return [sheet for sheet in sheets_for_jury(exam.jury_id) if sheet.day == day]


def _conditions_sheets(exam: Exam) -> list[tuple[str, bytes]]:
    return [(pdf_filename(sheet), conditions_pdf(sheet)) for sheet in _sheets_of_the_day(exam)]


def _minutes_documents(exam: Exam) -> list[tuple[str, bytes]]:
    return exam_documents(exam)


def _certificate(exam: Exam) -> tuple[str, bytes] | None:
    return certificate_file(exam)


def exam_signatures(exam: Exam) -> list:
    """Every signature about this sitting: its two attendance sheets, its session's minutes,
    and its jury's conditions sheet of that day."""
    found = []
    for document in (CANDIDATE_ATTENDANCE, JURY_ATTENDANCE):
        found += signatures_of(document, [exam.id]).get(exam.id, [])
    minutes = minutes_of(exam.jury.session_id)
    if minutes is not None:
        found += signatures_of(MINUTES, [minutes.id]).get(minutes.id, [])
    sheet_ids = [sheet.id for sheet in _sheets_of_the_day(exam)]
    for signatures in signatures_of(CONDITIONS, sheet_ids).values():
        found += signatures
    return found


def evidence_json(exam: Exam) -> bytes:
    session = exam.jury.session
    payload = {
        "candidate": {"id": exam.candidate_id, "name": exam.candidate.full_name},
        "exam": {"id": exam.id, "attempt": exam.attempt, "session_number": session.number,
                 "starts_at_utc": exam.starts_at.isoformat(timespec="seconds") + "Z"},
        "generated_at_utc": utcnow().isoformat(timespec="seconds") + "Z",
        "signatures": [_for_this_candidate(item) for item in evidence_of(exam_signatures(exam))],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def _for_this_candidate(item: dict) -> dict:
    """The evidence of one signature, without a content that names other candidates."""
    if item["document"] != MINUTES:
        return item
    return {**item, "content": None, "content_withheld": MINUTES_CONTENT_WITHHELD}


def readme(candidate: Candidate, folders: list[Folder]) -> str:
    lines = [
        f"Dossier de certification {of(candidate.full_name)}",
        f"Produit par certif le {french_timestamp(utcnow())} (heure de Paris).",
        "",
        "Chaque dossier correspond à un passage (tentative et session). Les procès-verbaux, grilles",
        "et certificats scellés portent le cachet électronique de l'organisme : leur intégrité se",
        "vérifie sur la page « Vérifier un document » de certif ou avec la commande `flask verify`.",
        f"{EVIDENCE_NAME} contient les preuves de chaque signature (contenu signé et son",
        "empreinte SHA-256, date, adresse IP, mode d'authentification). Le contenu signé du",
        "procès-verbal général n'y est pas reproduit (il nomme les autres candidats) : seule son",
        "empreinte l'est.",
        "La feuille d'émargement du jury (annexe 2) est un extrait : la ligne du candidat seule.",
        "",
    ]
    if not folders:
        lines.append("Aucun passage d'examen pour ce candidat.")
    for folder in folders:
        lines += [f"{folder.name}/ — {folder.title}", "  Fichiers (empreinte SHA-256) :"]
        lines += [f"    {name}  {sha256(data)}" for name, data in folder.files]
        if folder.missing:
            lines.append("  Pièces absentes :")
            lines += [f"    - {item}" for item in folder.missing]
        lines.append("")
    return "\n".join(lines)
