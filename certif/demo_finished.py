"""Demo data: an RS6240 session held three weeks ago and finished, for `make run` to show
what follows an exam day (issue 13): the results of three candidates, graded by both jurors
and deliberated, the minutes signed by both jurors with the organiser's visa, two
certificates produced (one valid, one revoked with its reason) and the unfavourable
candidate's pending appeal, filed from their personal link, with their retake window open.

Everything goes through the services (signed, audited), each step on the day and at the hour
it would have happened: the clock is set back for it (`timeutil.clock_set_to`)."""
from __future__ import annotations

import os
from datetime import date, time, timedelta

from flask import current_app

from .candidates import holder_demo
from .candidates.links import make_token
from .candidates.models import Candidate
from .certificates.issuing import generate_certificates, issue_certificate
from .certificates.models import POST
from .certificates.queries import certificate_of
from .certificates.revocation import revoke_certificate
from .certificates.sending import send_all_results
from .convocations.sending import send_candidate, send_juror
from .examday.attendance import sign_candidate_here, sign_jury_attendance
from .examday.conditions.pages import juror_sheet
from .examday.conditions.rules import NOT_APPLICABLE_POSITIONS, POSITIONS
from .examday.conditions.writes import save_sheet, sign_sheet
from .examday.content import candidate_content, jury_content
from .examday.identity import IdentityFields, check_identity
from .extensions import db
from .grading import services as grading
from .grading.declarations import declare
from .grading.inputs import ShownResult
from .minutes import operations as minutes_ops
from .minutes.inputs import MinutesFields
from .minutes.state import minutes_state
from .portal import services as portal
from .referentials.services import layout
from .sessions.lifecycle import advance_session
from .sessions.models import (
    CONVENED,
    DELIBERATED,
    DRAFT,
    SESSION_CLOSED,
    Exam,
    ExamSession,
    Jury,
    JuryMember,
)
from .sessions.queries import latest_referentials
from .signatures.rules import content_sha256, parse_mark
from .timeutil import clock_set_to, paris_to_utc, paris_today

DAYS_AGO = 21
# (first name, last name, criteria the jurors mark "non acquis", and the one they disagree on).
CANDIDATES = [
    ("Jade", "Rousseau", (), None),
    ("Théo", "Blanc", ("Cr21",), "Cr20"),
    ("Zoé", "Henry", ("Cr8", "Cr9", "Cr10", "Cr15", "Cr16", "Cr17", "Cr18", "Cr24"), None),
    # Admitted; her declaration to the Caisse des Dépôts waits for her birth place (issue 15).
    ("Nina", "Perret", ("Cr3",), None),
]
REVOKED = 1  # Théo Blanc's certificate
REVOCATION = ("Certificat délivré sur une identité erronée : la pièce d'identité présentée à "
              "l'accueil n'était pas celle du candidat inscrit (signalement de l'organisme de "
              "formation, vérifié par la direction).")
APPEAL = 2  # Zoé Henry
APPEAL_GROUNDS = ("La connexion a été instable pendant la mise en situation sur la veille et "
                  "l'analyse des résultats (C3, C5) : je n'ai pas pu présenter mes tableaux de bord. "
                  "Je demande que mon épreuve soit réexaminée.")
COMMENTS = ["Prestation claire et structurée ; ligne éditoriale bien argumentée.",
            "Bonne maîtrise des outils ; la modération des commentaires reste à approfondir.",
            "Veille et mesure des résultats non démontrées ; compétences C3 et C5 à retravailler.",
            "Stratégie éditoriale solide ; diagnostic initial un peu rapide."]


def session_day(today: date) -> date:
    """A weekday three weeks before `today`."""
    day = today - timedelta(days=DAYS_AGO)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def load(organiser, president, member) -> ExamSession:
    """The finished session, built step by step on its days; returns it."""
    day = session_day(paris_today())
    referential = next(r for r in latest_referentials() if r.code == "RS6240")
    base_url = f"http://127.0.0.1:{os.environ.get('PORT') or 5000}"
    # A request context: the links printed in PDFs are absolute, and every signature keeps
    # its evidence (address and browser), as when signed from a page.
    with current_app.test_request_context(base_url=base_url, environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                          headers={"User-Agent": "certif (données de démonstration)"}):
        with clock_set_to(paris_to_utc(day - timedelta(days=20), time(10, 0))):
            session = _session(day, referential, president, member)
            holder_demo.load(e.candidate for e in session.juries[0].exams)  # issue 15
        with clock_set_to(paris_to_utc(day - timedelta(days=14), time(10, 0))):
            _convene(organiser, session)
        exams = sorted(session.juries[0].exams, key=lambda e: e.starts_at)
        for exam, (*_, failing, disputed), comment in zip(exams, CANDIDATES, COMMENTS, strict=True):
            _sit(exam.id, president, member, set(failing), disputed, comment)
        _conditions(president, member, session.juries[0].id, day)
        _minutes(organiser, president, member, session.id, day)
        with clock_set_to(paris_to_utc(day + timedelta(days=1), time(10, 0))):
            send_all_results(organiser, session.id)  # to the outbox when no SMTP server is set
        with clock_set_to(paris_to_utc(day + timedelta(days=2), time(10, 0))):
            generate_certificates(organiser, session.id)
            advance_session(organiser, session.id, SESSION_CLOSED)
        certificates = [c for c in (certificate_of(exam.id) for exam in exams) if c is not None]
        with clock_set_to(paris_to_utc(day + timedelta(days=3), time(9, 30))):
            for certificate in certificates:
                issue_certificate(organiser, certificate.id, POST, day + timedelta(days=3))
        with clock_set_to(paris_to_utc(day + timedelta(days=6), time(20, 15))):
            token = make_token(exams[APPEAL].candidate)
            portal.request_appeal(token, exams[APPEAL].id, APPEAL_GROUNDS)
        with clock_set_to(paris_to_utc(day + timedelta(days=12), time(14, 0))):
            revoke_certificate(organiser, certificates[REVOKED].id, REVOCATION, confirmed=True)
    return session


def _session(day: date, referential, president, member) -> ExamSession:
    """The session as the organiser prepared it: one jury, three candidates, 30 minutes each."""
    start = paris_to_utc(day, time(9, 0))
    session = ExamSession(number=f"{day.year}-RS6240-P1", referential=referential, mode="remote",
                          starts_at=start, status=DRAFT,
                          video_link=f"https://visio.example.org/certif-{day.year}-rs6240-p1")
    jury = Jury(position=1, president=president)
    jury.members = [JuryMember(juror=president, seat=1), JuryMember(juror=member, seat=2)]
    session.juries.append(jury)
    minutes = referential.exam_minutes
    for slot, (first, last, *_) in enumerate(CANDIDATES):
        email = f"{first.lower()}.{last.lower()}@exemple.fr".replace("é", "e").replace("ô", "o")
        candidate = Candidate(first_name=first, last_name=last, email=email, phone="06 00 00 00 00",
                              city="Paris", postal_code="75010",
                              training_end_date=day - timedelta(days=30))
        jury.exams.append(Exam(candidate=candidate, duration_minutes=minutes, position=slot + 1,
                               starts_at=start + timedelta(minutes=slot * minutes)))
    db.session.add(session)
    db.session.commit()
    return session


def _convene(organiser, session: ExamSession) -> None:
    hand = dict(handed_on=paris_today(), handed_by=organiser.full_name)
    jury = session.juries[0]
    for exam in list(jury.exams):
        send_candidate(organiser, exam.id, "hand", **hand)
    for juror in list(jury.jurors):
        send_juror(organiser, session.id, juror.id, "hand", **hand)
    advance_session(organiser, session.id, CONVENED)


def _typed(user_or_candidate):
    return parse_mark("typed", None, user_or_candidate.full_name)


def _sit(exam_id: int, president, member, failing: set[str], disputed: str | None,
         comment: str) -> None:
    """One candidate's sitting: the reception that opens the grid, both grids, the deliberation."""
    exam = db.session.get(Exam, exam_id)
    start = exam.starts_at
    with clock_set_to(start - timedelta(minutes=8)):
        for seat, juror in enumerate((president, member), start=1):
            declare(juror, exam_id, "none")
            sign_jury_attendance(juror, exam_id, _typed(juror),
                                 seen_sha256=content_sha256(jury_content(exam, juror, seat)))
        check_identity(president, exam_id, IdentityFields("cni", None, True, "camera"))
        sign_candidate_here(president, exam_id, _typed(exam.candidate),
                            seen_sha256=content_sha256(candidate_content(exam)))
    criteria = layout(exam.jury.session.referential_id).criteria
    with clock_set_to(start + timedelta(minutes=2)):
        for juror in (president, member):
            for criterion_id, criterion in criteria.items():
                acquired = criterion.code not in failing and not (
                    juror is member and criterion.code == disputed)
                grading.set_mark(juror, exam_id, criterion_id, "acquis" if acquired else "non_acquis")
    with clock_set_to(start + timedelta(minutes=24)):
        grading.open_deliberation(president, exam_id)
        if disputed:
            code_to_id = {c.code: i for i, c in criteria.items()}
            grading.record_jury_value(president, exam_id, code_to_id[disputed], "acquis")
        result = grading.deliberation(president, exam_id).result
        grading.close_deliberation(president, exam_id, confirmed=True, comment=comment,
                                   shown=ShownResult(result.total, result.decision))


def _conditions(president, member, jury_id: int, day: date) -> None:
    """At the end of the day the jurors fill the conditions sheet (annex 4): every condition
    respected, none of the day's candidates has an accommodation; both sign, which hands it."""
    answers = {n: None if n in NOT_APPLICABLE_POSITIONS else True for n in POSITIONS}
    with clock_set_to(paris_to_utc(day, time(10, 35))):
        save_sheet(president, jury_id, answers, "")
        for juror in (president, member):
            sign_sheet(juror, jury_id, _typed(juror),
                       seen_sha256=juror_sheet(juror, jury_id).content_sha256)


def _minutes(organiser, president, member, session_id: int, day: date) -> None:
    """The president completes the minutes, both jurors sign, the organiser gives the visa."""
    with clock_set_to(paris_to_utc(day, time(10, 45))):
        minutes_ops.save(president, session_id, MinutesFields(
            observations=None, opened_at="08:50", closed_at="10:40", place="Visioconférence"))
        for juror in (president, member):
            minutes_ops.sign(juror, session_id, _typed(juror), minutes_state(session_id).content_sha256)
    with clock_set_to(paris_to_utc(day, time(11, 0))):
        advance_session(organiser, session_id, DELIBERATED)
    with clock_set_to(paris_to_utc(day + timedelta(days=1), time(9, 30))):
        minutes_ops.visa(organiser, session_id, _typed(organiser),
                         minutes_state(session_id).content_sha256)


def summary() -> str | None:
    """What `make run` prints about the finished session (None when there is none)."""
    session = db.session.scalar(db.select(ExamSession).where(ExamSession.number.like("%-RS6240-P1")))
    if session is None:
        return None
    return (f"  Session terminée n° {session.number} (il y a trois semaines) : résultats et "
            f"certificats (un révoqué) sous /sessions/{session.id}/resultats, procès-verbal visé, "
            "un recours à trancher au tableau de bord")
