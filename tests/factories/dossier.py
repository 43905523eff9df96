"""The candidate's file (issue 14): an RNCP sitting that asks for one, and pieces handed in."""
import re
from datetime import datetime, time, timedelta

from certif.candidates.dossier.models import CandidateFile, FileEntry
from certif.candidates.dossier.storage import write
from certif.candidates.links import make_token
from certif.extensions import db
from certif.timeutil import paris_to_utc, paris_today

from .files import plain_pdf
from .sessions import upcoming_exam

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SUMMARY_WORDS = 220


def summary(words: int = SUMMARY_WORDS) -> str:
    return " ".join(f"mot{i}" for i in range(words))


def rncp_exam(days: int = 20, pathway: str = "training", email: str | None = "manon@test.fr"):
    """An RNCP-CM sitting `days` from today (a jury of two habilitated jurors)."""
    setup = upcoming_exam(days=days, code="RNCP-CM")
    setup.exam.candidate.pathway = pathway
    setup.exam.candidate.email = email
    db.session.commit()
    return setup


def file_url(exam) -> str:
    return f"/c/{make_token(exam.candidate)}/dossier/{exam.id}"


def make_candidate_file(exam, **fields) -> CandidateFile:
    row = CandidateFile(candidate_id=exam.candidate_id,
                        certification=exam.jury.session.referential.code, plan_checked=[], **fields)
    db.session.add(row)
    db.session.commit()
    return row


def make_file_entry(file: CandidateFile, piece: str, value=None, *, pdf: bool = False, minutes=None,
                    days_ago: int = 0) -> FileEntry:
    """One current version of a piece (a PDF written to the uploads when `pdf`)."""
    for old in file.entries:
        if old.piece == piece and old.replaced_at is None:
            old.replaced_at = datetime.now()
    data = plain_pdf(f"Pièce {piece}") if pdf else None
    entry = FileEntry(file=file, piece=piece, value=value, minutes=minutes,
                      stored_name=write(data) if pdf else None, filename=f"{piece}.pdf" if pdf else None,
                      size=len(data) if pdf else None, sha256="0" * 64 if pdf else None,
                      submitted_at=paris_to_utc(paris_today() - timedelta(days=days_ago), time(10, 0)))
    db.session.add(entry)
    db.session.commit()
    return entry


def complete_file(exam, *, confidential: bool = False) -> CandidateFile:
    """Every piece of a training candidate's file, on time."""
    file = make_candidate_file(exam)
    for key in ("technical_dossier", "company_letter", "cv", "internship_assessment",
                "training_attestation") + (("confidentiality_letter",) if confidential else ()):
        make_file_entry(file, key, pdf=True)
    make_file_entry(file, "summary", summary())
    make_file_entry(file, "realisation_url", "https://blog.test/projet")
    make_file_entry(file, "video", "https://video.test/v", minutes=4)
    make_file_entry(file, "company_brief", "yes")
    make_file_entry(file, "confidential", "yes" if confidential else "no")
    make_file_entry(file, "internship_planned", "yes")
    return file
