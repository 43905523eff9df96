"""The exam-conditions sheet (annex 4): one per jury and per day, filled and signed by its jurors.

Seed 000, II.B.2: "Un document permettant d'attester des conditions de déroulement de
la certification sera remis à chaque jury (ANNEXE 4). Ce document devra être remis au
responsable de session à chaque fin de journée."

Either juror answers the 12 conditions and writes the observations until the first
signature; the content is then frozen. When every juror who sat has signed, the sheet
is handed to the organiser (`handed_at`), and `has_breach` tells the steering council
(issue 5) that a condition was not respected.

Decisions: a stopped jury (carence) can still fill its sheet (the carence is a condition
not respected); the absent juror neither edits nor signs it, and the sheet is handed once
the juror(s) present have signed. The dashboard's reminder skips stopped juries (they did
not sit) and juries whose candidates were all moved elsewhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from ..audit.services import record
from ..auth.models import COUNCIL, ORGANISER
from ..database import get_row, write_transaction
from ..documents.pdf import render_pdf
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..sessions.models import CANCELLED, MOVED, Exam, ExamSession, Jury
from ..sessions.services import get_jury, get_session, session_day
from ..signatures.models import CONDITIONS as SIGNED_CONDITIONS
from ..signatures.models import Signature
from ..signatures.rules import content_sha256
from ..signatures.services import (
    MSG_ALREADY_SIGNED,
    add_signature,
    require_seen,
    signature_by_key,
    signatures_of,
    user_key,
)
from ..text import clean_text
from ..timeutil import french_date, paris_to_utc, paris_today, utcnow
from .models import ConditionAnswer, ConditionsSheet

# --- The annex's conditions (pure) ---------------------------------------------------

DOCUMENT = "annexe 4 — fiche de validation des conditions d'examen"

# Verbatim from annex 4, in its order; position n is CONDITIONS[n - 1].
CONDITIONS: tuple[str, ...] = (
    "Organisation des jurys",
    "Habilitation du jury",
    "Convocation écrite des jurés",
    "La mise à disposition du matériel pour la présentation",
    "Contrôle de l'identité de la convocation des candidats",
    "Complétude de la feuille d'émargement candidat",
    "Complétude de la feuille d'émargement du jury",
    "Affichage et mise à disposition candidat fiche anomalie",
    "Organisation délibération",
    "Aménagement adapté aux candidats en situation de handicap",
    "Respect du temps d'examen",
    "Conditions générales d'examen",
)
# The annex's wording is kept; where it reads oddly, a hint says what is meant.
HINTS = {5: "Contrôle de l'identité et de la convocation des candidats"}
POSITIONS = range(1, len(CONDITIONS) + 1)
VALUES = {"respectee": True, "non_respectee": False}
FIELD_PREFIX = "condition_"
MAX_OBSERVATIONS = 4000

MSG_SIGNED = "La fiche est signée : elle ne peut plus être modifiée."
MSG_TOO_EARLY = ("La fiche des conditions d'examen se remplit le jour de l'examen, "
                 "le {day}.")
MSG_CANCELLED = "La session n° {number} est annulée : la fiche des conditions d'examen n'a pas lieu d'être."
MSG_ABSENT = ("Vous êtes déclaré absent (carence) pour ce jury : la fiche est remplie et signée "
              "par le juré présent.")
MSG_UNKNOWN_CONDITION = "Condition inconnue : « {name} »."
MSG_BAD_VALUE = ("Réponse invalide pour la condition {n} ({label}) : choisissez « Respectée » "
                 "ou « Non respectée ».")
MSG_LONG_OBSERVATIONS = f"Les observations ne doivent pas dépasser {MAX_OBSERVATIONS} caractères."
MSG_MISSING = "Répondez à toutes les conditions avant de signer. Sans réponse : {missing}."
MSG_OBSERVATIONS_REQUIRED = "Précisez dans les observations ce qui n'a pas été respecté."
MSG_NO_JURY = "Jury introuvable parmi vos jurys."
MSG_NO_SHEET = "Fiche des conditions d'examen introuvable."


def condition_label(position: int) -> str:
    return CONDITIONS[position - 1]


def parse_answers(form) -> dict[int, bool]:
    """{position: respected} from the posted fields `condition_<n>`; 400 on anything else.

    A condition left without an answer is simply absent (the sheet may be saved in parts).
    """
    answers: dict[int, bool] = {}
    for name in form.keys():
        if not name.startswith(FIELD_PREFIX):
            continue
        raw = name[len(FIELD_PREFIX):]
        if not raw.isdigit() or int(raw) not in POSITIONS:
            raise InvalidInput(MSG_UNKNOWN_CONDITION.format(name=name[:40]))
        position = int(raw)
        value = form.get(name)
        if value == "":
            continue  # "no answer yet"
        if value not in VALUES:
            raise InvalidInput(MSG_BAD_VALUE.format(n=position, label=condition_label(position)))
        answers[position] = VALUES[value]
    return answers


def clean_observations(text: str | None) -> str | None:
    text = clean_text(text)
    if len(text) > MAX_OBSERVATIONS:
        raise InvalidInput(MSG_LONG_OBSERVATIONS)
    return text or None


def missing_positions(answers: dict[int, bool]) -> list[int]:
    return [n for n in POSITIONS if n not in answers]


def has_breach(answers: dict[int, bool]) -> bool:
    return any(value is False for value in answers.values())


def signing_problem(answers: dict[int, bool], observations: str | None) -> str | None:
    """Why the sheet cannot be signed yet (French), or None."""
    missing = missing_positions(answers)
    if missing:
        return MSG_MISSING.format(missing=" ; ".join(f"{n}. {condition_label(n)}" for n in missing))
    if has_breach(answers) and not (observations or "").strip():
        return MSG_OBSERVATIONS_REQUIRED
    return None


# --- Reading --------------------------------------------------------------------------

def sheet_answers(sheet: ConditionsSheet | None) -> dict[int, bool]:
    return {a.position: a.respected for a in sheet.answers} if sheet else {}


def sheet_of(jury: Jury) -> ConditionsSheet | None:
    """The jury's sheet for its session's day (None before the first save)."""
    return db.session.scalar(db.select(ConditionsSheet).filter_by(
        jury_id=jury.id, day=session_day(jury.session)))


def sheets_for_jury(jury_id: int) -> list[ConditionsSheet]:
    """Every sheet of a jury, by day (one per day the jury sat)."""
    return list(db.session.scalars(
        db.select(ConditionsSheet).where(ConditionsSheet.jury_id == jury_id)
        .order_by(ConditionsSheet.day)))


def signers(jury: Jury) -> list:
    """The jurors who sign: both, or the one present when the jury was stopped (carence)."""
    return [j for j in jury.jurors if j.id != jury.absent_juror_id]


def _is_juror_of(user, jury: Jury) -> bool:
    return any(j.id == user.id for j in jury.jurors)


def juror_jury(user, jury_id: int, *, lock: bool = False) -> Jury:
    """The jury if `user` sits on it; NotFound otherwise, as if it did not exist."""
    if lock:
        jury = get_jury(jury_id, lock=True)
    else:
        jury = db.session.get(Jury, jury_id)
    if jury is None or not _is_juror_of(user, jury):
        raise NotFound(MSG_NO_JURY)
    return jury


def write_refusal(user, jury: Jury, today: date) -> str | None:
    """Why `user` may not fill the sheet now (French), signatures apart; or None."""
    session = jury.session
    if session.status == CANCELLED:
        return MSG_CANCELLED.format(number=session.number)
    day = session_day(session)
    if today < day:
        return MSG_TOO_EARLY.format(day=french_date(day))
    if jury.absent_juror_id == user.id:
        return MSG_ABSENT
    return None


@dataclass
class SheetState:
    """A jury's sheet as a juror (or the organiser) sees it."""

    jury: Jury
    session: ExamSession
    day: date
    sheet: ConditionsSheet | None
    answers: dict[int, bool]
    signatures: list[Signature] = field(default_factory=list)
    refusal: str | None = None  # why the viewer may not edit, signatures apart

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def handed(self) -> bool:
        return self.sheet is not None and self.sheet.handed_at is not None

    @property
    def editable(self) -> bool:
        return self.refusal is None and not self.signed

    @property
    def breach(self) -> bool:
        return has_breach(self.answers)

    @property
    def problem(self) -> str | None:
        return signing_problem(self.answers, self.sheet.observations if self.sheet else None)

    @property
    def content_sha256(self) -> str | None:
        """The fingerprint of the sheet as displayed, once it can be signed (the form carries it)."""
        if self.sheet is None or self.problem is not None:
            return None
        return content_sha256(sheet_content(self.sheet, self.jury))

    def signed_by(self, user) -> bool:
        return any(s.user_id == user.id for s in self.signatures)

    @property
    def rows(self) -> list[tuple[int, str, str | None, bool | None]]:
        """(n, label, hint, answer) for each condition, in the annex's order."""
        return [(n, condition_label(n), HINTS.get(n), self.answers.get(n)) for n in POSITIONS]

    @property
    def status_label(self) -> str:
        """à remplir / en cours / signée par X / remise le …"""
        if self.handed:
            return f"Remise le {french_date(self.sheet.handed_at)}"
        if self.signatures:
            return "Signée par " + " et ".join(s.signer_name for s in self.signatures)
        if self.answers or (self.sheet and self.sheet.observations):
            return "En cours"
        return "À remplir"


def _state(jury: Jury, sheet: ConditionsSheet | None, signatures, refusal=None) -> SheetState:
    return SheetState(jury=jury, session=jury.session, day=session_day(jury.session), sheet=sheet,
                      answers=sheet_answers(sheet), signatures=list(signatures), refusal=refusal)


def juror_sheet(user, jury_id: int, today: date | None = None) -> SheetState:
    jury = juror_jury(user, jury_id)
    sheet = sheet_of(jury)
    signatures = signatures_of(SIGNED_CONDITIONS, [sheet.id])[sheet.id] if sheet else []
    return _state(jury, sheet, signatures, write_refusal(user, jury, today or paris_today()))


def session_sheets(session_id: int) -> tuple[ExamSession, list[SheetState]]:
    """The organiser's view: every jury of the session with its sheet's state."""
    session = get_session(session_id)
    day = session_day(session)
    sheets = {s.jury_id: s for s in db.session.scalars(
        db.select(ConditionsSheet).where(ConditionsSheet.jury_id.in_([j.id for j in session.juries]),
                                         ConditionsSheet.day == day))}
    signed = signatures_of(SIGNED_CONDITIONS, [s.id for s in sheets.values()])
    states = []
    for jury in session.juries:
        sheet = sheets.get(jury.id)
        states.append(_state(jury, sheet, signed[sheet.id] if sheet else []))
    return session, states


def sheet_state(sheet: ConditionsSheet) -> SheetState:
    return _state(sheet.jury, sheet, signatures_of(SIGNED_CONDITIONS, [sheet.id])[sheet.id])


def visible_sheet(viewer, sheet_id: int) -> ConditionsSheet:
    """The sheet if `viewer` may read it (organiser, council, a juror of its jury); else 404."""
    sheet = get_row(ConditionsSheet, sheet_id, MSG_NO_SHEET)
    if viewer.has_role(ORGANISER, COUNCIL) or _is_juror_of(viewer, sheet.jury):
        return sheet
    raise NotFound(MSG_NO_SHEET)


def sheets_not_handed(today: date | None = None) -> list[tuple[Jury, ExamSession]]:
    """Juries that sat before `today` whose sheet was not handed: the dashboard's reminder.

    A jury sat when its session's day is past, the session is not cancelled, the jury
    was not stopped (carence) and at least one of its candidates was not moved elsewhere.
    """
    today = today or paris_today()
    # Sessions that started before today's Paris midnight (the day is refined below).
    before = paris_to_utc(today, time(0, 0))
    rows = db.session.execute(
        db.select(Jury, ExamSession)
        .join(ExamSession, Jury.session_id == ExamSession.id)
        .where(ExamSession.status != CANCELLED, ExamSession.starts_at < before,
               Jury.stopped_at.is_(None),
               db.select(Exam.id).where(Exam.jury_id == Jury.id, Exam.status != MOVED).exists())
        .order_by(ExamSession.starts_at, Jury.position)).all()
    rows = [(jury, session) for jury, session in rows if session_day(session) < today]
    if not rows:
        return []
    handed = set(db.session.execute(
        db.select(ConditionsSheet.jury_id, ConditionsSheet.day)
        .where(ConditionsSheet.jury_id.in_([j.id for j, _ in rows]),
               ConditionsSheet.handed_at.is_not(None))).all())
    return [(jury, session) for jury, session in rows if (jury.id, session_day(session)) not in handed]


# --- Writing --------------------------------------------------------------------------

def _summary(answers: dict[int, bool], observations: str | None) -> str:
    marks = "".join("?" if n not in answers else ("R" if answers[n] else "N") for n in POSITIONS)
    return f"{marks} | {observations or ''}"[:1000]


def _require_writable(user, jury: Jury, today: date) -> None:
    refusal = write_refusal(user, jury, today)
    if refusal is not None:
        raise Conflict(refusal)


def _signature_count(sheet: ConditionsSheet) -> int:
    return db.session.scalar(db.select(db.func.count(Signature.id)).where(
        Signature.document == SIGNED_CONDITIONS, Signature.subject_id == sheet.id))


def save_sheet(user, jury_id: int, answers: dict[int, bool], observations: str | None, *,
               today: date | None = None) -> ConditionsSheet:
    """Record the answers given (others unchanged) and, when posted, the observations.

    `observations` None: not posted, kept. Refused (409) once the first juror signed.
    """
    today = today or paris_today()
    with write_transaction():
        jury = juror_jury(user, jury_id, lock=True)
        _require_writable(user, jury, today)
        day = session_day(jury.session)
        sheet = db.session.scalar(
            db.select(ConditionsSheet).filter_by(jury_id=jury.id, day=day)
            .execution_options(populate_existing=True))
        if sheet is None:
            sheet = ConditionsSheet(jury_id=jury.id, day=day, updated_by_id=user.id)
            db.session.add(sheet)
            db.session.flush()
            record(user, "conditions.create", "conditions_sheet", sheet.id, None, day.isoformat(),
                   jury_id=jury.id)
        elif _signature_count(sheet):
            raise Conflict(MSG_SIGNED)
        before = sheet_answers(sheet)
        old = _summary(before, sheet.observations)
        existing = {a.position: a for a in sheet.answers}
        for position, respected in answers.items():
            if position in existing:
                existing[position].respected = respected
            else:
                sheet.answers.append(ConditionAnswer(position=position, respected=respected))
        if observations is not None:
            sheet.observations = observations
        new = _summary({**before, **answers}, sheet.observations)
        if new != old:
            sheet.updated_at = utcnow()
            sheet.updated_by_id = user.id
            record(user, "conditions.save", "conditions_sheet", sheet.id, old, new, jury_id=jury.id)
    return sheet


def sheet_content(sheet: ConditionsSheet, jury: Jury) -> dict:
    """What each juror signs: the same for both, since the sheet is frozen at the first signature."""
    session = jury.session
    answers = sheet_answers(sheet)
    return {
        "document": DOCUMENT,
        "certification": session.referential.document_title,
        "session": session.number,
        "jury": jury.label,
        "date": sheet.day.isoformat(),
        "conditions": [{"n": n, "label": condition_label(n), "respectee": answers[n]}
                       for n in POSITIONS],
        "observations": sheet.observations or "",
        "jurors": [j.full_name for j in jury.jurors],
    }


def sign_sheet(user, jury_id: int, mark, *, seen_sha256: str | None,
               today: date | None = None) -> ConditionsSheet:
    """`user` signs the day's sheet as their page displayed it (`seen_sha256`); the last
    signer present hands it to the organiser."""
    today = today or paris_today()
    with write_transaction():
        jury = juror_jury(user, jury_id, lock=True)
        _require_writable(user, jury, today)
        sheet = db.session.scalar(
            db.select(ConditionsSheet).filter_by(jury_id=jury.id, day=session_day(jury.session))
            .execution_options(populate_existing=True))
        answers = sheet_answers(sheet)
        problem = signing_problem(answers, sheet.observations if sheet else None)
        if problem is not None:
            raise InvalidInput(problem)
        if signature_by_key(SIGNED_CONDITIONS, sheet.id, user_key(user)) is not None:
            raise Conflict(MSG_ALREADY_SIGNED)  # said before a form's fingerprint
        content = sheet_content(sheet, jury)
        require_seen(seen_sha256, content)
        add_signature(SIGNED_CONDITIONS, sheet.id, signer_key=user_key(user), role="juror",
                      name=user.full_name, content=content, mark=mark,
                      auth_method="login", user=user)
        signed_ids = set(db.session.scalars(db.select(Signature.user_id).where(
            Signature.document == SIGNED_CONDITIONS, Signature.subject_id == sheet.id)))
        if all(j.id in signed_ids for j in signers(jury)):
            sheet.handed_at = utcnow()
            sheet.has_breach = has_breach(answers)
            record(user, "conditions.hand", "conditions_sheet", sheet.id, None, "remise",
                   jury_id=jury.id, has_breach=sheet.has_breach)
    return sheet


# --- The PDF --------------------------------------------------------------------------

def conditions_pdf(sheet: ConditionsSheet) -> bytes:
    """Annex 4, faithful to the seed's layout, filled from the sheet and its signatures."""
    state = sheet_state(sheet)
    by_user = {s.user_id: s for s in state.signatures}
    jurors = [(j, by_user.get(j.id)) for j in sheet.jury.jurors]
    return render_pdf("pdf/conditions.html", state=state, sheet=sheet, jury=sheet.jury,
                      session=sheet.jury.session, referential=sheet.jury.session.referential,
                      jurors=jurors)


def pdf_filename(sheet: ConditionsSheet) -> str:
    session = sheet.jury.session
    return f"conditions-examen-{session.number}-jury{sheet.jury.position}-{sheet.day.isoformat()}.pdf"
