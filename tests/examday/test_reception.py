"""The juror's reception page: jury attendance, identity check, the grading gate."""
import re
from html import unescape

from certif.audit.models import AuditEntry
from certif.examday.models import IdentityCheck
from certif.extensions import db
from certif.jurors.models import ConflictDeclaration
from certif.people import of
from certif.signatures.models import CANDIDATE_ATTENDANCE, JURY_ATTENDANCE, Signature
from certif.signatures.rules import sha256_text

from ..factories.examday import make_attendance
from ..factories.files import drawn_png
from ..factories.jurors import make_juror
from ..factories.sessions import make_exam
from .helpers import IDENTITY, TYPED, sign


def url(setup, path="accueil"):
    return f"/jury/examens/{setup.exam.id}/{path}"


def test_reception_page_shows_the_three_steps_to_do(setup, president):
    page = president.get(url(setup))
    assert page.status_code == 200
    text = page.text
    assert setup.exam.candidate.full_name in text
    assert "1. Émargement du jury" in text and "2. Vérification de l'identité" in text
    assert "3. Émargement du candidat" in text
    assert text.count('badge warn">À faire<') == 3
    assert 'aria-live="polite"' in text
    assert "Ouvrir la grille" in text and 'aria-disabled="true"' in text


def test_anonymous_goes_to_login_and_other_juror_gets_404(setup, web, make_web):
    response = web.get(url(setup))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    stranger = make_web(make_juror())
    assert stranger.get(url(setup)).status_code == 404
    assert stranger.post(url(setup, "identite"), IDENTITY).status_code == 404
    assert stranger.post(url(setup, "emargement-jure"), TYPED).status_code == 404
    assert db.session.scalar(db.select(db.func.count(IdentityCheck.id))) == 0


def test_juror_signs_jury_attendance_with_evidence(setup, president, member):
    response = sign(president, url(setup), url(setup, "emargement-jure"),
                              {"signature_method": "drawn", "signature_image": drawn_png()},
                              headers={"User-Agent": "TestBrowser/1.0"})
    assert response.status_code == 303
    sig = db.session.scalar(db.select(Signature).filter_by(document=JURY_ATTENDANCE))
    assert sig.signer_key == f"user:{setup.president.id}" and sig.auth_method == "login"
    assert sig.content_sha256 == sha256_text(sig.content)
    assert sig.user_agent == "TestBrowser/1.0" and sig.ip_address == "127.0.0.1"
    assert '"seat":1' in sig.content and "annexe 2" in sig.content
    # Both jurors see the state; the second signature is the member's own.
    page = member.get(url(setup)).text
    assert "signé le 1" in page or "signé le" in page
    assert sign(president, url(setup), url(setup, "emargement-jure"), TYPED).status_code == 409
    assert sign(member, url(setup), url(setup, "emargement-jure"), TYPED).status_code == 303
    assert db.session.scalar(db.select(db.func.count(Signature.id))
                             .filter_by(document=JURY_ATTENDANCE)) == 2


def test_empty_signature_is_400_and_nothing_written(setup, president):
    response = sign(president, url(setup), url(setup, "emargement-jure"), {"signature_method": "typed",
                                                            "signature_typed": "  "})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_identity_check_unlocks_grading_and_starts_the_session(setup, president, member):
    setup.session.status = "convened"
    db.session.commit()
    criterion = setup.criteria[0]
    mark_url = f"/jury/examens/{setup.exam.id}/grille/criteres/{criterion}"
    assert president.post(mark_url, {"value": "acquis"}).status_code == 409
    grid = president.get(f"/jury/examens/{setup.exam.id}/grille").text
    assert "grille-fermee" in grid and "disabled" in grid
    response = member.post(url(setup, "identite"), {**IDENTITY, "notes": "Photo conforme"})
    assert response.status_code == 303
    check = db.session.scalar(db.select(IdentityCheck))
    assert (check.checked_by_id, check.document_type, check.mode, check.notes) == \
        (setup.member.id, "cni", "camera", "Photo conforme")
    assert db.session.get(type(setup.session), setup.session.id).status == "in_progress"
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"identity.check", "session.status"} <= actions
    # Identity alone does not open the grid: the attendance sheets come first (issue 13, item 7).
    refused = president.post(mark_url, {"value": "acquis"}, htmx=True)
    assert refused.status_code == 409 and "émargement des deux jurés" in refused.text
    make_attendance(setup.exam, (setup.president, setup.member))
    assert president.post(mark_url, {"value": "acquis"}).status_code == 303
    # Recorded once: the other juror gets 409 saying who and when.
    again = president.post(url(setup, "identite"), IDENTITY)
    assert again.status_code == 409 and setup.member.full_name in again.text
    assert "Ouvrir la grille" in president.get(url(setup)).text


def test_identity_bad_input_is_400_and_nothing_written(setup, president):
    cases = [
        {**IDENTITY, "document_type": "badge"},
        {**IDENTITY, "document_type": "other", "document_detail": ""},
        {k: v for k, v in IDENTITY.items() if k != "convocation_checked"},
        {**IDENTITY, "mode": "telepathy"},
        {**IDENTITY, "notes": "x" * 2001},
    ]
    for data in cases:
        response = president.post(url(setup, "identite"), data)
        assert response.status_code == 400, data
        assert "field-error" in response.text
    assert "Précisez quelle autre pièce" in president.post(
        url(setup, "identite"), {**IDENTITY, "document_type": "other"}).text
    assert db.session.scalar(db.select(db.func.count(IdentityCheck.id))) == 0
    ok = president.post(url(setup, "identite"), {**IDENTITY, "document_type": "other",
                                                 "document_detail": "Carte de séjour UE"})
    assert ok.status_code == 303
    assert db.session.scalar(db.select(IdentityCheck)).document_label.endswith("(Carte de séjour UE)")


def test_identity_refused_before_the_exam_day(setup, president, set_paris_today):
    from datetime import date

    set_paris_today(date(2026, 11, 30))

    response = president.post(url(setup, "identite"), IDENTITY)
    assert response.status_code == 409
    assert "L'épreuve a lieu le 1er décembre 2026 : " in unescape(response.text)
    assert db.session.scalar(db.select(db.func.count(IdentityCheck.id))) == 0


def test_identity_needs_a_declaration_and_no_conflict(app, make_web):
    setup = make_exam(identity_checked=False, declared=False)
    president = make_web(setup.president)
    response = president.post(url(setup, "identite"), IDENTITY)
    assert response.status_code == 409 and "Déclarez d'abord" in unescape(response.text)
    db.session.add(ConflictDeclaration(exam=setup.exam, juror=setup.president, has_conflict=True))
    db.session.commit()
    response = president.post(url(setup, "identite"), IDENTITY)
    assert response.status_code == 409 and "connaître ce candidat" in response.text
    assert db.session.scalar(db.select(db.func.count(IdentityCheck.id))) == 0


def test_identity_refused_when_the_session_is_cancelled(setup, president):
    setup.session.status = "cancelled"
    db.session.commit()
    assert president.post(url(setup, "identite"), IDENTITY).status_code == 409


def test_candidate_signs_in_person_after_identity(setup, president):
    assert sign(president, url(setup), url(setup, "emargement-candidat"), TYPED).status_code == 409
    president.post(url(setup, "identite"), {**IDENTITY, "mode": "in_person"})
    page = president.get(url(setup)).text
    assert "En présentiel : le candidat signe sur cet appareil" in page
    response = sign(president, url(setup), url(setup, "emargement-candidat"), TYPED,
                              headers={"User-Agent": "JuryTablet/2"})
    assert response.status_code == 303
    sig = db.session.scalar(db.select(Signature).filter_by(document=CANDIDATE_ATTENDANCE))
    assert sig.signer_role == "candidate" and sig.candidate_id == setup.exam.candidate_id
    assert sig.auth_method == "jury_device"
    assert sig.auth_detail == f"sur l'appareil {of(setup.president.full_name)}, connecté(e)"
    assert sig.user_agent == "JuryTablet/2"
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="signature.add"))
    assert entry.actor_id == setup.president.id
    assert sign(president, url(setup), url(setup, "emargement-candidat"), TYPED).status_code == 409


def test_live_fragment_204_until_the_candidate_signs(setup, president, member):
    president.post(url(setup, "identite"), IDENTITY)
    page = president.get(url(setup)).text
    version = re.search(r"emargement-candidat\?version=(\d+)", page).group(1)
    poll = url(setup, f"emargement-candidat?version={version}")
    assert president.get(poll, htmx=True).status_code == 204
    # Without htmx: the whole page.
    full = president.get(poll)
    assert full.status_code == 302 and "/accueil" in full.headers["Location"]
    sign(member, url(setup), url(setup, "emargement-candidat"), TYPED)
    fragment = president.get(poll, htmx=True)
    assert fragment.status_code == 200
    assert "Le candidat a émargé le" in fragment.text and "Alex Candidat" in fragment.text
    assert "hx-trigger" not in fragment.text  # polling stops (also matches data-hx-trigger)


def test_reception_link_on_the_juror_list(setup, president):
    page = president.get("/jury/").text
    assert f"/jury/examens/{setup.exam.id}/accueil" in page
