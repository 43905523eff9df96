"""Review fixes: one signs the minutes one saw (content fingerprint), the visa's time, and a
juror of another jury of the session gets no candidate's individual papers."""
from datetime import timedelta

from certif.audit.models import AuditEntry
from certif.candidates.models import Candidate
from certif.documents.models import SEALED_MINUTES, SealedDocument
from certif.extensions import db
from certif.minutes.models import Minutes
from certif.sessions.models import Exam, Jury, JuryMember
from certif.signatures.models import MINUTES, Signature

from ..factories.jurors import make_juror
from .helpers import give_visa, page_hash, sign, sign_form

CHANGED = "Le document a changé depuis que vous"
INCOMPLETE = "Le formulaire de signature est incomplet : rechargez la page."


def juror_url(setup, suffix=""):
    return f"/jury/sessions/{setup.session.id}/proces-verbal{suffix}"


def visa_url(setup):
    return f"/sessions/{setup.session.id}/proces-verbal/visa"


def minutes_row(setup) -> Minutes | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Minutes).filter_by(session_id=setup.session.id))


def signatures():
    return db.session.scalars(db.select(Signature).filter_by(document=MINUTES)).all()


# --- Jurors: the fingerprint of the page they signed -----------------------------------------

def test_a_juror_cannot_sign_minutes_edited_after_opening_them(closed_setup, make_web):
    s = closed_setup
    member = make_web(s.member)
    seen = page_hash(member, juror_url(s))
    # Meanwhile the president adds an observation.
    r = make_web(s.president).post(juror_url(s), {"opened_at": "", "closed_at": "", "place": "",
                                                  "observations": "Retard du candidat 2."})
    assert r.status_code == 303
    r = member.post(juror_url(s, "/signature"), sign_form("Marc Membre", seen))
    assert r.status_code == 409 and CHANGED in r.text
    assert "Revenir à la page précédente" in r.text
    assert signatures() == [] and minutes_row(s).locked_at is None
    assert not db.session.scalars(db.select(AuditEntry).filter_by(action="minutes.lock")).all()
    # Reloaded, the page shows the observation and its new fingerprint: the signature passes.
    page = member.get(juror_url(s))
    assert "Retard du candidat 2." in page.text
    assert sign(member, s, "Marc Membre").status_code == 303
    minutes = minutes_row(s)
    assert minutes.locked_at is not None and "Retard du candidat 2." in minutes.content
    [signature] = signatures()
    assert signature.content_sha256 == minutes.content_sha256 != seen


def test_the_fingerprint_shown_is_the_one_frozen(closed_setup, make_web):
    s = closed_setup
    president = make_web(s.president)
    seen = page_hash(president, juror_url(s))
    assert president.post(juror_url(s, "/signature"), sign_form(content_sha256=seen)).status_code == 303
    assert minutes_row(s).content_sha256 == seen
    # The other juror, after the freeze, is shown (and signs) the frozen fingerprint.
    assert page_hash(make_web(s.member), juror_url(s)) == seen


def test_a_stale_fingerprint_after_the_freeze_is_refused(closed_setup, make_web):
    s = closed_setup
    assert sign(make_web(s.president), s).status_code == 303
    r = make_web(s.member).post(juror_url(s, "/signature"), sign_form("Marc Membre", "a" * 64))
    assert r.status_code == 409 and CHANGED in r.text
    assert len(signatures()) == 1 and minutes_row(s).signed_at is None


def test_a_signature_without_a_usable_fingerprint_is_refused(closed_setup, make_web):
    s = closed_setup
    president = make_web(s.president)
    for bad in (None, "", "abc", "g" * 64, "a" * 65):
        r = president.post(juror_url(s, "/signature"), sign_form(content_sha256=bad))
        assert r.status_code == 400 and INCOMPLETE in r.text, bad
    assert signatures() == [] and minutes_row(s) is None


def test_htmx_refusal_is_plain_text(closed_setup, make_web):
    s = closed_setup
    r = make_web(s.president).post(juror_url(s, "/signature"), sign_form(content_sha256="b" * 64),
                                   htmx=True)
    assert r.status_code == 409 and r.mimetype == "text/plain" and r.text.startswith(CHANGED)


# --- The organiser's visa ----------------------------------------------------------------------

def sign_all(setup, make_web):
    assert sign(make_web(setup.president), setup).status_code == 303
    assert sign(make_web(setup.member), setup, "Marc Membre").status_code == 303


def nothing_visaed(setup):
    minutes = minutes_row(setup)
    assert minutes.visa_at is None
    assert not [sig for sig in signatures() if sig.signer_role == "organiser"]
    assert db.session.scalar(db.select(SealedDocument).filter_by(kind=SEALED_MINUTES)) is None


def test_visa_refused_with_a_stale_or_missing_fingerprint(closed_setup, make_web, organiser_user):
    s = closed_setup
    sign_all(s, make_web)
    org = make_web(organiser_user)
    r = org.post(visa_url(s), sign_form("Olga Organisatrice", "c" * 64))
    assert r.status_code == 409 and CHANGED in r.text
    nothing_visaed(s)
    r = org.post(visa_url(s), sign_form("Olga Organisatrice"))
    assert r.status_code == 400 and INCOMPLETE in r.text
    nothing_visaed(s)
    assert give_visa(org, s).status_code == 303
    assert minutes_row(s).visa_at is not None


def test_visa_signature_time_is_the_one_sealed(closed_setup, make_web, organiser_user):
    s = closed_setup
    sign_all(s, make_web)
    assert give_visa(make_web(organiser_user), s).status_code == 303
    minutes = minutes_row(s)
    visa = next(sig for sig in signatures() if sig.signer_role == "organiser")
    assert visa.signed_at == minutes.visa_at
    assert visa.content_sha256 == minutes.content_sha256


# --- Individual papers: the exam's own jury only ----------------------------------------------

def add_second_jury(setup):
    """Jury 2 of the same session, with its own two jurors and one candidate."""
    president, member = make_juror("Paul", "Deuxieme"), make_juror("Mia", "Deuxieme")
    jury = Jury(position=2, president=president)
    jury.members = [JuryMember(juror=president, seat=1), JuryMember(juror=member, seat=2)]
    jury.exams.append(Exam(candidate=Candidate(first_name="Zoe", last_name="Autrejury"),
                           duration_minutes=setup.exam.duration_minutes,
                           starts_at=setup.session.starts_at + timedelta(hours=3)))
    setup.session.juries.append(jury)
    db.session.commit()
    return president, member


def test_a_juror_of_another_jury_gets_no_individual_papers(closed_setup, make_web, organiser_user):
    s = closed_setup
    other_president, other_member = add_second_jury(s)
    for juror in (other_president, other_member):
        client = make_web(juror)
        assert client.get(f"/examens/{s.exam.id}/proces-verbal.pdf").status_code == 404
        assert client.get(f"/examens/{s.exam.id}/grille.pdf").status_code == 404
        # The general minutes stay theirs: they sign them.
        r = client.get(f"/sessions/{s.session.id}/proces-verbal.pdf")
        assert r.status_code == 200 and r.mimetype == "application/pdf"
    # The exam's own jurors and the organiser still get them.
    for user in (s.president, s.member, organiser_user):
        client = make_web(user)
        assert client.get(f"/examens/{s.exam.id}/proces-verbal.pdf").status_code == 200
        assert client.get(f"/examens/{s.exam.id}/grille.pdf").status_code == 200
