"""The minutes of a session (annex 5): editing, the jurors' signatures, the organiser's visa.

The first juror's signature freezes the content (`content.py`) into `Minutes.content`
and sets `locked_at`: from then on the grading services refuse every write of the
session (`ExamAccess.minutes_locked`). Every later signature, the visa included,
signs that same frozen text.

Sealed copies (pyHanko): the general minutes are sealed at the visa. The individual
minutes and grids are sealed on their first download after the visa and kept
(SEALED_INDIVIDUAL, SEALED_GRID): sealing one PDF per candidate at the visa would
make the organiser wait for every candidate of the session, while most of these
documents are only fetched later, one at a time (results, archive). The content
they show is frozen anyway, so sealing later changes nothing in what they say.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..auth.models import ORGANISER, User
from ..database import get_row, write_transaction
from ..documents.models import SEALED_GRID, SEALED_INDIVIDUAL, SEALED_MINUTES, SealedDocument
from ..documents.seal import seal_pdf
from ..documents.sealed import read_sealed, store_sealed
from ..errors import Conflict, FieldError, Forbidden, NotFound
from ..extensions import db
from ..grading import rules
from ..grading.models import DeliberationMark, Grid, Mark
from ..referentials.services import Layout, layout
from ..sessions.jurors import conflicts_for_exams
from ..sessions.models import CANCELLED, CLOSED, SCHEDULED, Exam, ExamSession, Jury, JuryMember
from ..signatures.models import MINUTES
from ..signatures.services import (
    add_signature,
    require_same_content,
    seen_fingerprint,
    signatures_of,
    user_key,
)
from ..text import clean_text, slug
from ..timeutil import french_date, paris_to_utc, to_paris, utcnow
from . import content as minutes_content
from . import pdfs
from .content import REMOTE_PLACE
from .models import MEMBER, ORGANISER_ROLE, PRESIDENT, Minutes

MAX_OBSERVATIONS = 2000
MAX_PLACE = 300

MSG_NOT_SITTING = "Session introuvable dans vos jurys."
MSG_LOCKED = ("Le procès-verbal a déjà été signé : son contenu est figé et ne peut plus être "
              "modifié.")
MSG_PRESIDENT_ONLY = "Seul un président de jury de la session peut compléter le procès-verbal."
MSG_NOT_READY = "Le procès-verbal ne peut pas encore être signé : {problems}"
MSG_VISA_TOO_EARLY = ("Le visa ne peut être apposé qu'après la signature du procès-verbal par "
                      "tous les jurés : {missing}.")
MSG_VISA_DONE = "Le visa du responsable d'organisation a déjà été apposé sur ce procès-verbal."
MSG_CHANGED = "Le procès-verbal a changé pendant l'opération : rechargez la page puis recommencez."
MSG_NO_GRID_YET = ("La grille finale n'est disponible qu'une fois la délibération close pour ce "
                   "candidat.")
MSG_NO_EXAM = "Passage introuvable."


# --- Reading a session's minutes --------------------------------------------------------

def minutes_of(session_id: int) -> Minutes | None:
    return db.session.scalar(db.select(Minutes).where(Minutes.session_id == session_id))


def _load_session(session_id: int) -> ExamSession:
    """The session with its juries, jurors, slots and candidates: a fixed number of queries."""
    juries = db.selectinload(ExamSession.juries)
    session = db.session.scalar(
        db.select(ExamSession).where(ExamSession.id == session_id)
        .options(db.joinedload(ExamSession.referential),
                 juries.selectinload(Jury.exams).joinedload(Exam.candidate),
                 juries.selectinload(Jury.members).joinedload(JuryMember.juror))
        .execution_options(populate_existing=True))
    if session is None:
        raise NotFound("Session introuvable.")
    return session


def sitting_juries(session: ExamSession) -> list[Jury]:
    """The juries that sit (not stopped by a carence), by position."""
    return [j for j in sorted(session.juries, key=lambda j: (j.position, j.id)) if j.stopped_at is None]


def participants(session: ExamSession) -> list[Exam]:
    """The candidates who sit: active exams of the sitting juries, in jury then slot order."""
    return [e for j in sitting_juries(session)
            for e in sorted(j.exams, key=lambda e: (e.position, e.id)) if e.status == SCHEDULED]


def _jurors_of(jury: Jury) -> list[User]:
    """The jury's president first, then the other juror."""
    return sorted((m.juror for m in jury.members), key=lambda u: (u.id != jury.president_id, u.id))


def signers(session: ExamSession) -> list[tuple[User, str]]:
    """Who signs the minutes, and as what (decision): the president of the first sitting jury
    presides the session; every other juror of the sitting juries signs as a member."""
    result, seen = [], set()
    for index, jury in enumerate(sitting_juries(session)):
        for juror in _jurors_of(jury):
            if juror.id in seen:
                continue
            seen.add(juror.id)
            role = PRESIDENT if index == 0 and juror.id == jury.president_id else MEMBER
            result.append((juror, role))
    return result


def final_grids(exams: list[Exam], lay: Layout) -> dict[int, dict[int, bool | None]]:
    """Final values (criterion id -> value) of the closed deliberations, read only.

    Same rule as the deliberation (grading.services): the agreed value, else the
    president's casting vote, unless the jury recorded another. Two queries in all.
    """
    closed = [e for e in exams if e.phase == CLOSED]
    if not closed:
        return {}
    ids = [e.id for e in closed]
    marks: dict[tuple[int, int], dict[int, bool]] = {}
    for exam_id, juror_id, criterion_id, value in db.session.execute(
            db.select(Grid.exam_id, Grid.juror_id, Mark.criterion_id, Mark.value)
            .join(Mark, Mark.grid_id == Grid.id).where(Grid.exam_id.in_(ids))):
        marks.setdefault((exam_id, juror_id), {})[criterion_id] = value
    jury_marks: dict[int, dict[int, bool]] = {}
    for exam_id, criterion_id, value in db.session.execute(
            db.select(DeliberationMark.exam_id, DeliberationMark.criterion_id, DeliberationMark.value)
            .where(DeliberationMark.exam_id.in_(ids))):
        jury_marks.setdefault(exam_id, {})[criterion_id] = value
    finals = {}
    for exam in closed:
        president_id = exam.president_id or exam.jury.president_id
        other_id = next((m.juror_id for m in exam.jury.members if m.juror_id != president_id), None)
        merged = rules.merge_grids(lay.scheme.criteria, marks.get((exam.id, president_id), {}),
                                   marks.get((exam.id, other_id), {}), jury_marks.get(exam.id, {}))
        finals[exam.id] = rules.final_values(merged)
    return finals


def _person(user) -> minutes_content.Person:
    return minutes_content.Person(user.id, user.full_name)


def default_opened_at(session: ExamSession, exams: list[Exam]) -> datetime:
    return min((e.starts_at for e in exams), default=session.starts_at)


def default_closed_at(exams: list[Exam]) -> datetime | None:
    return max((e.closed_at for e in exams if e.closed_at is not None), default=None)


def default_place(session: ExamSession) -> str:
    return session.place or REMOTE_PLACE


def live_content(session: ExamSession, minutes: Minutes | None) -> dict:
    """The minutes as they would be signed now (exams not closed have no grid yet)."""
    lay = layout(session.referential_id)
    exams = participants(session)
    finals = final_grids(exams, lay)
    ref = session.referential
    details = ref.details or {}
    people = signers(session)
    president = next((u for u, role in people if role == PRESIDENT), None)
    facts = []
    for exam in exams:
        final_by_id = finals.get(exam.id)
        final = ({lay.criteria[k].code: v for k, v in final_by_id.items()}
                 if final_by_id is not None else {})
        result = rules.score(lay.scheme, final_by_id) if final_by_id is not None else None
        facts.append(minutes_content.ExamFacts(
            exam_id=exam.id, candidate=minutes_content.Person(exam.candidate.id, exam.candidate.full_name),
            jury_id=exam.jury_id, jury_label=exam.jury.label, starts_at=exam.starts_at,
            duration_minutes=exam.duration_minutes, closed=exam.phase == CLOSED,
            closed_at=exam.closed_at, final=final, result=result,
            president_comment=exam.president_comment))
    minutes = minutes or Minutes()
    return minutes_content.build(
        session={"id": session.id, "number": session.number, "mode": session.mode,
                 "starts_at": minutes_content._time(session.starts_at),
                 "date": to_paris(session.starts_at).date().isoformat()},
        referential={"id": ref.id, "code": ref.code, "version": ref.version, "title": ref.title,
                     "document_title": ref.document_title, "rule": ref.rule,
                     "max_points": minutes_content._decimal(ref.max_points),
                     "pass_mark": minutes_content._decimal(ref.pass_mark),
                     "registration": details.get("registration") or {}},
        president=_person(president) if president else None,
        members=[_person(u) for u, role in people if role == MEMBER],
        juries=[minutes_content.JuryFacts(j.id, j.label, _person(j.president) if j.president else None,
                                          tuple(_person(u) for u in _jurors_of(j)))
                for j in sitting_juries(session)],
        exams=facts,
        opened_at=minutes.opened_at or default_opened_at(session, exams),
        closed_at=minutes.closed_at or default_closed_at(exams),
        place=minutes.place or default_place(session),
        observations=minutes.observations,
        parts=minutes_content.parts_of(details))


def sign_problems(session: ExamSession, exams: list[Exam]) -> list[str]:
    """What remains before the minutes can be signed (French), empty when nothing."""
    problems = []
    if session.status == CANCELLED:
        problems.append("la session est annulée")
    for exam in exams:
        if exam.phase != CLOSED:
            problems.append(f"la délibération de {exam.candidate.full_name} ({exam.jury.label}) "
                            "n'est pas close")
    conflicts = conflicts_for_exams([e.id for e in exams]) if exams else {}
    for exam in exams:
        for declaration in conflicts.get(exam.id, []):
            problems.append(f"{declaration.juror.full_name} a déclaré connaître "
                            f"{exam.candidate.full_name} : le responsable d'organisation doit "
                            "confier ce candidat à un autre jury")
    return problems


@dataclass
class MinutesState:
    session: ExamSession
    layout: Layout
    minutes: Minutes | None
    content: dict
    exams: list[Exam]
    signers: list[tuple[User, str]]
    signatures: list = field(default_factory=list)  # MINUTES signatures, oldest first
    problems: list[str] = field(default_factory=list)

    @property
    def locked(self) -> bool:
        return self.minutes is not None and self.minutes.locked_at is not None

    @property
    def signed(self) -> bool:
        return self.minutes is not None and self.minutes.signed_at is not None

    @property
    def visa_given(self) -> bool:
        return self.minutes is not None and self.minutes.visa_at is not None

    def signature_of(self, user_id: int):
        return next((s for s in self.signatures if s.user_id == user_id
                     and s.signer_role != ORGANISER_ROLE), None)

    @property
    def visa(self):
        return next((s for s in self.signatures if s.signer_role == ORGANISER_ROLE), None)

    def role_of(self, user) -> str | None:
        return next((role for u, role in self.signers if u.id == user.id), None)

    @property
    def missing(self) -> list[User]:
        return [u for u, _ in self.signers if self.signature_of(u.id) is None]

    def is_jury_president(self, user) -> bool:
        return any(j.president_id == user.id for j in sitting_juries(self.session))

    @property
    def content_sha256(self) -> str:
        """The fingerprint of the content shown: the frozen one, else the one a signature
        would freeze now. Signing forms carry it, so that one signs only what one saw."""
        if self.locked:
            return self.minutes.content_sha256
        return minutes_content.freeze(self.content)[1]


def minutes_state(session_id: int) -> MinutesState:
    session = _load_session(session_id)
    minutes = minutes_of(session_id)
    exams = participants(session)
    locked = minutes is not None and minutes.locked_at is not None
    content = (minutes_content.thaw(minutes.content) if locked
               else live_content(session, minutes))
    signatures = signatures_of(MINUTES, [minutes.id])[minutes.id] if minutes is not None else []
    return MinutesState(session, layout(session.referential_id), minutes, content, exams,
                        signers(session), signatures,
                        [] if locked else sign_problems(session, exams))


def juror_state(user, session_id: int) -> MinutesState:
    """The minutes for a juror sitting on a jury of the session; NotFound otherwise."""
    state = minutes_state(session_id)
    if state.role_of(user) is None:
        raise NotFound(MSG_NOT_SITTING)
    return state


def may_read(user, session: ExamSession) -> bool:
    """The organiser, or a juror sitting on the session."""
    return user.has_role(ORGANISER) or any(u.id == user.id for u, _ in signers(session))


# --- Editing before the first signature --------------------------------------------------

@dataclass(frozen=True)
class MinutesFields:
    observations: str | None
    opened_at: str | None  # "HH:MM", Paris time, on the session's day
    closed_at: str | None
    place: str | None


def _parse_time(session: ExamSession, raw: str | None, field_name: str, label: str) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        hours, minutes = raw.replace("h", ":").split(":")
        at = time(int(hours), int(minutes or 0))
    except ValueError:
        raise FieldError(field_name, f"{label} : indiquez une heure au format HH:MM, par exemple "
                                     "09:00.") from None
    return paris_to_utc(to_paris(session.starts_at).date(), at)


def _clean_text(raw: str | None, limit: int, field_name: str, label: str, *, lines: bool) -> str | None:
    text = clean_text(raw, one_line=not lines)
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise FieldError(field_name, f"{label} contient un caractère invalide.")
    if len(text) > limit:
        raise FieldError(field_name, f"{label} ne doit pas dépasser {limit} caractères.")
    return text or None


def save(user, session_id: int, fields: MinutesFields) -> Minutes:
    """A jury president completes the minutes (observations, times, place) before signing."""
    with write_transaction():
        session = _locked_session(session_id)
        state = juror_state(user, session.id)
        if not state.is_jury_president(user):
            raise Forbidden(MSG_PRESIDENT_ONLY)
        if state.locked:
            raise Conflict(MSG_LOCKED)
        opened = _parse_time(session, fields.opened_at, "opened_at", "Heure d'ouverture")
        closed = _parse_time(session, fields.closed_at, "closed_at", "Heure de clôture")
        if opened and closed and closed < opened:
            raise FieldError("closed_at", "L'heure de clôture doit suivre l'heure d'ouverture.")
        observations = _clean_text(fields.observations, MAX_OBSERVATIONS, "observations",
                                   "L'observation", lines=True)
        place = _clean_text(fields.place, MAX_PLACE, "place", "Le lieu", lines=False)
        minutes = _minutes_row(session.id)
        old = _editable(minutes)
        minutes.observations, minutes.opened_at, minutes.closed_at, minutes.place = (
            observations, opened, closed, place)
        new = _editable(minutes)
        if old != new:
            minutes.updated_at, minutes.updated_by_id = utcnow(), user.id
            db.session.flush()
            record(user, "minutes.update", "minutes", minutes.id, old, new, session_id=session.id)
    return minutes


def _editable(minutes: Minutes) -> str:
    def when(value):
        return value.isoformat(timespec="minutes") if value else "–"
    return (f"ouverture {when(minutes.opened_at)}, clôture {when(minutes.closed_at)}, "
            f"lieu {minutes.place or '–'}, observations {minutes.observations or '–'}")


def _locked_session(session_id: int) -> ExamSession:
    """Inside a write transaction: the session row, locked (PostgreSQL) to serialise its minutes."""
    session = db.session.scalar(
        db.select(ExamSession).where(ExamSession.id == session_id)
        .with_for_update(of=ExamSession).execution_options(populate_existing=True))
    if session is None:
        raise NotFound("Session introuvable.")
    return session


def _minutes_row(session_id: int) -> Minutes:
    minutes = db.session.scalar(db.select(Minutes).where(Minutes.session_id == session_id)
                                .execution_options(populate_existing=True))
    if minutes is None:
        minutes = Minutes(session_id=session_id)
        db.session.add(minutes)
        db.session.flush()
    return minutes


# --- Signing: the first signature freezes the content and locks the grades ---------------

def _lock_exam_rows(session_id: int) -> None:
    """PostgreSQL: hold the session's exam rows so that no grading write slips in while the
    content is frozen (a concurrent mark waits, then sees the minutes locked)."""
    if db.engine.dialect.name == "sqlite":
        return  # the write transaction holds the database's single write lock already
    db.session.execute(
        db.select(Exam.id).join(Jury, Exam.jury_id == Jury.id)
        .where(Jury.session_id == session_id).with_for_update(of=Exam)).all()


def sign(user, session_id: int, mark, content_sha256: str | None) -> Minutes:
    """A juror signs the minutes whose fingerprint `content_sha256` their page displayed."""
    seen = seen_fingerprint(content_sha256)
    with write_transaction():
        session = _locked_session(session_id)
        _lock_exam_rows(session.id)
        state = juror_state(user, session.id)
        role = state.role_of(user)
        if not state.locked and state.problems:
            raise Conflict(MSG_NOT_READY.format(problems="; ".join(state.problems) + "."))
        require_same_content(seen, state.content_sha256)
        minutes = _minutes_row(session.id)
        if minutes.locked_at is None:
            _freeze(user, minutes, state.content, state)  # exactly the content just checked
        add_signature(MINUTES, minutes.id, signer_key=user_key(user), role=role,
                      name=user.full_name, content=minutes.content, mark=mark,
                      auth_method="login", user=user)
        signed = {s.user_id for s in signatures_of(MINUTES, [minutes.id])[minutes.id]}
        if minutes.signed_at is None and all(u.id in signed for u, _ in state.signers):
            minutes.signed_at = utcnow()
            record(user, "minutes.signed", "minutes", minutes.id, None, minutes.content_sha256,
                   session_id=session.id, signers=len(state.signers))
    return minutes


def _freeze(user, minutes: Minutes, content: dict, state: MinutesState) -> None:
    text, sha = minutes_content.freeze(content)
    minutes.content, minutes.content_sha256, minutes.locked_at = text, sha, utcnow()
    # The row says what was signed, defaults included.
    minutes.opened_at = minutes_content.parse_time(content["opened_at"])
    minutes.closed_at = minutes_content.parse_time(content["closed_at"])
    minutes.place = content["place"]
    record(user, "minutes.lock", "minutes", minutes.id, None, sha,
           session_id=state.session.id, exams=len(content["exams"]))


# --- The organiser's visa -----------------------------------------------------------------

@dataclass(frozen=True)
class PendingSignature:
    """The visa as the sealed PDF shows it, before its row exists (same mark, same content)."""

    method: str
    image_png: bytes | None
    typed_name: str | None
    signer_name: str
    signed_at: datetime
    content_sha256: str
    signer_role: str = ORGANISER_ROLE
    user_id: int | None = None


def general_filename(session: ExamSession) -> str:
    return f"proces-verbal-session-{session.number}.pdf"


def visa(user, session_id: int, mark, content_sha256: str | None) -> Minutes:
    """The organiser's visa once every juror signed; the general minutes are sealed with it.

    The PDF is built and sealed before the write transaction (it takes time); the
    transaction then checks that nothing changed meanwhile."""
    seen = seen_fingerprint(content_sha256)
    state = minutes_state(session_id)
    _require_visa_possible(state)
    require_same_content(seen, state.content_sha256)  # before the costly seal
    pending = PendingSignature(mark.method, mark.image_png, mark.typed_name, user.full_name,
                               utcnow(), state.minutes.content_sha256, user_id=user.id)
    data = pdfs.render_general(state, visa=pending)
    sealed = seal_pdf(data, reason=f"Procès-verbal signé de la session n° {state.session.number}")
    expected = (state.minutes.id, state.minutes.content_sha256, len(state.signatures))
    with write_transaction():
        session = _locked_session(session_id)
        minutes = _minutes_row(session.id)
        now = minutes_state(session.id)
        _require_visa_possible(now)
        require_same_content(seen, now.content_sha256)
        if (minutes.id, minutes.content_sha256, len(now.signatures)) != expected:
            raise Conflict(MSG_CHANGED)
        # The time printed in the sealed PDF is the signature's own.
        signature = add_signature(MINUTES, minutes.id, signer_key=user_key(user), role=ORGANISER_ROLE,
                                  name=user.full_name, content=minutes.content, mark=mark,
                                  auth_method="login", user=user, signed_at=pending.signed_at)
        minutes.visa_at, minutes.visa_by_id = pending.signed_at, user.id
        document = store_sealed(SEALED_MINUTES, session.id, general_filename(session), sealed)
        record(user, "minutes.visa", "minutes", minutes.id, None, minutes.content_sha256,
               session_id=session.id, signature_id=signature.id, sealed_sha256=document.sha256)
    return minutes


def _require_visa_possible(state: MinutesState) -> None:
    if state.visa_given:
        raise Conflict(MSG_VISA_DONE)
    if not state.signed:
        missing = ", ".join(u.full_name for u in state.missing) or "aucun juré n'a signé"
        raise Conflict(MSG_VISA_TOO_EARLY.format(missing=f"signature attendue de {missing}"
                                                 if state.missing else missing))


# --- Documents of one exam ------------------------------------------------------------

def exam_for_viewer(user, exam_id: int, *, grid: bool = False) -> Exam:
    """An exam the viewer may read: the organiser, or a juror of the exam's own jury (a juror
    of another jury of the session signs the general minutes, not this candidate's papers)."""
    exam = get_row(Exam, exam_id, MSG_NO_EXAM)
    if not user.has_role(ORGANISER) and not _sits_on(user, exam.jury_id):
        raise NotFound(MSG_NO_EXAM)
    if grid and exam.phase != CLOSED and not user.has_role(ORGANISER):
        raise Conflict(MSG_NO_GRID_YET)
    return exam


def _sits_on(user, jury_id: int) -> bool:
    return db.session.scalar(db.select(JuryMember.id).filter_by(jury_id=jury_id, juror_id=user.id)
                             .limit(1)) is not None


def session_for_viewer(user, session_id: int) -> ExamSession:
    session = db.session.get(ExamSession, session_id)
    if session is None or not may_read(user, session):
        raise NotFound("Session introuvable.")
    return session


def individual_filename(exam: Exam) -> str:
    return f"proces-verbal-individuel-{exam.jury.session.number}-{_candidate_slug(exam)}.pdf"


def grid_filename(exam: Exam) -> str:
    return f"grille-evaluation-{exam.jury.session.number}-{_candidate_slug(exam)}.pdf"


def _candidate_slug(exam: Exam) -> str:
    return slug(exam.candidate.full_name, fallback="candidat")


def general_minutes_pdf(session: ExamSession) -> bytes:
    """The general minutes as they stand (a draft until the first signature)."""
    return pdfs.render_general(minutes_state(session.id))


def individual_minutes_pdf(exam: Exam) -> bytes:
    return pdfs.render_individual(minutes_state(exam.jury.session_id), exam)


def grid_pdf(exam: Exam) -> bytes:
    return pdfs.render_grid(minutes_state(exam.jury.session_id), exam)


def general_document(session: ExamSession) -> tuple[str, bytes]:
    """The sealed general minutes once the visa is given, else the document as it stands."""
    minutes = minutes_of(session.id)
    if minutes is not None and minutes.visa_at is not None:
        found = read_sealed(SEALED_MINUTES, session.id)
        if found is not None:
            return found
    return general_filename(session), general_minutes_pdf(session)


def individual_document(exam: Exam) -> tuple[str, bytes]:
    return _sealed_after_visa(SEALED_INDIVIDUAL, exam, individual_filename(exam),
                              lambda: individual_minutes_pdf(exam),
                              f"Procès-verbal individuel de {exam.candidate.full_name}, session "
                              f"n° {exam.jury.session.number}")


def grid_document(exam: Exam) -> tuple[str, bytes]:
    return _sealed_after_visa(SEALED_GRID, exam, grid_filename(exam), lambda: grid_pdf(exam),
                              f"Grille d'évaluation de {exam.candidate.full_name}, session "
                              f"n° {exam.jury.session.number}")


def exam_documents(exam: Exam) -> list[tuple[str, bytes]]:
    """The candidate's individual minutes and grid: sealed once the visa is given, else drafts.
    None for a candidate who did not sit (absent, moved, or before a stopped jury)."""
    if exam.status != SCHEDULED or exam.jury.stopped_at is not None:
        return []
    return [individual_document(exam), grid_document(exam)]


def _sealed_after_visa(kind: str, exam: Exam, filename: str, build, reason: str) -> tuple[str, bytes]:
    minutes = minutes_of(exam.jury.session_id)
    if minutes is None or minutes.visa_at is None:
        return filename, build()
    found = read_sealed(kind, exam.id)
    if found is not None:
        return found
    sealed = seal_pdf(build(), reason=reason)  # outside the write transaction: it takes time

    def store():
        if db.session.scalar(db.select(SealedDocument.id).filter_by(kind=kind, subject_id=exam.id)):
            return  # sealed meanwhile by another download: keep the first
        try:
            with db.session.begin_nested():
                store_sealed(kind, exam.id, filename, sealed)
        except IntegrityError:
            pass
    if db.session.info.get("in_write_transaction"):
        store()
    else:
        with write_transaction():
            store()
    return read_sealed(kind, exam.id) or (filename, sealed)


def session_day_label(session: ExamSession) -> str:
    return french_date(session.starts_at)
