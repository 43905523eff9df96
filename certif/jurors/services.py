"""Jurors: accounts, habilitation profile (annex 7), the CV, and the reads other domains
need (who may sit on a jury, declared conflicts).

What needs the juries (the juries a juror sits on, the organiser's habilitation decision,
refused while they still grade, and the conflicts of the jurors who sit) is in
`sessions.jurors`, above the sessions.

Every write runs in `write_transaction` and records an audit entry (entity "juror",
entity_id the juror's user id).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import and_
from sqlalchemy.exc import IntegrityError

from ..audit.models import AuditEntry
from ..audit.services import record
from ..auth import tokens
from ..auth.models import JUROR, User, UserRole
from ..database import write_transaction
from ..documents.pdf import render_pdf
from ..errors import InvalidInput, NotFound
from ..extensions import db
from ..referentials.models import Referential
from ..text import clean_text, slug
from ..timeutil import paris_day, utcnow
from . import habilitations, storage
from .habilitations import MSG_NO_JUROR
from .models import FAVOURABLE, UNFAVOURABLE, ConflictDeclaration, JurorProfile
from .professionalisation.models import ProfessionalisationInvitation, ProfessionalisationSession
from .professionalisation.queries import signed_attestation

# The annex 7 fields, in the form's order, with their French labels.
PROFILE_FIELDS = {
    "address": "Adresse",
    "postal_code": "Code postal",
    "city": "Ville",
    "phone": "Téléphone",
    "profession": "Profession",
    "workplace": "Lieu d'exercice",
    "years_experience": "Ancienneté (années d'expérience professionnelle)",
    "external": "Externe à l'organisme",
    "professionalisation_date": "Date de la session de professionnalisation",
}
IDENTITY_FIELDS = {"first_name": "Prénom", "last_name": "Nom", "email": "Adresse e-mail"}
# The fields the habilitation rules read: a change to one after a decision is flagged.
DECISIVE_FIELDS = ("profession", "years_experience", "external", "professionalisation_date")

MSG_EMAIL_TAKEN = "Un compte existe déjà avec cette adresse e-mail."


# --- Reads ----------------------------------------------------------------------------

@dataclass
class JurorRow:
    user: User
    profile: JurorProfile | None
    habilitations: list[habilitations.CertificationHabilitation]

    @property
    def changed_since_decision(self) -> bool:
        return any(h.changed_since_decision for h in self.habilitations)


def list_jurors() -> list[JurorRow]:
    """Every account with the juror role, by name, with its profile and, per certification,
    its decision and recommendation."""
    users = db.session.scalars(
        db.select(User).join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == JUROR))
        .options(db.selectinload(User.juror_profile), db.selectinload(User.juror_habilitations))
        .order_by(User.last_name, User.first_name, User.id)).unique().all()
    refs = habilitations.certifications()
    attended = _attended_by_juror([u.id for u in users])
    rows = []
    for user in users:
        decided = {h.referential_code: h for h in user.juror_habilitations}
        days = attended.get(user.id, {})
        rows.append(JurorRow(user, user.juror_profile, [
            habilitations.CertificationHabilitation(
                ref, decided.get(ref.code),
                habilitations.recommendation_for(user.juror_profile, ref, days.get(ref.code)),
                days.get(ref.code),
                habilitations.changed_since_decision(user.juror_profile, decided.get(ref.code)))
            for ref in refs]))
    return rows


def _attended_by_juror(user_ids: list[int]) -> dict[int, dict]:
    """juror id -> {certification code: latest professionalisation day attended}."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        db.select(ProfessionalisationInvitation.juror_id, Referential.code,
                  db.func.max(ProfessionalisationSession.starts_at))
        .join(ProfessionalisationSession,
              ProfessionalisationInvitation.session_id == ProfessionalisationSession.id)
        .join(Referential, ProfessionalisationSession.referential_id == Referential.id)
        .where(ProfessionalisationInvitation.juror_id.in_(user_ids),
               ProfessionalisationInvitation.attended.is_(True))
        .group_by(ProfessionalisationInvitation.juror_id, Referential.code)).all()
    found: dict[int, dict] = {}
    for juror_id, code, starts_at in rows:
        found.setdefault(juror_id, {})[code] = paris_day(starts_at)
    return found


def get_juror(user_id: int) -> User:
    """The account with the juror role, else NotFound."""
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(JUROR):
        raise NotFound(MSG_NO_JUROR)
    return user


@dataclass
class ProfileChange:
    at: object
    actor: User | None
    fields: list[str]  # French labels


def changes_since(profile: JurorProfile | None, since) -> list[ProfileChange]:
    """The edits (from the audit log) made to the profile after `since` (a decision's
    time), oldest first."""
    if profile is None or since is None or not profile.updated_at > since:
        return []
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.entity == "juror", AuditEntry.entity_id == profile.user_id,
               AuditEntry.action.in_(("juror.update", "juror.cv")),
               AuditEntry.at >= since)
        .options(db.joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at, AuditEntry.id)).unique().all()
    changes = []
    for entry in entries:
        if entry.action == "juror.cv":
            labels = ["CV"]
        else:
            names = (entry.details or {}).get("fields", [])
            labels = [PROFILE_FIELDS[n] for n in names if n in PROFILE_FIELDS]
        if labels:
            changes.append(ProfileChange(entry.at, entry.actor, labels))
    return changes


# --- Conflict-of-interest declarations (read by sessions, grading, dashboard) ---------

def declarations_for_exam(exam_id: int) -> list[ConflictDeclaration]:
    """Every declaration made for an exam (conflict or not), oldest first."""
    return db.session.scalars(
        db.select(ConflictDeclaration).where(ConflictDeclaration.exam_id == exam_id)
        .options(db.joinedload(ConflictDeclaration.juror))
        .order_by(ConflictDeclaration.declared_at, ConflictDeclaration.id)).unique().all()


def declaration_of(exam_id: int, juror_id: int) -> ConflictDeclaration | None:
    return db.session.scalar(db.select(ConflictDeclaration).filter_by(
        exam_id=exam_id, juror_id=juror_id))


def declarations_of_juror(juror_id: int, exam_ids) -> dict[int, ConflictDeclaration]:
    """A juror's declarations for some exams, by exam id."""
    ids = list(exam_ids)
    if not ids:
        return {}
    rows = db.session.scalars(db.select(ConflictDeclaration).where(
        ConflictDeclaration.juror_id == juror_id, ConflictDeclaration.exam_id.in_(ids))).all()
    return {d.exam_id: d for d in rows}


# --- Writes ---------------------------------------------------------------------------

def _json(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, default=str, sort_keys=True)


def _email_taken(email: str, except_user_id: int | None = None) -> bool:
    query = db.select(User.id).where(db.func.lower(User.email) == email.lower())
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return db.session.scalar(query.limit(1)) is not None


def _clean(values: dict, allowed) -> dict:
    """Only the known fields; text stripped, empty text stored as None."""
    cleaned = {}
    for key in allowed:
        if key not in values:
            continue
        value = values[key]
        if isinstance(value, str):
            value = clean_text(value, breaks="keep") or None
        cleaned[key] = value
    return cleaned


def _check_profile(profile: dict) -> None:
    # The forms validate first; this keeps the service safe when called otherwise.
    years = profile.get("years_experience")
    if years is not None and not (0 <= years <= 80):
        raise InvalidInput("L'ancienneté doit être un nombre d'années entre 0 et 80.")
    when = profile.get("professionalisation_date")
    if when is not None and not isinstance(when, date):
        raise InvalidInput("Date de la session de professionnalisation invalide.")


def create_juror(actor, identity: dict, profile: dict) -> User:
    """Create a juror account (no password yet: the caller sends the invitation) and its
    habilitation profile."""
    identity = _clean(identity, IDENTITY_FIELDS)
    profile = _clean(profile, PROFILE_FIELDS)
    email = (identity.get("email") or "").lower()
    if not email or not identity.get("first_name") or not identity.get("last_name"):
        raise InvalidInput("Le prénom, le nom et l'adresse e-mail sont obligatoires.")
    _check_profile(profile)
    try:
        with write_transaction():
            if _email_taken(email):
                raise InvalidInput(MSG_EMAIL_TAKEN)
            user = User(email=email, first_name=identity["first_name"],
                        last_name=identity["last_name"])
            user.grant(JUROR)
            user.juror_profile = JurorProfile(**profile, updated_at=utcnow())
            db.session.add(user)
            db.session.flush()
            record(actor, "juror.create", "juror", user.id, new=_json({**identity, **profile}),
                   email=email)
    except IntegrityError:
        # Another request created the same email meanwhile.
        raise InvalidInput(MSG_EMAIL_TAKEN) from None
    return user


def update_juror(actor, user_id: int, identity: dict, profile: dict) -> list[str]:
    """Apply the edited fields (only those given); return the names of those that changed."""
    identity = _clean(identity, IDENTITY_FIELDS)
    profile = _clean(profile, PROFILE_FIELDS)
    _check_profile(profile)
    if "email" in identity:
        if not identity["email"]:
            raise InvalidInput("L'adresse e-mail est obligatoire.")
        identity["email"] = identity["email"].lower()
    for key in ("first_name", "last_name"):
        if key in identity and not identity[key]:
            raise InvalidInput(f"Le champ « {IDENTITY_FIELDS[key]} » est obligatoire.")
    try:
        with write_transaction():
            user = get_juror(user_id)
            if "email" in identity and identity["email"] != user.email \
                    and _email_taken(identity["email"], user.id):
                raise InvalidInput(MSG_EMAIL_TAKEN)
            record_profile = user.juror_profile
            if record_profile is None:
                record_profile = user.juror_profile = JurorProfile(updated_at=utcnow())
            old, new = {}, {}
            for target, values in ((user, identity), (record_profile, profile)):
                for key, value in values.items():
                    if getattr(target, key) != value:
                        old[key], new[key] = getattr(target, key), value
                        setattr(target, key, value)
            if new:
                if any(key in PROFILE_FIELDS for key in new):
                    record_profile.updated_at = utcnow()
                decisive = [k for k in new if k in DECISIVE_FIELDS]
                if "email" in new:  # links mailed to the old address (a typo?) stop working
                    tokens.revoke_unused(user.id)
                record(actor, "juror.update", "juror", user.id, _json(old), _json(new),
                       fields=sorted(new), decisive=decisive,
                       after_decision=bool(user.juror_habilitations))
    except IntegrityError:
        raise InvalidInput(MSG_EMAIL_TAKEN) from None
    return sorted(new)


def replace_cv(actor, user_id: int, data: bytes, filename: str | None) -> None:
    """Store a new CV (a checked PDF) in place of the previous one."""
    get_juror(user_id)  # 404 before anything else
    storage.check_pdf(data)
    name = storage.write(data)
    try:
        with write_transaction():
            user = get_juror(user_id)
            profile = user.juror_profile
            if profile is None:
                profile = user.juror_profile = JurorProfile()
            old_name, old_original = profile.cv_file, profile.cv_original_name
            profile.cv_file = name
            profile.cv_original_name = _original_name(filename)
            profile.cv_uploaded_at = profile.updated_at = utcnow()
            record(actor, "juror.cv", "juror", user.id, old_original, profile.cv_original_name,
                   size=len(data))
    except BaseException:
        storage.delete(name)  # nothing references it
        raise
    storage.delete(old_name)  # only once the new one is committed


def _printable(text: str) -> str:
    """Without NUL, control, format (e.g. right-to-left override) or line/paragraph separators."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C"
                   and unicodedata.category(ch) not in ("Zl", "Zp"))


def _original_name(filename: str | None) -> str:
    """The name the juror gave, shown on pages: its last path part, printable characters only."""
    name = Path(_printable(filename or "").replace("\\", "/")).name.strip()
    return (name or "cv.pdf")[:255]


def cv_download(user_id: int) -> tuple[Path, str]:
    """The CV's path on disk and the name to download it as; NotFound if there is none."""
    user = get_juror(user_id)
    profile = user.juror_profile
    if profile is None or not profile.cv_file:
        raise NotFound("Aucun CV n'a été déposé pour ce juré.")
    path = storage.path_of(profile.cv_file)
    if not path.is_file():
        raise NotFound("Le fichier du CV est introuvable : déposez-le à nouveau.")
    return path, _file_name("CV", user)


def _file_name(prefix: str, user: User) -> str:
    """« CV-Eloise-DUPRE.pdf »: the juror's names as given, the last name in capitals."""
    first = slug(user.first_name, fallback="jure", lower=False)
    last = slug(user.last_name, fallback="jure", lower=False).upper()
    return f"{prefix}-{first}-{last}.pdf"


def registration_label(code: str) -> str:
    """RS6240 -> "RS 6240", as the annex writes it."""
    return re.sub(r"^([A-Za-z]+)\s*(\d)", r"\1 \2", code)


def habilitation_pdf(user_id: int, code: str) -> tuple[bytes, str]:
    """Annex 7 for one certification, filled from the profile and that certification's
    decision; its bytes and file name."""
    user = get_juror(user_id)
    entry = habilitations.habilitations_for(user, only=code)[0]
    referential = entry.referential
    # The attestation the juror signed for a session of this certification, if any.
    attestation = signed_attestation(user.id, referential.code)
    data = render_pdf("pdf/habilitation.html", juror=user, profile=user.juror_profile,
                      referential=referential, attestation=attestation, entry=entry,
                      habilitation=entry.habilitation,
                      registration=registration_label(referential.code),
                      FAVOURABLE=FAVOURABLE, UNFAVOURABLE=UNFAVOURABLE)
    code_part = slug(referential.code, fallback="certification", lower=False)
    return data, _file_name(f"fiche-habilitation-{code_part}", user)
