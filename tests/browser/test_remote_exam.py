"""A remote exam from the reception to the certificate, in a real browser (issue 4).

Three browser contexts: the president, the other juror, and the candidate (no login,
on their own device), then the organiser. Every wait is on visible state.
"""
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from certif.auth.models import ORGANISER
from certif.documents.seal import verify_pdf
from certif.examday.access import MSG_MINUTES_SIGNED
from certif.extensions import db
from certif.grading.presenters import decision_label
from certif.mail.models import OutgoingMail
from certif.people import of
from certif.timeutil import paris_to_utc, to_paris, utcnow

from ..factories.sessions import make_exam
from ..factories.users import make_user
from .live import JurorPage, Seeded, other_progress
from .signing import draw_signature

SHOTS = Path("/tmp/shots")
CANDIDATE_EMAIL = "alex.candidat@exemple.fr"
SLOW_MS = 20_000  # actions that seal a PDF (pyHanko) or send mail, on a loaded machine
OBSERVATIONS = "Épreuve à distance sans incident ; connexion stable."


@dataclass
class RemoteExam(Seeded):
    session_id: int = 0
    session_number: str = ""
    candidate_name: str = ""
    organiser_email: str = ""


def seed_remote_exam(app) -> RemoteExam:
    """One remote exam today (Paris), identity not checked yet, the session convened."""
    setup = make_exam("RS6240", identity_checked=False)
    # Earlier today in Paris, so that the deliberation closes after the exam began (the minutes'
    # closing time follows the opening time) whatever the hour the suite runs, even just after
    # midnight in Paris.
    now = to_paris(utcnow())
    today_8am = paris_to_utc(now.date(), min(now.time(), time(9, 0)).replace(second=0, microsecond=0))
    setup.session.starts_at = today_8am
    setup.session.mode = "remote"
    setup.session.status = "convened"
    setup.exam.starts_at = today_8am
    setup.exam.candidate.email = CANDIDATE_EMAIL
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    db.session.commit()
    return RemoteExam(setup.exam.id, setup.president.email, setup.member.email,
                      setup.president.id, setup.member.id, setup.layout,
                      session_id=setup.session.id, session_number=setup.session.number,
                      candidate_name=setup.exam.candidate.full_name,
                      organiser_email=organiser.email)


# --- Helpers ----------------------------------------------------------------------------

def csrf_token(page: Page) -> str:
    return page.locator("input[name=csrf_token]").first.input_value()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def verify_outside_event_loop(app, data: bytes):
    """verify_pdf in a worker thread: pyHanko's sync API calls asyncio.run(), which refuses
    to run inside the event loop Playwright's sync API keeps in this thread."""
    def verify():
        with app.app_context():
            return verify_pdf(data)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(verify).result()


def grade_everything_acquired(juror: JurorPage) -> None:
    juror.open_grid()
    for code in juror.seeded.codes:
        juror.mark(code, True)


# --- The test ---------------------------------------------------------------------------

@pytest.mark.browser
def test_a_remote_exam_from_reception_to_verified_certificate(live):
    server = live.start(seed=seed_remote_exam)
    s: RemoteExam = server.seeded
    url = server.url
    reception_path = f"/jury/examens/{s.exam_id}/accueil"

    # 1. The president opens the candidate's reception from their juror list and signs the
    #    jury attendance by drawing; the other juror signs by typing their name.
    pres = live.juror(server, s.president_email)
    page = pres.page
    page.get_by_role("link", name=re.compile(r"^Accueil du candidat")).click()
    expect(page).to_have_url(url + reception_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Accueil du candidat : {s.candidate_name}")
    jury_step = page.locator("#etape-jury")
    draw_signature(page, jury_step.locator("[data-signature-pad]"))
    jury_step.get_by_role("button", name="J'émarge pour cette épreuve").click()
    expect(page.get_by_text("Votre émargement (feuille du jury) est enregistré.")).to_be_visible()
    expect(jury_step.locator("h2 .badge")).to_have_text("Fait")
    expect(jury_step.locator("li", has_text="(vous)")).to_contain_text("signé le")

    memb = live.juror(server, s.member_email).goto(reception_path)
    m_jury = memb.page.locator("#etape-jury")
    expect(m_jury.get_by_label("Taper mon nom")).to_be_checked()
    m_jury.get_by_label("Nom et prénom (valent signature)").fill("Marc Membre")
    m_jury.get_by_role("button", name="J'émarge pour cette épreuve").click()
    expect(memb.page.get_by_text("Votre émargement (feuille du jury) est enregistré.")).to_be_visible()
    expect(m_jury.locator("li", has_text="(vous)")).to_contain_text("signé le")
    expect(m_jury.locator("li .badge.ok")).to_have_count(2)  # both jurors now

    # 2. The president records the identity check (camera, CNI, convocation).
    identity = page.locator("#etape-identite")
    identity.get_by_label("Pièce d'identité présentée").select_option("cni")
    identity.get_by_label("Face à la webcam").check()
    identity.get_by_label("Convocation vérifiée").check()
    identity.get_by_role("button", name="Identité et convocation vérifiées").click()
    expect(page.get_by_text("Identité et convocation vérifiées : le candidat peut émarger"
                            )).to_be_visible()
    expect(identity.locator("h2 .badge")).to_have_text("Fait")
    expect(identity).to_contain_text("Carte nationale d'identité")
    expect(identity).to_contain_text("Face à la webcam")

    # 3. The president creates the remote signing code and reads it on the page.
    attendance = page.locator("#etape-candidat")
    attendance.get_by_role("button", name="Créer le code d'émargement du candidat").click()
    expect(page.get_by_text(re.compile(r"Code d'émargement \w{4}-\w{4} créé"))).to_be_visible()
    code_shown = attendance.locator(".attendance-code")
    expect(code_shown).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    code = code_shown.inner_text().strip()
    expect(attendance.get_by_role("status")).to_have_text("En attente de la signature du candidat…")

    # 4. The candidate, on their own device (no login), types the code in lower case and
    #    signs by drawing; the president's page shows the signature without reloading.
    cand = live.context().new_page()
    cand.goto(url + "/emargement")
    cand.get_by_label("Code donné par le jury").fill(code.lower())  # "abcd-efgh"
    cand.get_by_role("button", name="Continuer").click()
    expect(cand.get_by_role("heading", level=1)).to_have_text("Feuille d'émargement du candidat")
    expect(cand.locator("dl.facts")).to_contain_text(s.candidate_name)
    draw_signature(cand, cand.locator("[data-signature-pad]"))
    shot(cand, "candidate_signing")
    pres.set_marker()
    cand.get_by_role("button", name="Je signe ma feuille d'émargement").click()
    expect(cand.get_by_role("heading", level=1)).to_have_text("Votre émargement est enregistré")
    expect(cand.get_by_role("img", name=f"Signature tracée {of(s.candidate_name)}")).to_be_visible()

    expect(attendance.locator("h2 .badge")).to_have_text("Fait", timeout=10_000)  # polled every 3 s
    expect(attendance).to_contain_text("Le candidat a émargé le")
    expect(attendance.get_by_role("img", name=f"Signature tracée {of(s.candidate_name)}")
           ).to_be_visible()
    pres.assert_not_navigated()
    shot(page, "reception_signed")

    # The same code again: the link has served (410).
    cand.goto(url + "/emargement")
    cand.get_by_label("Code donné par le jury").fill(code.replace("-", " "))
    with cand.expect_response(lambda r: r.request.method == "POST") as answer:
        cand.get_by_role("button", name="Continuer").click()
    assert answer.value.status == 410
    expect(cand.get_by_role("heading", level=1)).to_have_text("Ce lien ne peut plus servir")
    expect(cand.get_by_role("alert")).to_have_text(
        "Ce lien a déjà servi : votre émargement est enregistré.")

    # 5. Both jurors grade every criterion "Acquis"; the president deliberates and closes.
    n = len(s.codes)
    passed = s.score({code: True for code in s.codes})
    grade_everything_acquired(pres)
    grade_everything_acquired(memb)
    expect(pres.progress).to_contain_text(other_progress(n, n))
    pres.progress.get_by_role("button", name="Ouvrir la délibération").click()
    # A progress poll in flight may reload the grid (HX-Refresh) instead of following the
    # redirect to the deliberation: the grid then links to it.
    close_button = page.get_by_role("button", name="Clore la délibération")
    go_to = page.get_by_role("link", name="Aller à la délibération")
    expect(close_button.or_(go_to)).to_be_visible()
    if go_to.is_visible():
        go_to.click()
    expect(page).to_have_url(url + s.deliberation_path)
    pres.expect_summary(passed)
    page.get_by_label(re.compile("Je confirme la décision du jury")).check()
    close_button.click()
    expect(page.locator(".banner-closed")).to_contain_text("Délibération close")
    expect(page.locator(".banner-closed")).to_contain_text(
        decision_label(s.layout.rule, passed.decision))

    # 6. The minutes: the president adds an observation, both jurors sign; grading is locked.
    minutes_path = f"/jury/sessions/{s.session_id}/proces-verbal"
    pres.goto(minutes_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Procès-verbal de la session n° {s.session_number}")
    expect(page.get_by_text("le procès-verbal peut être signé")).to_be_visible()
    page.get_by_label("Observation (si nécessaire)").fill(OBSERVATIONS)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Procès-verbal enregistré.")).to_be_visible()
    expect(page.get_by_label("Observation (si nécessaire)")).to_have_value(OBSERVATIONS)
    page.get_by_role("button", name="Signer le procès-verbal").click(timeout=SLOW_MS)
    expect(page.get_by_text("Votre signature est enregistrée.")).to_be_visible()
    expect(page.locator(".page-head .badge")).to_have_text("Signature en cours")

    memb.goto(minutes_path)
    expect(memb.page.get_by_role("status").filter(has_text="son contenu est figé")).to_be_visible()
    memb.page.get_by_role("button", name="Signer le procès-verbal").click(timeout=SLOW_MS)
    expect(memb.page.get_by_text("Procès-verbal signé par tous les jurés")).to_be_visible()
    expect(memb.page.locator(".page-head .badge")).to_have_text("Signé par tous les jurés")
    expect(memb.page.locator(".minutes-signers .badge.ok")).to_have_count(2)
    expect(memb.page.get_by_role("button", name="Signer le procès-verbal")).to_have_count(0)
    shot(memb.page, "minutes_signed")

    locked_message = MSG_MINUTES_SIGNED.format(number=s.session_number)
    memb.goto(reception_path)
    expect(memb.page.locator("#refus")).to_have_text(locked_message)
    refused = memb.page.context.request.post(
        f"{url}{s.grid_path}/criteres/{s.ids[s.codes[0]]}",
        form={"value": "non_acquis"},
        headers={"X-CSRFToken": csrf_token(memb.page), "HX-Request": "true"})
    assert refused.status == 409, refused.text()

    # 7. The organiser: visa, session deliberated, results sent, certificate produced,
    #    issued by email, its sealed PDF checked; the candidate verifies it publicly.
    org = live.user(server, s.organiser_email, "Tableau de bord")
    org.goto(f"{url}/sessions/{s.session_id}/proces-verbal")
    expect(org.locator(".page-head .badge")).to_have_text("Signé, visa attendu")
    org.get_by_role("button", name="Apposer le visa").click(timeout=SLOW_MS)  # seals the PDF
    expect(org.get_by_text("Visa apposé : le procès-verbal est scellé et archivé.")
           ).to_be_visible(timeout=SLOW_MS)
    expect(org.locator(".page-head .badge")).to_have_text("Visé et scellé")

    org.goto(f"{url}/sessions/{s.session_id}")
    advance = org.get_by_role("button", name="Marquer la session comme délibérée")
    if advance.count():
        advance.click()
    expect(org.locator(".page-head .badge")).to_have_text("Délibérée")

    org.goto(f"{url}/sessions/{s.session_id}/resultats")
    row = org.locator(f"#resultat-{s.exam_id}")
    expect(row.locator(".badge.ok").first).to_have_text(decision_label(s.layout.rule,
                                                                       passed.decision))
    org.get_by_role("button", name="Envoyer les résultats non envoyés par e-mail").click(
        timeout=SLOW_MS)
    expect(org.get_by_text(re.compile(r"^1 résultat envoyé"))).to_be_visible(timeout=SLOW_MS)
    expect(row).to_contain_text("Déposé dans la boîte d'envoi")
    with server.app.app_context():
        subjects = db.session.scalars(db.select(OutgoingMail.subject).where(
            OutgoingMail.recipients.contains(CANDIDATE_EMAIL))).all()
        db.session.remove()
    assert f"Votre résultat à la certification RS6240 — session n° {s.session_number}" in subjects

    org.get_by_role("button", name="Produire les certificats").click(timeout=SLOW_MS)  # seals
    expect(org.get_by_text(re.compile(r"^1 certificat créé"))).to_be_visible(timeout=SLOW_MS)
    number = row.locator("strong", has_text="N° ")
    expect(number).to_be_visible()
    cert_number = number.inner_text().removeprefix("N° ").strip()
    cert_code = row.get_by_text(re.compile(r"^Code : ")).inner_text().removeprefix("Code : ").strip()

    row.locator("summary", has_text="Enregistrer la délivrance").click()
    row.get_by_label("Par e-mail, PDF scellé joint").check()
    row.get_by_role("button", name=re.compile(r"^Enregistrer la délivrance")).click(
        timeout=SLOW_MS)  # mails the sealed PDF
    expect(row.locator(".badge.ok", has_text="Délivré le")).to_contain_text(
        "par e-mail", timeout=SLOW_MS)

    pdf_link = row.get_by_role("link", name=re.compile(r"^PDF scellé"))
    pdf = org.context.request.get(url + pdf_link.get_attribute("href"), timeout=SLOW_MS)
    assert pdf.status == 200 and pdf.headers["content-type"].startswith("application/pdf")
    verdict = verify_outside_event_loop(server.app, pdf.body())
    assert verdict.intact, verdict.message

    cand.goto(url + "/verifier-certificat")
    cand.get_by_label("Numéro du certificat").fill(cert_number)
    cand.get_by_label("Code de vérification").fill(cert_code)
    cand.get_by_role("button", name="Vérifier").click()
    expect(cand.get_by_role("status")).to_contain_text("Ce certificat est authentique")
    cand.get_by_label("Code de vérification").fill("ZZZZZ-ZZZZZ")
    cand.get_by_role("button", name="Vérifier").click()
    expect(cand.get_by_role("status")).to_contain_text(
        "Aucun certificat ne correspond à ce numéro et à ce code.")
