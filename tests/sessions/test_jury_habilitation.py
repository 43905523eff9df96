"""A jury only takes jurors habilitated for its session's certification (issue 14, item 8):
the picker greys out the others, adding or changing a jury refuses them with the reason,
and convening the session checks the same."""
from certif.audit.models import AuditEntry
from certif.extensions import db
from certif.sessions.models import Jury

from ..factories.jurors import make_juror
from ..factories.sessions import make_jury, make_session
from .helpers import text

NOT_FOR_TITLE = "{name} n'est pas habilité(e) pour la certification Community manager : "


def jury_form(first, second, president="1"):
    return {"juror_1_id": str(first.id), "juror_2_id": str(second.id), "president_id": president}


def test_the_picker_greys_out_jurors_of_another_certification(app, organiser):
    title = make_session(code="RNCP-CM")
    make_juror("Julie", "Perrin", codes=("RS6240", "RNCP-CM"))
    rs_only = make_juror("Claire", "Fontaine", codes=("RS6240",))
    page = organiser.get(f"/sessions/{title.id}/jurys").text
    greyed = f'<option disabled value="{rs_only.id}">Claire FONTAINE (non habilité(e) pour cette '
    assert greyed + "certification)</option>" in page
    assert "Julie PERRIN</option>" in page
    assert "chacun habilité pour la certification Community manager" in page
    # The same juror is offered for an RS6240 session.
    rs = make_session()
    assert "Claire FONTAINE</option>" in organiser.get(f"/sessions/{rs.id}/jurys").text


def test_adding_a_jury_refuses_a_juror_not_habilitated_for_the_title(app, organiser):
    title = make_session(code="RNCP-CM")
    julie = make_juror("Julie", "Perrin", codes=("RNCP-CM",))
    claire = make_juror("Claire", "Fontaine", codes=("RS6240",))
    r = organiser.post(f"/sessions/{title.id}/jurys", jury_form(julie, claire))
    assert r.status_code == 400
    assert NOT_FOR_TITLE.format(name="Claire FONTAINE") + "habilitation en attente de décision." in text(r)
    assert db.session.scalar(db.select(db.func.count(Jury.id))) == 0
    assert not db.session.scalars(db.select(AuditEntry).filter_by(action="jury.create")).all()
    antoine = make_juror("Antoine", "Roussel", codes=("RNCP-CM",))
    assert organiser.post(f"/sessions/{title.id}/jurys", jury_form(julie, antoine)).status_code == 303


def test_changing_a_jury_refuses_the_same_way(app, organiser):
    title = make_session(code="RNCP-CM")
    jury = make_jury(title)  # make_juror: habilitated for both certifications
    claire = make_juror("Claire", "Fontaine", "unfavourable", codes=("RNCP-CM",))
    r = organiser.post(f"/sessions/jurys/{jury.id}", jury_form(jury.jurors[0], claire))
    assert r.status_code == 400
    assert NOT_FOR_TITLE.format(name="Claire FONTAINE") + "habilitation défavorable." in text(r)
    assert [m.juror_id for m in db.session.get(Jury, jury.id).members] == [j.id for j in jury.jurors]


def test_convening_checks_the_sessions_certification(app, organiser):
    title = make_session(code="RNCP-CM")
    rs_only = make_juror("Claire", "Fontaine", codes=("RS6240",))
    make_jury(title, second=rs_only)  # composed before the rule: convening refuses it
    r = organiser.post(f"/sessions/{title.id}/statut", {"target": "convened"})
    assert r.status_code == 409
    assert "Jury 1 – " + NOT_FOR_TITLE.format(name="Claire FONTAINE") in text(r)
