"""Issue 13, item 13, as a juror clicks it: the conditions sheet shows certif's proposals with
their facts ("Proposé par certif, à confirmer"), nothing ticked in advance; the juror
confirms one, changes another, and signs; the signed content says how each answer came."""
import json
from dataclasses import dataclass
from datetime import time

from playwright.sync_api import expect

from certif.extensions import db
from certif.signatures.models import CONDITIONS as SIGNED
from certif.signatures.models import Signature
from certif.timeutil import paris_to_utc, paris_today

from ..factories.sessions import make_exam
from .signing import draw_signature


@dataclass
class Seeded:
    jury_id: int
    president_email: str
    president_id: int


def seed(app) -> Seeded:
    setup = make_exam("RS6240")
    setup.session.starts_at = paris_to_utc(paris_today(), time(9, 0))
    setup.exam.starts_at = setup.session.starts_at
    db.session.commit()
    return Seeded(setup.jury.id, setup.president.email, setup.president.id)


def test_juror_confirms_one_proposal_changes_another_and_signs(live, artifacts):
    server = live.start(seed=seed)
    s = server.seeded
    page = live.juror(server, s.president_email).page
    page.goto(f"{server.url}/jury/jurys/{s.jury_id}/conditions")

    jury_row, habilitation = page.locator("#condition-1"), page.locator("#condition-2")
    expect(jury_row.locator("#proposition-1")).to_contain_text("Proposé par certif, à confirmer : Respectée")
    expect(jury_row.locator("#proposition-1")).to_contain_text("Jury de deux jurés")
    expect(habilitation.locator("#proposition-2")).to_contain_text("2 jurés habilités sur 2")
    expect(page.locator(".conditions-form input[type=radio]:checked")).to_have_count(0)  # nothing ticked

    jury_row.locator("input[value=respectee]").check()  # confirmed
    expect(page.locator("#origine-1")).to_contain_text("proposée par certif, confirmée par le jury")
    habilitation.locator("input[value=non_respectee]").check()  # changed
    expect(page.locator("#origine-2")).to_contain_text(
        "proposée par certif (respectée), modifiée par le jury")
    for n in range(3, 13):
        row = page.locator(f"#condition-{n}")
        choice = row.locator("input[value=sans_objet]") if n == 10 and \
            row.locator("input[value=sans_objet]").count() else row.locator("input[value=respectee]")
        choice.check()
        expect(page.locator(f"#origine-{n}")).to_be_visible()
    page.get_by_label("Observations").fill("Un juré n'avait pas sa fiche d'habilitation à jour.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#fiche-statut")).to_contain_text("Dernier enregistrement")

    page.reload()
    expect(page.locator("#origine-2")).to_contain_text("modifiée par le jury")
    draw_signature(page, page.locator("form:has(button:text('Signer la fiche'))"))
    page.get_by_role("button", name="Signer la fiche").click()
    expect(page.get_by_text("La fiche est signée")).to_be_visible()
    page.screenshot(path=str(artifacts / "conditions-proposals-signed.png"), full_page=True)

    with server.app.app_context():
        signature = db.session.scalar(db.select(Signature).filter_by(document=SIGNED,
                                                                     user_id=s.president_id))
        content = json.loads(signature.content)
        db.session.remove()
    by_n = {c["n"]: c for c in content["conditions"]}
    assert by_n[1]["origine"] == "proposée par certif, confirmée par le jury" and by_n[1]["respectee"]
    assert by_n[2]["origine"] == "proposée par certif (respectée), modifiée par le jury"
    assert by_n[2]["respectee"] is False and "2 jurés habilités sur 2" in by_n[2]["faits"]
    assert by_n[4]["origine"] == "saisie par le jury"
