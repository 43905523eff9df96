"""Demo files of the RNCP session 2026-CM-01 (`flask setup --demo`): Manon Faure's file complete
and on time, the company of her project asking for confidentiality; Yanis Mercier's late and
incomplete. The PDFs are small placeholders drawn here."""
from __future__ import annotations

import hashlib
import io
from datetime import time, timedelta

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ...candidates.dossier import storage
from ...candidates.dossier.models import CandidateFile, FileEntry
from ...database import write_transaction
from ...extensions import db
from ...timeutil import paris_to_utc, paris_today
from ..models import Exam, ExamSession, Jury
from .queries import due_of

SUMMARY = (
    "Pour la boulangerie artisanale Au Pain Doré, installée à Lyon, j'ai conçu et mis en œuvre la "
    "stratégie de communication sur les réseaux sociaux à partir du brief remis par la gérante. "
    "Le diagnostic initial a montré une présence en ligne faible : une page Facebook peu animée, "
    "aucun compte Instagram et des avis clients sans réponse. Après un benchmark de cinq "
    "boulangeries concurrentes, j'ai défini trois objectifs : faire connaître les produits de "
    "saison, fidéliser la clientèle du quartier et améliorer la note moyenne des avis. Le plan "
    "de communication retient Instagram et Facebook, avec une charte éditoriale fondée sur les "
    "coulisses du fournil, les portraits de l'équipe et les recettes. J'ai créé un blog sous "
    "WordPress, optimisé pour le référencement naturel local, et un planning de publication sur "
    "huit semaines. Une vidéo de quatre minutes présente la fabrication du pain au levain. J'ai "
    "mis en place une veille des mentions de la marque et un tableau de bord des indicateurs de "
    "performance : portée, engagement, trafic vers le blog et note des avis. Une procédure de "
    "gestion de crise prévoit les réponses aux commentaires négatifs. Après deux mois, "
    "l'engagement a doublé, le blog reçoit quatre cents visites par mois et la note des avis est "
    "passée de 3,9 à 4,5. Je préconise de lancer une newsletter mensuelle, de tester des "
    "publications sponsorisées ciblées autour de la boutique et de nouer un partenariat avec deux "
    "créateurs de contenu culinaires de la région pour toucher une cible plus jeune."
)


def placeholder_pdf(title: str, candidate: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 16)
    page.drawString(60, 770, title)
    page.setFont("Helvetica", 11)
    page.drawString(60, 745, f"Candidat : {candidate}")
    page.drawString(60, 725, "Document de démonstration (certif).")
    page.showPage()
    page.save()
    return out.getvalue()


def _entry(file: CandidateFile, piece: str, day, value=None, *, pdf: str | None = None, minutes=None):
    at = paris_to_utc(day, time(18, 0))
    if pdf is None:
        return FileEntry(file=file, piece=piece, value=value, minutes=minutes, submitted_at=at)
    data = placeholder_pdf(pdf, file.candidate.full_name)
    return FileEntry(file=file, piece=piece, submitted_at=at, stored_name=storage.write(data),
                     filename=f"{piece}.pdf", size=len(data), sha256=hashlib.sha256(data).hexdigest())


def load(number: str = "2026-CM-01") -> None:
    session = db.session.scalar(db.select(ExamSession).filter_by(number=number))
    if session is None or due_of(session) is None:
        return
    due = due_of(session)
    exams = {e.candidate.last_name: e for e in db.session.scalars(
        db.select(Exam).join(Jury).where(Jury.session_id == session.id))}
    code = session.referential.code
    with write_transaction():
        manon, yanis = exams.get("Faure"), exams.get("Mercier")
        if manon is not None:
            file = CandidateFile(candidate=manon.candidate, certification=code, plan_checked=[1, 2, 3, 4])
            on_time = due - timedelta(days=3)
            db.session.add_all([
                _entry(file, "technical_dossier", on_time - timedelta(days=5),
                       pdf="Dossier technique (première version)"),
                _entry(file, "technical_dossier", on_time, pdf="Dossier technique de projet"),
                _entry(file, "summary", on_time, SUMMARY),
                _entry(file, "realisation_url", on_time, "https://blog.au-pain-dore.example.org"),
                _entry(file, "video", on_time, "https://video.example.org/au-pain-dore", minutes=4),
                _entry(file, "company_brief", on_time, "yes"),
                _entry(file, "company_letter", on_time, pdf="Courrier de l'entreprise Au Pain Doré"),
                _entry(file, "confidential", on_time, "yes"),
                _entry(file, "confidentiality_letter", on_time,
                       pdf="Courrier de confidentialité Au Pain Doré"),
                _entry(file, "cv", on_time, pdf="CV de Manon Faure"),
                _entry(file, "internship_planned", on_time, "no"),
                _entry(file, "training_attestation", on_time, pdf="Attestation de formation"),
            ])
            first = [e for e in file.entries if e.piece == "technical_dossier"][0]
            first.replaced_at = paris_to_utc(on_time, time(18, 0))
        if yanis is not None:
            file = CandidateFile(candidate=yanis.candidate, certification=code, plan_checked=[])
            late = paris_today()
            db.session.add_all([
                _entry(file, "cv", due - timedelta(days=1), pdf="CV de Yanis Mercier"),
                _entry(file, "technical_dossier", late, pdf="Dossier technique de projet"),
                _entry(file, "company_brief", late, "no"),
                _entry(file, "internship_planned", late, "yes"),
            ])
