"""Helpers of the council tests: the day the council's pages run on, and the indicators'
hand-built fixture (described in test_indicators_csv.py)."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from certif.candidates.models import Candidate
from certif.council.models import VERIFIED
from certif.examday.models import IdentityCheck
from certif.extensions import db
from certif.grading.rules import FAVORABLE, UNFAVORABLE
from certif.sessions.models import Exam, ExamSession, Jury

from ..factories.blocks import validate_blocks
from ..factories.council import make_action, make_anomaly, make_meeting, make_review
from ..factories.examday import make_breach_sheet
from ..factories.sessions import referential

# The day the council's page tests run on (Paris), nine days after exam_setup's session.
COUNCIL_DAY = date(2026, 12, 10)


F, U = FAVORABLE, UNFAVORABLE


TODAY = date(2027, 1, 20)  # Paris: IND-A, IND-C, IND-B held; IND-D to come


def add_session(code, number, starts_at, exams=(), status="convened"):
    """A session with one jury and its exams: (status, decision or None when not closed)."""
    session = ExamSession(number=number, referential=referential(code), starts_at=starts_at,
                          status=status)
    jury = Jury(position=1)
    session.juries.append(jury)
    for i, (exam_status, decision) in enumerate(exams):
        jury.exams.append(Exam(
            candidate=Candidate(first_name="Alex", last_name=f"{number}-{i}"),
            starts_at=starts_at + timedelta(minutes=30 * i), duration_minutes=30, position=i + 1,
            status=exam_status, phase="closed" if decision else "grading", decision=decision))
    db.session.add(session)
    db.session.commit()
    return session


def verified(review, adopted_at, verified_at, **kwargs):
    return make_action(review, status=VERIFIED, adopted_at=adopted_at, verified_at=verified_at,
                       evidence_text="Preuve jointe.", **kwargs)


@dataclass
class Fixture:
    a: ExamSession
    b: ExamSession
    c: ExamSession
    d: ExamSession
    x: ExamSession


def build_fixture(reporter) -> Fixture:
    a = add_session("RS6240", "IND-A", datetime(2026, 12, 1, 8, 0), [
        ("scheduled", F), ("scheduled", U), ("scheduled", F), ("absent_unexcused", None),
        ("moved", None), ("scheduled", None)])
    b = add_session("RS6240", "IND-B", datetime(2027, 1, 15, 8, 0), [
        ("scheduled", F), ("scheduled", U), ("absent_excused", None)])
    c = add_session("RNCP-CM", "IND-C", datetime(2026, 12, 10, 13, 0), [
        ("scheduled", F), ("scheduled", F), ("absent_unexcused", None)])
    d = add_session("RNCP-CM", "IND-D", datetime(2027, 2, 1, 8, 0), [("scheduled", None)])
    x = add_session("RS6240", "IND-X", datetime(2026, 12, 5, 8, 0), [("scheduled", F)],
                    status="cancelled")

    a_exams, b_exams = a.juries[0].exams, b.juries[0].exams
    a_exams[4].moved_to = b_exams[1]
    b_exams[0].retake_of = a_exams[1]
    b_exams[2].retake_of = a_exams[1]
    # The exam of IND-A still in grading: the jury checked the candidate's identity (sat).
    db.session.add(IdentityCheck(exam=a_exams[5], document_type="cni", convocation_checked=True,
                                 mode="camera", checked_by_id=reporter.id))
    db.session.commit()
    # RNCP blocks: IND-C's first candidate validated the three blocks; the second BC02 and
    # BC03 (BC01 kept from an earlier attempt), and a BC03 revoked since: 3 + 1 count.
    c_exams = c.juries[0].exams
    validate_blocks(c_exams[0], ("BC01", "BC02", "BC03"))
    revoked = validate_blocks(c_exams[1], ("BC02", "BC03"))[1]
    revoked.revoked_at, revoked.revocation_reason = datetime(2027, 1, 5), "Fraude établie."
    db.session.commit()

    # Anomaly sheets, and the actions adopted on them.
    a1 = make_anomaly(a, reporter)
    make_anomaly(a, reporter, anomaly_type="organisation")
    review_a1 = make_review(anomaly=a1)
    verified(review_a1, datetime(2026, 12, 5, 10, 0), datetime(2026, 12, 15, 10, 0))  # 10 d
    verified(review_a1, datetime(2026, 12, 5, 10, 0), datetime(2026, 12, 8, 22, 0))  # 3,5 d
    make_action(review_a1, title="Adoptée, pas encore vérifiée")
    c1 = make_anomaly(c, reporter)
    verified(make_review(anomaly=c1), datetime(2026, 12, 12, 9, 0), datetime(2026, 12, 14, 15, 0))

    # Conditions sheets (annex 4).
    breach_a = make_breach_sheet(a.juries[0], breached=(3, 11))
    make_breach_sheet(a.juries[0], day=date(2026, 12, 2), handed=False, breached=(1, 2, 3))
    verified(make_review(conditions=breach_a), datetime(2026, 12, 6, 0, 0),
             datetime(2026, 12, 7, 12, 0))  # 1,5 d
    make_breach_sheet(c.juries[0], breached=(11,))
    make_breach_sheet(b.juries[0], breached=())

    # The cancelled session's figures, and an action of a meeting only: never counted.
    x1 = make_anomaly(x, reporter)
    verified(make_review(anomaly=x1), datetime(2026, 12, 6, 0, 0), datetime(2026, 12, 30, 0, 0))
    make_breach_sheet(x.juries[0], breached=(1,))
    verified(None, datetime(2026, 12, 6, 0, 0), datetime(2027, 3, 1, 0, 0),
             meeting=make_meeting(held_on=date(2026, 12, 6)))
    return Fixture(a, b, c, d, x)


