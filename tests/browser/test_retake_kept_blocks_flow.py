"""A retake of the RNCP title in a real browser (issue 14, item 7): BC01 and BC02 were validated
at an earlier attempt, so both jurors grade only BC03; the grid shows the kept blocks with their
origin; the jury deliberates and awards the title; once the minutes are signed and the
certificates produced, the BC03 attestation verifies on the public page."""
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from certif.auth.models import ORGANISER, User
from certif.certificates.blocks.models import BlockAttestation
from certif.certificates.issuing import generate_certificates
from certif.certificates.rules import format_code
from certif.extensions import db
from certif.grading.presenters import decision_label
from certif.grading.rules import FAVORABLE
from certif.minutes import operations as minutes_ops
from certif.minutes.state import minutes_state
from certif.signatures.rules import parse_mark

from ..factories.blocks import previous_attempt
from ..factories.sessions import make_exam
from ..factories.users import make_user
from .live import Seeded


@dataclass
class Retake(Seeded):
    session_id: int = 0
    organiser_id: int = 0
    holder: str = ""
    missing: tuple = ()  # the criteria codes of BC03


def seed(app) -> Retake:
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    setup = make_exam("RNCP-CM")
    previous_attempt(setup.exam.candidate, ("BC01", "BC02"), setup=setup, number="CM-AVANT")
    lay = setup.layout
    missing = tuple(k.code for b in lay.blocks if b.code == "BC03"
                    for c in b.competencies for k in c.criteria)
    return Retake(setup.exam.id, setup.president.email, setup.member.email, setup.president.id,
                  setup.member.id, lay, setup.session.id, organiser.id,
                  setup.exam.candidate.full_name, missing)


def sign_minutes_and_produce(server) -> tuple[str, str]:
    """The jurors sign the minutes, the organiser gives the visa and produces the documents
    (their own browser flows are tested elsewhere); returns the attestation's number and code."""
    s: Retake = server.seeded
    with server.app.app_context(), server.app.test_request_context():
        jurors = [db.session.get(User, i) for i in (s.president_id, s.member_id)]
        organiser = db.session.get(User, s.organiser_id)
        for juror in jurors:
            minutes_ops.sign(juror, s.session_id, parse_mark("typed", None, juror.full_name),
                             minutes_state(s.session_id).content_sha256)
        minutes_ops.visa(organiser, s.session_id, parse_mark("typed", None, organiser.full_name),
                         minutes_state(s.session_id).content_sha256)
        generate_certificates(organiser, s.session_id)
        attestation = db.session.scalar(db.select(BlockAttestation))
        found = attestation.number, format_code(attestation.verification_code)
        db.session.remove()
    return found


@pytest.mark.browser
def test_a_retake_grades_only_the_missing_block_and_its_attestation_verifies(live):
    server = live.start(seed=seed)
    s: Retake = server.seeded
    pres = live.juror(server, s.president_email).open_grid()
    memb = live.juror(server, s.member_email).open_grid()
    for juror in (pres, memb):
        for code in ("BC01", "BC02"):
            kept = juror.page.locator(f"#bloc-acquis-{code}")
            expect(kept).to_contain_text("Validé le")
            expect(kept).to_contain_text("(session n° CM-AVANT)")
        expect(juror.page.locator("#bloc-acquis-BC03")).to_have_count(0)
        expect(juror.page.locator("li.criterion")).to_have_count(len(s.missing))
        expect(juror.summary).to_contain_text(f"Critères non notés : {len(s.missing)} / {len(s.missing)}")
    for juror in (pres, memb):
        for code in s.missing:
            juror.mark(code, True)
        expect(juror.summary).to_contain_text(f"Critères non notés : 0 / {len(s.missing)}")
    open_button = pres.progress.get_by_role("button", name="Ouvrir la délibération")
    expect(open_button).to_be_visible()
    open_button.click()
    expect(pres.page).to_have_url(server.url + s.deliberation_path)
    expect(pres.page.locator("#bloc-acquis-BC01")).to_contain_text("CM-AVANT")
    pres.page.get_by_label(re.compile("Je confirme la décision du jury")).check()
    pres.page.get_by_role("button", name="Clore la délibération").click()
    expect(pres.page.locator(".banner-closed")).to_contain_text(decision_label("blocks", FAVORABLE))

    number, code = sign_minutes_and_produce(server)
    visitor = live.context().new_page()
    visitor.goto(server.url + "/verifier-certificat")
    visitor.get_by_label("Numéro du certificat").fill(number)
    visitor.get_by_label("Code de vérification").fill(code)
    visitor.get_by_role("button", name="Vérifier").click()
    answer = visitor.locator("#attestation-bloc")
    expect(answer).to_contain_text("Cette attestation de validation de bloc est authentique")
    expect(answer).to_contain_text("BC03")
    expect(answer).to_contain_text(s.holder)
    expect(answer).to_contain_text("Valide")
