"""A session's minutes as every page, document and operation sees them (`MinutesState`),
and who may read them."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..auth.models import ORGANISER, User
from ..errors import NotFound
from ..extensions import db
from ..referentials.services import Layout, layout
from ..sessions.models import Exam, ExamSession, Jury, JuryMember
from ..sessions.queries import sitting_exams, sitting_juries
from ..signatures.models import MINUTES
from ..signatures.services import signatures_of
from . import conduct
from . import content as minutes_content
from .live import live_content
from .models import ORGANISER_ROLE, Minutes
from .queries import minutes_of, sign_problems, signers

MSG_NOT_SITTING = "Session introuvable dans vos jurys."


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

    # Section 3 ("Déroulement des épreuves"): the record's sentences, else the fixed one.
    conduct_intro = conduct.INTRODUCTION
    nothing_to_report = conduct.NOTHING_TO_REPORT

    @property
    def conduct_lines(self) -> list[str]:
        return conduct.lines(self.content)

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
    exams = sitting_exams(session)
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
