"""Read-only lookups of the declarations to the Caisse des Dépôts: every certificate with its
declaration, the data each line carries, what holds a line back, the files generated."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import joinedload

from ..candidates import holder
from ..certificates import rules as certificate_rules
from ..certificates.content import award_day
from ..certificates.models import Certificate
from ..database import get_row
from ..extensions import db
from ..referentials.models import Referential
from ..sessions.models import Exam, ExamSession, Jury
from ..timeutil import paris_day
from .models import CdcDeclaration, CdcFile
from .rules import config_problems

MSG_NO_FILE = "Fichier de déclaration introuvable."
MSG_NO_LINE = "Ligne de déclaration introuvable."


@dataclass(frozen=True)
class Settings:
    id_client: str | None
    id_contrat: str | None
    deadline_months: int

    @property
    def problems(self) -> list[str]:
        return config_problems(self.id_client, self.id_contrat)


def settings() -> Settings:
    config = current_app.config
    return Settings(config.get("CDC_ID_CLIENT"), config.get("CDC_ID_CONTRAT"),
                    int(config.get("CDC_DEADLINE_MONTHS") or 3))


def certificates_with_declarations() -> list[tuple[Certificate, CdcDeclaration | None]]:
    """Every certificate, newest session first, with its declaration (None: never sent)."""
    certificates = db.session.scalars(
        db.select(Certificate)
        .options(joinedload(Certificate.exam).joinedload(Exam.candidate),
                 joinedload(Certificate.exam).joinedload(Exam.jury).joinedload(Jury.session)
                 .joinedload(ExamSession.referential))
        .join(Certificate.exam).join(Exam.jury).join(Jury.session)
        .order_by(ExamSession.starts_at.desc(), Certificate.number)).unique().all()
    declarations = {d.certificate_id: d for d in db.session.scalars(
        db.select(CdcDeclaration).options(joinedload(CdcDeclaration.file)))}
    return [(c, declarations.get(c.id)) for c in certificates]


def referential_problems(referential) -> list[str]:
    """What the certification's own facts lack for the CDC (its type and code)."""
    cdc = referential.cdc_certification
    if not cdc["type"]:
        return [f"Type CDC de la certification {referential.code} (« cdc.type » du référentiel, "
                "à compléter)"]
    if not cdc["code"]:
        return [f"Numéro {cdc['type']} de la certification {referential.code} inconnu (« cdc.code » "
                "du référentiel, à compléter) : ses titulaires ne peuvent pas être déclarés"]
    return []


def certifications_without_code() -> list[str]:
    """« Community manager (RNCP-CM) » for each certification whose CDC number is unknown."""
    latest = {}
    for referential in db.session.scalars(db.select(Referential).order_by(Referential.version)):
        latest[referential.code] = referential
    return [f"{r.title} ({r.code}, {r.cdc_certification['type'] or 'type inconnu'})"
            for r in latest.values() if referential_problems(r)]


def problems_of(certificate: Certificate) -> list[str]:
    """Why the line is held back (French, empty: ready): the certification, then the holder."""
    referential = certificate.exam.jury.session.referential
    return referential_problems(referential) + holder.holder_problems(certificate.exam.candidate)


def line_of(certificate: Certificate, technical_id: str) -> dict:
    """What the XML carries for this certificate (certif.cdc.flux.LINE_KEYS); only for a
    line without problems (its birth place and date are then known)."""
    exam = certificate.exam
    candidate, session = exam.candidate, exam.jury.session
    referential = session.referential
    awarded = award_day(certificate)
    return {
        "technical_id": technical_id,
        "cert_type": referential.cdc_certification["type"],
        "cert_code": referential.cdc_certification["code"],
        "exam_day": paris_day(exam.starts_at),
        "remote": session.is_remote,
        "award_day": awarded,
        "valid_until": certificate_rules.valid_until(awarded,
                                                     referential.certificate_validity_years),
        "access_mode": holder.access_mode_of(candidate),
        "birth_name": candidate.birth_name,
        "usage_name": candidate.usage_name,
        "first_name": candidate.first_name,
        "first_name_2": candidate.first_name_2,
        "first_name_3": candidate.first_name_3,
        "birth_date": candidate.birth_date,
        "sex": candidate.sex,
        "birth_code": holder.birth_commune_code(candidate),
        "birth_commune": candidate.birth_commune,
        "birth_country_code": candidate.birth_country_code,
        "birth_country_name": candidate.birth_country_name,
    }


def files() -> list[CdcFile]:
    return list(db.session.scalars(db.select(CdcFile).order_by(CdcFile.number.desc())))


def get_file(file_id: int) -> CdcFile:
    return get_row(CdcFile, file_id, MSG_NO_FILE)


def get_declaration(declaration_id: int, *, lock: bool = False) -> CdcDeclaration:
    return get_row(CdcDeclaration, declaration_id, MSG_NO_LINE, lock=lock)


def declarations_by_technical_id(ids) -> dict[str, CdcDeclaration]:
    ids = list(ids)
    if not ids:
        return {}
    return {d.technical_id: d for d in db.session.scalars(
        db.select(CdcDeclaration).where(CdcDeclaration.technical_id.in_(ids)))}


def next_file_number() -> int:
    return (db.session.scalar(db.select(db.func.max(CdcFile.number))) or 0) + 1
