"""The mandatory mentions (issue 15, item 3): a certificate and a block attestation print every
one of them (registered title, register and number, RNCP level, registration decision and its
date, end of registration, holder and date of birth, date and place of award, certifier,
signatory's name, function and signature); a missing one refuses their production (409) with
the French list of what to fill in."""
import html
import io
from datetime import date

import pypdf
import pytest

from certif.certificates.blocks.models import BlockAttestation
from certif.certificates.mentions import MentionFacts, missing_mentions
from certif.certificates.models import Certificate
from certif.extensions import db
from certif.grading import services as grading
from certif.grading.rules import FAVORABLE
from certif.minutes import operations as minutes_ops
from certif.minutes.state import minutes_state
from certif.referentials.loader import DATA_DIR, read
from certif.referentials.registration import registration_of
from certif.signatures.rules import parse_mark
from certif.timeutil import paris_day

from ..factories.blocks import previous_attempt
from ..factories.grading import finished_session
from ..factories.minutes import make_minutes
from ..factories.sessions import make_exam
from .helpers import signed_visa

RS_DECREE = ("Arrêté du 25 janvier 2023 publié au Journal Officiel du 25 janvier 2023 portant "
             "enregistrement au Répertoire Spécifique des Certifications et Habilitations")


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def one_page_landscape(data: bytes) -> bool:
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    return len(reader.pages) == 1 and box.width > box.height


def produce(organiser, session):
    return organiser.post(f"/sessions/{session.id}/certificats")


def test_a_certificate_prints_every_mandatory_mention(organiser, organiser_user, app, tmp_path):
    app.config["ORGANISATION_CITY"] = "Lyon"
    setup = finished_session(decisions=(FAVORABLE,))
    candidate = setup.exam.candidate
    candidate.birth_date = date(1994, 3, 8)
    db.session.commit()
    signed_visa(setup.session, organiser_user)
    assert produce(organiser, setup.session).status_code == 303
    certificate = db.session.scalar(db.select(Certificate))
    data = organiser.get(f"/certificats/{certificate.id}.pdf").data
    (tmp_path / "certificate.pdf").write_bytes(data)
    text = text_of(data)
    ref = setup.session.referential
    awarded = paris_day(setup.exam.closed_at)
    for mention in (f"« {ref.registered_title} »",
                    "Répertoire spécifique sous le numéro RS6240",
                    f"par décision du 25/01/2023 ({RS_DECREE})",
                    "Enregistrement du 26/01/2023 au 25/01/2028.",
                    candidate.full_name, "né(e) le 8 mars 1994",
                    f"Certification obtenue le {awarded.day}",
                    "Fait à Lyon le", "ALLOKOM", "Organisme certificateur",
                    "Pour ALLOKOM, responsable d'organisation de la certification",
                    organiser_user.full_name):
        assert mention in text, mention
    assert one_page_landscape(data)


@pytest.fixture
def rncp_blocks(app, organiser_user):
    """An RNCP attempt that validates BC03 (BC01, BC02 kept from before), minutes signed, visa."""
    setup = make_exam("RNCP-CM")
    previous_attempt(setup.exam.candidate, ("BC01", "BC02"), setup=setup, number="CM-AVANT")
    bc03 = [k.id for b in setup.layout.blocks if b.code == "BC03"
            for c in b.competencies for k in c.criteria]
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        for juror in (setup.president, setup.member):
            for criterion in bc03:
                grading.set_mark(juror, setup.exam.id, criterion, "acquis")
        grading.open_deliberation(setup.president, setup.exam.id)
        grading.close_deliberation(setup.president, setup.exam.id, confirmed=True, comment="Bien.")
        for juror in (setup.president, setup.member):
            minutes_ops.sign(juror, setup.session.id, parse_mark("typed", None, juror.full_name),
                             minutes_state(setup.session.id).content_sha256)
        minutes_ops.visa(organiser_user, setup.session.id,
                         parse_mark("typed", None, organiser_user.full_name),
                         minutes_state(setup.session.id).content_sha256)
    db.session.expire_all()
    return setup


def test_a_block_attestation_prints_every_mandatory_mention(organiser, organiser_user, rncp_blocks,
                                                            tmp_path):
    assert produce(organiser, rncp_blocks.session).status_code == 303
    attestation = db.session.scalar(db.select(BlockAttestation))
    data = organiser.get(f"/attestations-bloc/{attestation.id}.pdf").data
    (tmp_path / "block_attestation.pdf").write_bytes(data)
    text = text_of(data)
    for mention in ("« Community manager »",
                    "Répertoire national des certifications professionnelles sous le numéro "
                    "RNCP12345, niveau 5, par décision du 10/01/2024 (Décision de test).",
                    "Enregistrement du 11/01/2024 au 10/01/2029.",
                    rncp_blocks.exam.candidate.full_name, "né(e) le 17 mai 1995",
                    "Bloc validé le", "Fait à Paris le", "Organisme certificateur",
                    "Pour ALLOKOM, responsable d'organisation de la certification",
                    organiser_user.full_name):
        assert mention in text, mention
    assert one_page_landscape(data)


def test_rncp_without_its_registration_facts_refuses_the_attestations(organiser, rncp_blocks):
    """Seed 001 gives no RNCP number: the shipped file declares it unknown, and nothing is made."""
    ref = rncp_blocks.session.referential
    ref.details = {**ref.details, "registration": {
        "register": "Répertoire national des certifications professionnelles", "number": None,
        "level": None, "decree": None, "decided_on": None, "effective_from": None,
        "ends_on": None}}
    db.session.commit()
    response = produce(organiser, rncp_blocks.session)
    assert response.status_code == 409
    for missing in ("le numéro d'enregistrement RNCP (« registration.number ») de RNCP-CM",
                    "le niveau de qualification (« registration.level »)",
                    "la décision d'enregistrement", "la date de fin d'enregistrement"):
        assert missing in html.unescape(response.text)
    assert db.session.scalar(db.select(BlockAttestation)) is None


def test_a_missing_birth_date_city_or_signature_refuses_the_certificates(organiser, app):
    app.config["ORGANISATION_CITY"] = None
    setup = finished_session(decisions=(FAVORABLE,))
    setup.exam.candidate.birth_date = None
    db.session.commit()
    make_minutes(setup.session, signed=False)
    response = produce(organiser, setup.session)
    assert response.status_code == 409
    text = html.unescape(response.text)
    assert "des mentions obligatoires manquent" in text
    assert f"la date de naissance de {setup.exam.candidate.full_name}" in text
    assert "CERTIF_ORGANISATION_CITY" in text
    assert "la signature du signataire" in text
    assert db.session.scalar(db.select(Certificate)) is None


def test_the_shipped_rncp_file_declares_its_registration_unknown(app):
    data, _ = read(DATA_DIR / "rncp_cm.yaml")
    missing = missing_facts_of(data)
    assert any("registration.number" in m for m in missing)
    assert any("registration.level" in m for m in missing)
    data, _ = read(DATA_DIR / "rs6240.yaml")
    assert missing_facts_of(data) == []


def missing_facts_of(data):
    return missing_mentions(facts(registration_of(data["code"], data)))


def facts(registration, **changes):
    values = dict(registration=registration, certifier="ALLOKOM", place="Lyon",
                  signatory_name="Sephora Labi", signatory_function="Responsable", signed=True,
                  holders=(("Jade Rousseau", date(1990, 1, 2)),))
    return MentionFacts(**{**values, **changes})


RS = registration_of("RS6240", {"registered_title": "Titre", "registration": {
    "register": "Répertoire spécifique", "number": "RS6240", "decree": "Arrêté",
    "decided_on": "2023-01-25", "ends_on": "2028-01-25"}})


@pytest.mark.parametrize("changes, expected", [
    ({}, []),
    ({"certifier": " "}, ["le nom de l'organisme certificateur (configuration CERTIF_ORGANISATION)"]),
    ({"place": None}, ["le lieu de délivrance : la ville de l'organisme (configuration "
                       "CERTIF_ORGANISATION_CITY)"]),
    ({"signatory_name": None}, ["le nom du signataire (le visa du procès-verbal par le "
                                "responsable d'organisation)"]),
    ({"signed": False}, ["la signature du signataire (le visa signé du procès-verbal)"]),
    ({"holders": (("Jade Rousseau", None), ("Théo Blanc", date(1990, 1, 1)))},
     ["la date de naissance de Jade Rousseau (fiche du candidat)"]),
])
def test_missing_mentions_table(changes, expected):
    assert missing_mentions(facts(RS, **changes)) == expected


@pytest.mark.parametrize("registration, expected", [
    ({"register": "Répertoire spécifique", "number": "RS6240"},
     ["la décision d'enregistrement (« registration.decree ») de X",
      "la date de la décision d'enregistrement (« registration.decided_on ») de X",
      "la date de fin d'enregistrement (« registration.ends_on ») de X"]),
    ({"register": "RNCP", "number": "RNCP1", "level": None, "decree": "D",
      "decided_on": "2024-01-01", "ends_on": "2029-01-01"},
     ["le niveau de qualification (« registration.level ») de X"]),
])
def test_missing_registration_facts_table(registration, expected):
    reg = registration_of("X", {"registered_title": "T", "registration": registration})
    assert missing_mentions(facts(reg)) == expected
