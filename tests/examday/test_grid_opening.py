"""Issue 13, item 7: the grid opens when both jurors signed the jury's sheet, the identity is
checked and the candidate signed (or the jury recorded why they could not); before the
slot's start, a juror confirms starting early, and that is recorded. Item 9: the other
juror's attendance signature shows without a reload."""
from datetime import timedelta

from certif.audit.models import AuditEntry
from certif.examday.queries import candidate_unsigned_reasons
from certif.extensions import db
from certif.grading.models import EarlyStart, Mark
from certif.timeutil import utcnow

from ..factories.examday import make_attendance
from .helpers import IDENTITY, TYPED, sign


def base(setup):
    return f"/jury/examens/{setup.exam.id}"


def mark(web, setup):
    return web.post(f"{base(setup)}/grille/criteres/{setup.criteria[0]}", {"value": "acquis"},
                    htmx=True)


def test_identity_without_attendance_keeps_the_grid_closed_with_a_checklist(checked, president):
    setup = checked
    r = mark(president, setup)
    assert r.status_code == 409
    assert "émargement des deux jurés" in r.text and "émargement du candidat" in r.text
    assert "identité" not in r.text.split("Il manque")[1]
    grid = president.get(f"{base(setup)}/grille").text
    assert 'id="grille-fermee"' in grid and "Émargement des deux jurés (feuille du jury) : 0/2" in grid
    assert 'class="todo"' in grid and 'class="done"' in grid  # identity ticked, the rest to do
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0


def test_both_jurors_and_the_candidate_sign_then_the_grid_opens(checked, president, member):
    setup = checked
    page = f"{base(setup)}/accueil"
    assert sign(president, page, f"{base(setup)}/emargement-jure").status_code == 303
    assert mark(president, setup).status_code == 409  # one juror is not enough
    assert sign(member, page, f"{base(setup)}/emargement-jure").status_code == 303
    r = mark(president, setup)
    assert r.status_code == 409 and "émargement du candidat" in r.text
    assert sign(president, page, f"{base(setup)}/emargement-candidat").status_code == 303
    assert mark(president, setup).status_code == 200
    assert 'aria-disabled="true">Ouvrir la grille' not in president.get(page).text


def test_the_jury_records_why_the_candidate_could_not_sign(checked, president, member):
    setup = checked
    make_attendance(setup.exam, (setup.president, setup.member), candidate=False)
    assert mark(president, setup).status_code == 409
    r = president.post(f"{base(setup)}/emargement-candidat/impossible", {"reason": "  "})
    assert r.status_code == 303  # back to the reception, with the message
    assert "Dites pourquoi" in president.get(r.headers["Location"]).text
    reason = "Connexion du candidat coupée : signature impossible depuis son téléphone."
    r = president.post(f"{base(setup)}/emargement-candidat/impossible", {"reason": reason})
    assert r.status_code == 303
    assert mark(president, setup).status_code == 200
    assert reason in member.get(f"{base(setup)}/accueil").text
    found = candidate_unsigned_reasons([setup.exam.id])
    assert found[setup.exam.id].reason == reason
    assert found[setup.exam.id].recorded_by_id == setup.president.id
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="attendance.candidate_unsigned"))
    assert entry.new_value == reason
    again = president.post(f"{base(setup)}/emargement-candidat/impossible", {"reason": reason})
    assert again.status_code == 409


def test_grading_before_the_slot_asks_for_a_recorded_confirmation(checked, president, member):
    setup = checked
    make_attendance(setup.exam, (setup.president, setup.member))
    setup.exam.starts_at = utcnow() + timedelta(hours=4)  # a slot later today
    db.session.commit()
    r = mark(president, setup)
    assert r.status_code == 409 and "avant l'heure" in r.text
    grid = president.get(f"{base(setup)}/grille").text
    assert 'id="avant-l-heure"' in grid and "Commencer maintenant" in grid
    assert "fermée jusqu&#39;à l&#39;heure du passage" in grid
    r = president.post(f"{base(setup)}/grille/commencer")
    assert r.status_code == 303
    early = db.session.scalar(db.select(EarlyStart))
    assert (early.juror_id, early.slot_starts_at) == (setup.president.id, setup.exam.starts_at)
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="grading.early_start"))
    assert entry.actor_id == setup.president.id and entry.details["minutes_before"] >= 230
    assert mark(president, setup).status_code == 200
    assert mark(member, setup).status_code == 409  # each juror confirms for themselves


def test_the_other_jurors_signature_shows_without_a_reload(checked, president, member):
    setup = checked
    page = president.get(f"{base(setup)}/accueil").text
    assert 'id="emargements-jury"' in page and 'data-hx-trigger="every 3s"' in page
    poll = f"{base(setup)}/emargements-jury"
    version = page.split(f'{poll}?version=')[1].split('"')[0]
    assert president.get(f"{poll}?version={version}", htmx=True).status_code == 204
    assert sign(member, f"{base(setup)}/accueil", f"{base(setup)}/emargement-jure",
                TYPED).status_code == 303
    fragment = president.get(f"{poll}?version={version}", htmx=True)
    assert fragment.status_code == 200
    assert setup.member.full_name in fragment.text and "signé le" in fragment.text
    assert 'id="ouverture-grille" data-hx-swap-oob="true"' in fragment.text
    assert "Émargement des deux jurés (feuille du jury) : 1/2" in fragment.text


def test_identity_form_still_needs_the_declaration(setup, president):
    """Unchanged order: declaration, then identity (the factory's jurors have declared)."""
    assert president.post(f"{base(setup)}/identite", IDENTITY).status_code == 303
