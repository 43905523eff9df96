"""When the grid opens (issue 13, item 7), as the jurors click it: after both jurors signed
the jury's attendance sheet, the candidate's identity is checked and the candidate signed (or
the jury recorded why they could not); before the slot's start, once the juror confirms."""
import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from certif.extensions import db
from certif.grading import opening
from certif.grading.models import EarlyStart
from certif.sessions.models import Exam
from certif.timeutil import paris_to_utc, to_paris, utcnow

from ..factories.examday import make_attendance
from ..factories.sessions import make_exam
from .live import Seeded

SIGNED_HERE = "L'émargement du candidat est enregistré."
REASON = "Main droite plâtrée : le candidat ne peut pas signer."


def todays_exam(*, jurors_signed: bool = False, identity_checked: bool = False):
    """A seed: one on-site exam today (Paris, at 9:00 or earlier), nothing of the reception
    done unless told (the jurors' signatures, the identity check)."""
    def seed(app) -> Seeded:
        setup = make_exam("RS6240", identity_checked=identity_checked, attendance_signed=False)
        now = to_paris(utcnow())
        slot = paris_to_utc(now.date(), min(now.time(), time(9, 0)).replace(second=0, microsecond=0))
        setup.session.starts_at = slot
        setup.session.mode = "on_site"
        setup.session.status = "convened"
        setup.exam.starts_at = slot
        db.session.commit()
        if jurors_signed:
            make_attendance(setup.exam, (setup.president, setup.member), candidate=False)
        return Seeded(setup.exam.id, setup.president.email, setup.member.email,
                      setup.president.id, setup.member.id, setup.layout)
    return seed


def reception_path(s: Seeded) -> str:
    return f"/jury/examens/{s.exam_id}/accueil"


def steps(page):
    return page.locator("#ouverture-grille li")


def early_starts(server) -> list[tuple[int, object]]:
    with server.app.app_context():
        rows = [(r.juror_id, r.slot_starts_at) for r in db.session.scalars(
            db.select(EarlyStart).filter_by(exam_id=server.seeded.exam_id))]
        slot = db.session.get(Exam, server.seeded.exam_id).starts_at
        db.session.remove()
    return rows, slot


@pytest.mark.browser
def test_the_grid_opens_after_the_reception_and_asks_before_the_slot(live, monkeypatch):
    server = live.start(seed=todays_exam())
    s = server.seeded
    with server.app.app_context():
        slot = db.session.get(Exam, s.exam_id).starts_at
        db.session.remove()
    # Grading's clock reads 3 hours before the slot (the exam day's stays today).
    monkeypatch.setattr(opening, "utcnow", lambda: slot - timedelta(hours=3))
    first = s.codes[0]

    # The grid, before anything: closed, with what is missing, in the day's order.
    pres = live.juror(server, s.president_email).open_grid()
    closed = pres.page.locator("#grille-fermee")
    expect(closed).to_contain_text("La grille s'ouvre une fois l'accueil du candidat terminé")
    expect(closed.locator("li.todo")).to_have_count(3)
    expect(closed.locator("li").nth(0)).to_contain_text("Émargement des deux jurés (feuille du jury) : 0/2")
    expect(closed.locator("li").nth(1)).to_contain_text("Vérification de l'identité")
    expect(closed.locator("li").nth(2)).to_contain_text("Émargement du candidat")
    expect(pres.button(first, True)).to_be_disabled()
    closed.get_by_role("link", name="Accueil du candidat").click()
    expect(pres.page).to_have_url(server.url + reception_path(s))

    # 1. The president signs the jury's sheet; the grid still waits for the other juror.
    page = pres.page
    page.locator("#etape-jury").get_by_role("button", name="J'émarge pour cette épreuve").click()
    expect(page.get_by_text("Votre émargement (feuille du jury) est enregistré.")).to_be_visible()
    expect(steps(page).nth(0)).to_contain_text("1/2")
    expect(steps(page).nth(0)).to_have_class("todo")
    expect(page.locator("#ouverture-grille .button.disabled")).to_have_text("Ouvrir la grille")

    # The other juror signs on their own device: it shows on the president's page, no reload.
    pres.set_marker()
    memb = live.juror(server, s.member_email).goto(reception_path(s))
    memb.page.locator("#etape-jury").get_by_role("button", name="J'émarge pour cette épreuve").click()
    expect(memb.page.get_by_text("Votre émargement (feuille du jury) est enregistré.")).to_be_visible()
    expect(page.locator("#emargements-jury .badge.ok")).to_have_count(2, timeout=8_000)
    expect(steps(page).nth(0)).to_contain_text("2/2")
    expect(steps(page).nth(0)).to_have_class("done")
    pres.assert_not_navigated()

    # 2. The identity and convocation, checked in person.
    identity = page.locator("#etape-identite")
    identity.get_by_label("Pièce d'identité présentée").select_option("cni")
    identity.get_by_label("En présentiel").check()
    identity.get_by_label("Convocation vérifiée").check()
    identity.get_by_role("button", name="Identité et convocation vérifiées").click()
    expect(page.locator(".flash", has_text="Identité et convocation vérifiées")).to_have_text(
        "Identité et convocation vérifiées : le candidat peut émarger.")  # the grid waits
    expect(identity.locator("h2 .badge")).to_have_text("Fait")
    expect(steps(page).nth(1)).to_have_class("done")
    expect(steps(page).nth(2)).to_have_class("todo")
    expect(page.locator("#ouverture-grille .button.disabled")).to_have_text("Ouvrir la grille")

    # 3. The candidate signs on the president's device: the grid opens (on both pages).
    candidate = page.locator("#etape-candidat")
    candidate.get_by_label("Nom et prénom (valent signature)").fill("Alex Candidat")
    candidate.get_by_role("button", name="Enregistrer la signature du candidat").click()
    expect(page.get_by_text(SIGNED_HERE)).to_be_visible()
    expect(page.locator("#ouverture-grille li.done")).to_have_count(3)
    expect(memb.page.locator("#ouverture-grille li.done")).to_have_count(3, timeout=8_000)
    expect(memb.page.locator("#ouverture-grille").get_by_role("link", name="Ouvrir la grille")
           ).to_be_visible()

    # 4. Three hours before the slot, the grid asks first; the confirmation is recorded.
    page.locator("#ouverture-grille").get_by_role("link", name="Ouvrir la grille").click()
    expect(page).to_have_url(server.url + s.grid_path)
    early = page.locator("#avant-l-heure")
    expect(early).to_contain_text("il n'a pas encore commencé")
    expect(pres.summary).to_contain_text("fermée jusqu'à l'heure du passage")
    expect(pres.button(first, True)).to_be_disabled()
    assert early_starts(server) == ([], slot)
    early.get_by_role("button", name="Commencer maintenant").click()
    expect(page.get_by_text("Début anticipé de l'évaluation enregistré : la grille est ouverte."
                            )).to_be_visible()
    expect(page.locator("#avant-l-heure")).to_have_count(0)
    pres.mark(first, True)
    pres.expect_summary(s.score({first: True}))
    assert early_starts(server) == ([(s.president_id, slot)], slot)

    # Each juror confirms for themself: the other juror's grid still asks.
    memb.open_grid()
    expect(memb.page.get_by_role("button", name="Commencer maintenant")).to_be_visible()
    expect(memb.button(first, True)).to_be_disabled()


@pytest.mark.browser
def test_the_jury_records_why_the_candidate_cannot_sign_and_the_grid_opens(live):
    server = live.start(seed=todays_exam(jurors_signed=True, identity_checked=True))
    s = server.seeded
    memb = live.juror(server, s.member_email).open_grid()
    closed = memb.page.locator("#grille-fermee")
    expect(closed.locator("li.done")).to_have_count(2)
    expect(closed.locator("li.todo")).to_contain_text("Émargement du candidat")
    closed.get_by_role("link", name="Accueil du candidat").click()

    page = memb.page
    page.locator("#sans-emargement summary").click()  # "Le candidat ne peut pas émarger"
    expect(page.locator("#sans-emargement summary")).to_have_text("Le candidat ne peut pas émarger")
    page.get_by_label(re.compile("Pourquoi le candidat ne peut-il pas émarger")).fill(REASON)
    page.get_by_role("button", name="Enregistrer le motif et ouvrir la grille").click()
    expect(page.get_by_text("Motif enregistré : le candidat n'a pas pu émarger")).to_be_visible()
    expect(page.locator("#motif-sans-emargement")).to_contain_text(REASON)
    expect(page.locator("#ouverture-grille li.done")).to_have_count(3)

    # The slot has started: the grid opens without asking.
    page.locator("#ouverture-grille").get_by_role("link", name="Ouvrir la grille").click()
    expect(page).to_have_url(server.url + s.grid_path)
    expect(page.locator("#grille-fermee")).to_have_count(0)
    expect(page.get_by_role("button", name="Commencer maintenant")).to_have_count(0)
    first = s.codes[0]
    memb.mark(first, False)
    memb.expect_summary(s.score({first: False}))
