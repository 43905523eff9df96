"""The council loop in a real browser (issue 5): a juror files two anomaly sheets, the
council gives its signed opinion on one and adopts a corrective action, the action's owner
(the organiser) applies it, the council verifies it with evidence and closes the sheet,
whose PDF then carries the opinion and the action.

Four browser contexts: the juror, the council member, the organiser, then the juror again.
Only the setup (a past session with its jury, the users) is written directly.
"""
import io
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import Locator, Page, expect

from certif.audit.models import AuditEntry
from certif.auth.models import COUNCIL, ORGANISER
from certif.council import storage
from certif.council.models import AnomalySheet, CorrectiveAction, CouncilReview
from certif.council.rules import MSG_EVIDENCE_REQUIRED
from certif.extensions import db
from certif.people import of
from certif.timeutil import french_date, to_paris, utcnow

from ..factories.sessions import make_exam
from ..factories.users import make_user
from .signing import draw_signature

SLOW_MS = 20_000  # pages that render a PDF, on a loaded machine

TECHNICAL = "Technique (connexion, visioconférence, matériel)"
TIMING = "Temps d'examen"
DESCRIPTION = "La visioconférence a coupé 6 minutes pendant la mise en situation."
CONSEQUENCE = "Épreuve suspendue puis reprise ; 6 minutes rendues au candidat."
CAUSES = "Panne du réseau du centre."
COMMISSION = "CP-2026-07"
OPINION = "Incident technique sans effet sur la décision ; un réseau de secours est requis."
ACTION_TITLE = "Installer une connexion 4G de secours dans la salle d'examen"
ACTION_DETAIL = "Routeur 4G testé avant chaque session à distance."
APPLIED_NOTE = "Routeur installé et testé le matin de la session suivante."
EVIDENCE = "Bon de livraison du routeur et relevé du test de bascule joints."
CLOSING_NOTE = "Action vérifiée : fiche soldée."
CLOSE_REFUSED = ("Une action corrective adoptée n'est pas encore vérifiée : la fiche ne peut être "
                 "clôturée qu'une fois toutes ses actions adoptées vérifiées.")


@dataclass
class CouncilSetup:
    session_id: int
    session_number: str
    session_day: object  # date (Paris)
    juror_email: str
    juror_name: str
    council_email: str
    council_name: str
    organiser_email: str
    organiser_name: str
    organiser_id: int
    council_id: int


def seed_council(app) -> CouncilSetup:
    """A session held two days ago (Paris) with its jury; a council member; an organiser."""
    setup = make_exam("RS6240")
    day = to_paris(utcnow()).date() - timedelta(days=2)
    setup.session.starts_at = datetime.combine(day, time(8, 0))  # UTC: the same day in Paris
    setup.exam.starts_at = setup.session.starts_at
    council = make_user(COUNCIL, first_name="Hélène", last_name="Garnier")
    organiser = make_user(ORGANISER, first_name="Sephora", last_name="Labi")
    db.session.commit()
    return CouncilSetup(setup.session.id, setup.session.number, day,
                        setup.member.email, setup.member.full_name,
                        council.email, council.full_name,
                        organiser.email, organiser.full_name, organiser.id, council.id)


# --- Helpers ----------------------------------------------------------------------------

def evidence_pdf() -> bytes:
    """A small real PDF, as a scanned delivery note would be."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def open_anomaly_form(page: Page, s: CouncilSetup) -> None:
    """From "Mes jurys", the session's "Signaler une anomalie" button."""
    page.get_by_role("navigation").get_by_role("link", name="Mes jurys").click()
    page.get_by_role("link", name=f"Signaler une anomalie pour la session n° {s.session_number}",
                     exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler une anomalie")
    expect(page.get_by_label("Session", exact=True)).to_have_value(str(s.session_id))
    expect(page.get_by_label("Date de l'épreuve")).to_have_value(french_date(s.session_day))
    expect(page.get_by_label("Constatée par")).to_have_value(s.juror_name)


def filed_sheet_id(page: Page, url: str) -> int:
    expect(page).to_have_url(re.compile(re.escape(url) + r"/anomalies/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def inbox_row(page: Page, sheet_id: int) -> Locator:
    return page.locator("#fiches tbody tr").filter(
        has=page.locator(f"a[href$='/conseil/fiches/anomalie/{sheet_id}']"))


# --- The test ---------------------------------------------------------------------------

@pytest.mark.browser
def test_an_anomaly_from_the_juror_to_the_council_closing_it(live, artifacts):
    server = live.start(seed=seed_council)
    s: CouncilSetup = server.seeded
    url = server.url
    today = to_paris(utcnow()).date()
    due_on = today + timedelta(days=30)

    # 1. The juror files a sheet from "Mes jurys", signing by typing their name …
    juror = live.juror(server, s.juror_email).page
    open_anomaly_form(juror, s)
    juror.get_by_label("Type d'anomalie").select_option(label=TECHNICAL)
    juror.get_by_label("Description de l'anomalie").fill(DESCRIPTION)
    juror.get_by_label("Conséquence de l'anomalie").fill(CONSEQUENCE)
    juror.get_by_label("Causes probables de l'anomalie").fill(CAUSES)
    expect(juror.get_by_label("Taper mon nom")).to_be_checked()
    juror.get_by_label("Nom et prénom (valent signature)").fill(s.juror_name)
    juror.get_by_role("button", name="Signer et transmettre la fiche").click()
    expect(juror.get_by_text("Fiche anomalie enregistrée et signée : elle est transmise au "
                             "conseil de pilotage.")).to_be_visible()
    first_id = filed_sheet_id(juror, url)
    expect(juror.get_by_role("heading", level=1)).to_have_text(f"Fiche anomalie n° {first_id}")
    sheet = juror.locator("dl.anomaly-sheet")
    expect(sheet).to_contain_text(TECHNICAL)
    expect(sheet).to_contain_text(DESCRIPTION)
    expect(sheet).to_contain_text(CONSEQUENCE)
    expect(sheet).to_contain_text(CAUSES)
    expect(sheet.locator(".signature-typedname")).to_have_text(s.juror_name)
    expect(juror.locator("#titre-avis .badge")).to_have_text("Transmise au conseil de pilotage")
    expect(juror.get_by_text("qui n'a pas encore rendu son avis")).to_be_visible()

    # … and a second one (timing), signing by drawing with the mouse.
    open_anomaly_form(juror, s)
    juror.get_by_label("Type d'anomalie").select_option(label=TIMING)
    juror.get_by_label("Description de l'anomalie").fill("Le chronomètre de la salle retardait.")
    juror.get_by_label("Conséquence de l'anomalie").fill("Deux minutes de trop accordées.")
    draw_signature(juror, juror.locator("[data-signature-pad]"))
    juror.get_by_role("button", name="Signer et transmettre la fiche").click()
    second_id = filed_sheet_id(juror, url)
    assert second_id != first_id
    expect(juror.get_by_role("img", name=f"Signature tracée {of(s.juror_name)}")).to_be_visible()
    expect(juror.locator("dl.anomaly-sheet")).to_contain_text("Non renseignées")  # no causes

    # The juror has no way into the council's pages: no "Conseil" link, and a 403.
    expect(juror.get_by_role("navigation").get_by_role("link", name="Conseil")).to_have_count(0)
    refused = juror.goto(url + "/conseil/fiches")
    assert refused.status == 403
    expect(juror.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    expect(juror.get_by_role("alert")).to_have_text("Vous n'avez pas accès à cette page.")

    # 2. The council member: both sheets in the inbox, the newest first, to examine.
    council = live.user(server, s.council_email, "Conseil de pilotage")
    council.get_by_role("navigation", name="Pages du conseil").get_by_role(
        "link", name="Fiches", exact=True).click()
    expect(council.get_by_role("heading", level=1)).to_have_text("Fiches reçues par le conseil")
    expect(council.locator("#fiches [role=status]")).to_have_text("2 fiches.")
    rows = council.locator("#fiches tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(TIMING)
    expect(rows.nth(1)).to_contain_text(TECHNICAL)
    for i in (0, 1):
        expect(rows.nth(i)).to_contain_text(s.juror_name)
        expect(rows.nth(i)).to_contain_text(f"n° {s.session_number}")
        expect(rows.nth(i).locator(".badge")).to_have_text("À examiner")
    inbox_row(council, first_id).get_by_role("link", name="Fiche anomalie").click()
    review_path = f"/conseil/fiches/anomalie/{first_id}"
    expect(council).to_have_url(url + review_path)
    expect(council.get_by_role("heading", level=1)).to_have_text(
        f"Fiche anomalie n° {first_id} — {s.juror_name}")
    expect(council.locator(".page-head .badge")).to_have_text("À examiner")
    expect(council.locator("#titre-fiche + dl")).to_contain_text(DESCRIPTION)

    # The opinion: today's date is offered; the commission number is the council's.
    opinion = council.locator("#avis")
    expect(opinion.get_by_label("Date de l'avis")).to_have_value(today.isoformat())
    opinion.get_by_label("Commission N°").fill(COMMISSION)
    opinion.get_by_label("Avis du comité de pilotage").fill(OPINION)
    opinion.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(council.get_by_text("Avis enregistré (brouillon) : il reste à le signer.")).to_be_visible()
    expect(opinion.get_by_label("Commission N°")).to_have_value(COMMISSION)
    expect(opinion.get_by_role("heading", name="Signer l'avis")).to_be_visible()

    # A corrective action, proposed for the organiser, then adopted.
    actions = council.locator("#actions")
    expect(actions.get_by_text("Aucune action corrective pour l'instant.")).to_be_visible()
    actions.locator("summary", has_text="Proposer une action corrective").click()
    actions.get_by_label("Action corrective", exact=True).fill(ACTION_TITLE)
    actions.get_by_label("Précisions").fill(ACTION_DETAIL)
    actions.get_by_label("Responsable").select_option(label=s.organiser_name)
    actions.get_by_label("Échéance").fill(due_on.isoformat())
    actions.get_by_role("button", name="Proposer l'action").click()
    expect(council.get_by_text(f"Action « {ACTION_TITLE} » proposée : adoptez-la pour la "
                               "rendre obligatoire.")).to_be_visible()
    item = council.locator("#actions li", has_text=ACTION_TITLE)
    expect(item.locator(".badge").first).to_have_text("Proposée")
    expect(item).to_contain_text(f"Responsable : {s.organiser_name}")
    item.get_by_role("button", name="Adopter").click()
    expect(council.get_by_text(f"Action « {ACTION_TITLE} » : adoptée.")).to_be_visible()
    expect(item.locator(".badge").first).to_have_text("Adoptée")

    # The opinion is signed (typed name) with the adopted action; it is then frozen.
    expect(opinion.locator(".signed-content")).to_contain_text(f"commission n° {COMMISSION}")
    expect(opinion.locator(".signed-content")).to_contain_text(ACTION_TITLE)
    opinion.get_by_label("Nom et prénom (valent signature)").fill(s.council_name)
    opinion.get_by_role("button", name="Signer l'avis").click()
    expect(council.get_by_text("Avis du comité de pilotage signé : il ne peut plus être "
                               "modifié.")).to_be_visible()
    expect(opinion.locator(".badge.ok")).to_have_text("Signé")
    expect(opinion.locator("dl.facts")).to_contain_text(COMMISSION)
    expect(opinion.locator("dl.facts")).to_contain_text(OPINION)
    expect(opinion.locator(".signature-typedname")).to_have_text(s.council_name)
    expect(opinion.get_by_role("button", name="Enregistrer le brouillon")).to_have_count(0)
    expect(council.locator(".page-head .badge")).to_have_text("Actions en cours")

    # Closing is refused while the adopted action is not verified: the page says why, and
    # the server refuses with the same French message, back on the sheet's own page.
    closing = council.locator("#cloture")
    expect(closing).to_contain_text(CLOSE_REFUSED)
    with council.expect_response(lambda r: r.request.method == "POST") as answer:
        closing.get_by_role("button", name="Clôturer la fiche").click()
    assert answer.value.status == 303
    expect(council).to_have_url(f"{url}{review_path}#cloture")
    expect(council.get_by_role("heading", level=1)).to_have_text(
        f"Fiche anomalie n° {first_id} — {s.juror_name}")
    expect(closing.get_by_role("alert")).to_have_text(CLOSE_REFUSED)
    council.goto(url + review_path)
    expect(council.locator(".page-head .badge")).to_have_text("Actions en cours")

    # 3. The owner, the organiser (not a council member), starts the action and applies it.
    org = live.user(server, s.organiser_email, "Tableau de bord")
    org.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Conseil").click()
    org.get_by_role("link", name="Actions correctives", exact=True).first.click()
    org.get_by_role("link", name=ACTION_TITLE).click()
    expect(org.get_by_role("heading", level=1)).to_have_text(ACTION_TITLE)
    head_badge = org.locator(".page-head .badge").first
    expect(head_badge).to_have_text("Adoptée")
    expect(org.locator("dl.facts")).to_contain_text(s.organiser_name)
    org.get_by_role("button", name="Commencer").click()
    expect(org.get_by_text(f"Action « {ACTION_TITLE} » : en cours.")).to_be_visible()
    expect(head_badge).to_have_text("En cours")
    org.locator("summary", has_text="Marquer appliquée").click()
    org.get_by_label("Ce qui a été fait (facultatif)").fill(APPLIED_NOTE)
    org.locator("details", has_text="Marquer appliquée").get_by_role(
        "button", name="Marquer appliquée").click()
    expect(org.get_by_text(f"Action « {ACTION_TITLE} » : appliquée.")).to_be_visible()
    expect(head_badge).to_have_text("Appliquée")
    expect(org.locator("dl.facts")).to_contain_text(APPLIED_NOTE)
    # Verifying is the council's: the owner is not offered it.
    expect(org.locator("summary", has_text="Marquer vérifiée")).to_have_count(0)

    # The council verifies: first without evidence (refused, nothing changes) …
    council.goto(url + review_path)
    council.locator("#actions").get_by_role("link", name=ACTION_TITLE).click()
    action_path = re.sub(r"^https?://[^/]+", "", council.url)
    expect(council.locator(".page-head .badge").first).to_have_text("Appliquée")
    council.locator("summary", has_text="Marquer vérifiée").click()
    verify = council.locator("details", has_text="Marquer vérifiée")
    evidence_box = verify.get_by_label("Preuve de l'application effective")
    verify.get_by_role("button", name="Marquer vérifiée").click()  # empty: the browser stops it
    assert evidence_box.evaluate("el => el.validity.valueMissing")
    expect(council).to_have_url(url + action_path)
    evidence_box.fill("   ")  # blanks only: the browser lets it through, the server refuses
    with council.expect_response(lambda r: r.request.method == "POST") as answer:
        verify.get_by_role("button", name="Marquer vérifiée").click()
    assert answer.value.status == 400
    expect(council.get_by_role("alert")).to_have_text(MSG_EVIDENCE_REQUIRED)
    council.goto(url + action_path)
    expect(council.locator(".page-head .badge").first).to_have_text("Appliquée")
    with server.app.app_context():
        assert db.session.scalar(db.select(CorrectiveAction.status)) == "applied"
        db.session.remove()

    # … then with evidence text and a PDF.
    proof = evidence_pdf()
    council.locator("summary", has_text="Marquer vérifiée").click()
    verify.get_by_label("Preuve de l'application effective").fill(EVIDENCE)
    verify.get_by_label("Fichier de preuve (facultatif)").set_input_files(
        {"name": "bon-de-livraison.pdf", "mimeType": "application/pdf", "buffer": proof})
    verify.get_by_role("button", name="Marquer vérifiée").click()
    expect(council.get_by_text(f"Action « {ACTION_TITLE} » : vérifiée.")).to_be_visible()
    expect(council.locator(".page-head .badge").first).to_have_text("Vérifiée")
    evidence_section = council.locator("section", has=council.locator("#titre-preuve"))
    expect(evidence_section).to_contain_text(EVIDENCE)
    expect(evidence_section).to_contain_text(f"par {s.council_name}")
    download = evidence_section.get_by_role("link", name="Télécharger bon-de-livraison.pdf")
    fetched = council.context.request.get(url + download.get_attribute("href"))
    assert fetched.status == 200 and fetched.body() == proof
    expect(council.locator("ol.history")).to_contain_text("Vérifiée")

    # 4. The council closes the sheet; the inbox shows it closed, the other still to examine.
    council.goto(url + review_path)
    expect(closing).not_to_contain_text(CLOSE_REFUSED)
    closing.get_by_label("Note de clôture (facultative)").fill(CLOSING_NOTE)
    closing.get_by_role("button", name="Clôturer la fiche").click()
    expect(council.get_by_text("Fiche clôturée.")).to_be_visible()
    expect(council.locator(".page-head .badge")).to_have_text("Clôturée")
    expect(closing).to_contain_text(f"par {s.council_name}")
    expect(closing).to_contain_text(CLOSING_NOTE)
    expect(council.locator("#actions summary")).to_have_count(0)  # nothing more to propose
    council.screenshot(path=str(artifacts / "council-review-closed.png"), full_page=True)
    council.locator(".crumbs").get_by_role("link", name="Fiches").click()
    expect(inbox_row(council, first_id).locator(".badge")).to_have_text("Clôturée")
    expect(inbox_row(council, second_id).locator(".badge")).to_have_text("À examiner")

    # The anomaly's PDF carries the opinion, the commission number and the action.
    council.goto(url + review_path)
    pdf_link = council.get_by_role("link", name="Télécharger la fiche (PDF)")
    pdf = council.context.request.get(url + pdf_link.get_attribute("href"), timeout=SLOW_MS)
    assert pdf.status == 200 and pdf.headers["content-type"].startswith("application/pdf")
    text = " ".join(pdf_text(pdf.body()).split())
    for expected in (COMMISSION, OPINION, ACTION_TITLE, DESCRIPTION, s.juror_name,
                     s.organiser_name, "Vérifiée"):
        assert expected in text, f"{expected!r} missing from the PDF: {text}"
    artifacts.joinpath("council-anomaly.pdf").write_bytes(pdf.body())

    # The juror sees on their sheet that the council has closed it, with its opinion.
    juror.goto(f"{url}/anomalies/{first_id}")
    expect(juror.locator("#titre-avis .badge")).to_have_text("Clôturée")
    expect(juror.locator("section", has=juror.locator("#titre-avis"))).to_contain_text(OPINION)
    expect(juror.locator("section", has=juror.locator("#titre-avis"))).to_contain_text(ACTION_TITLE)

    # The database: the action verified with its evidence stored, the review closed, and
    # every step in the audit log.
    with server.app.app_context():
        action = db.session.scalar(db.select(CorrectiveAction))
        assert action.status == "verified"
        assert action.verified_at is not None and action.verified_by_id == s.council_id
        assert action.owner_id == s.organiser_id and action.due_on == due_on
        assert action.applied_note == APPLIED_NOTE and action.evidence_text == EVIDENCE
        assert action.evidence_filename == "bon-de-livraison.pdf"
        assert action.evidence_mime == "application/pdf"
        stored = storage.path_of(action.evidence_file)
        assert stored.is_file() and stored.read_bytes() == proof
        assert Path(stored).name != "bon-de-livraison.pdf"  # stored under a random name
        review = db.session.scalar(db.select(CouncilReview))
        assert review.anomaly_sheet_id == first_id and action.review_id == review.id
        assert review.commission_number == COMMISSION and review.opinion == OPINION
        assert review.opinion_signed_at is not None and review.opinion_signed_by_id == s.council_id
        assert review.closed_at is not None and review.closed_by_id == s.council_id
        assert review.closing_note == CLOSING_NOTE
        assert db.session.get(AnomalySheet, second_id).review is None
        log = [(e.action, e.actor_id) for e in db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action.in_((
                "anomaly.file", "council.opinion", "council.opinion_sign", "council.close"))
                | AuditEntry.action.like("action.%")).order_by(AuditEntry.id))]
        juror_id = db.session.get(AnomalySheet, first_id).reporter_user_id
        assert log == [
            ("anomaly.file", juror_id), ("anomaly.file", juror_id),
            ("council.opinion", s.council_id), ("action.propose", s.council_id),
            ("action.adopt", s.council_id), ("council.opinion_sign", s.council_id),
            ("action.start", s.organiser_id), ("action.apply", s.organiser_id),
            ("action.verify", s.council_id), ("council.close", s.council_id),
        ]
        verify_entry = db.session.scalar(db.select(AuditEntry).filter_by(action="action.verify"))
        assert verify_entry.old_value == "applied" and verify_entry.new_value == "verified"
        assert verify_entry.details["evidence_file"] == "bon-de-livraison.pdf"
        db.session.remove()
