"""An unfavourable decision for a juror who still sits on a jury at work is refused
(409): grading refuses a juror without habilitation, so their candidates would be
stranded. The organiser replaces them in the jury first."""
from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.jurors.models import JurorHabilitation
from certif.sessions.models import CLOSED, DELIBERATION
from certif.timeutil import utcnow

from ..factories.sessions import make_exam

UNFAVOURABLE = {"rs6240-result": "unfavourable", "rs6240-comment": "Conditions non remplies."}


def decide(web, juror_user, data=UNFAVOURABLE, code="RS6240"):
    return web.post(f"/jures/{juror_user.id}/habilitations/{code}", data)


def result_of(juror_user, code="RS6240"):
    return db.session.scalar(db.select(JurorHabilitation.result).filter_by(
        juror_id=juror_user.id, referential_code=code))


def decisions(juror_user):
    return db.session.scalars(db.select(AuditEntry).filter_by(action="juror.decide",
                                                              entity_id=juror_user.id)).all()


def test_unfavourable_is_refused_while_the_juror_grades(organiser):
    setup = make_exam("RS6240")
    response = decide(organiser, setup.member)
    assert response.status_code == 409
    assert f"session n° {setup.session.number} (Jury 1)" in response.text
    assert "remplacez-le d&#39;abord dans ce jury" in response.text
    assert "<html" in response.text and 'id="habilitation-rs6240"' in response.text  # the page, with the form
    assert result_of(setup.member) == "favourable" and decisions(setup.member) == []
    # Grading RS6240 says nothing of the title: that decision is not refused.
    title = {"rncp-cm-result": "unfavourable", "rncp-cm-comment": "Hors du métier."}
    assert decide(organiser, setup.member, title, "RNCP-CM").status_code == 303
    assert result_of(setup.member, "RNCP-CM") == "unfavourable"


def test_unfavourable_is_refused_while_the_jury_deliberates(organiser):
    setup = make_exam("RS6240")
    setup.exam.phase = DELIBERATION
    setup.jury.stopped_at = utcnow()  # a carence stops grading, not open deliberations
    db.session.commit()
    assert decide(organiser, setup.president).status_code == 409
    assert result_of(setup.president) == "favourable"


def test_the_refusal_names_every_session_still_at_work(organiser):
    first = make_exam("RS6240")
    second = make_exam("RS6240", president=first.member)
    response = decide(organiser, first.member)
    assert response.status_code == 409
    assert first.session.number in response.text and second.session.number in response.text


def test_unfavourable_is_recorded_once_nothing_is_left_to_grade(organiser):
    setup = make_exam("RS6240")
    setup.exam.phase = CLOSED
    db.session.commit()
    assert decide(organiser, setup.member).status_code == 303
    assert result_of(setup.member) == "unfavourable"


def test_unfavourable_is_recorded_for_a_cancelled_or_stopped_jury(organiser):
    cancelled = make_exam("RS6240")
    cancelled.session.status = "cancelled"
    stopped = make_exam("RS6240")
    stopped.jury.stopped_at = utcnow()  # carence: its candidates go to a replacement session
    db.session.commit()
    assert decide(organiser, cancelled.member).status_code == 303
    assert decide(organiser, stopped.member).status_code == 303
    assert result_of(cancelled.member) == result_of(stopped.member) == "unfavourable"


def test_a_favourable_decision_is_never_refused(organiser):
    setup = make_exam("RS6240")
    response = decide(organiser, setup.member, {"rs6240-result": "favourable",
                                                "rs6240-comment": "Confirmé."})
    assert response.status_code == 303
    assert len(decisions(setup.member)) == 1
