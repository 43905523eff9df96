"""The declaration file: valid against the Caisse des Dépôts' schema (checked here with
xmlschema on the schema file shipped with certif), lines with bad holder data held back with
their fields, a corrected line sent again under the same technical id."""
import hashlib
from datetime import date
from pathlib import Path

import pytest
import xmlschema

from certif.cdc import operations, pages, rules
from certif.cdc.models import ACCEPTED, REJECTED, CdcDeclaration
from certif.errors import Conflict
from certif.extensions import db
from certif.timeutil import utcnow

from ..factories.cdc import declarable_certificates

SCHEMA = Path(__file__).resolve().parents[2] / "certif" / "cdc" / "cpf-accrochage-1.1.2.xsd"
NS = {"cpf": "urn:cdc:cpf:pc5:schema:1.0.0"}
HELD = [
    ({"birth_date": None}, "Date de naissance (à compléter)"),
    ({"sex": "X"}, "Sexe (à corriger : M ou F)"),
    ({"birth_insee_code": "6912"}, "Code commune INSEE de naissance (à corriger : 5 caractères)"),
]


def schema():
    return xmlschema.XMLSchema(str(SCHEMA))


def passages(xml: str) -> list:
    return schema().to_etree(schema().to_dict(xml)).findall(".//cpf:passageCertification", NS)


def test_the_file_of_a_session_is_valid_against_the_cdc_schema(app, organiser_user):
    certificates = declarable_certificates(2, holders=[
        {}, {"usage_name": "Martin", "birth_insee_code": None, "birth_postal_code": "75011",
             "birth_commune": "Paris", "first_name_3": "Lou", "access_mode": "VAE"}])
    cdc_file = operations.generate_file(organiser_user)
    schema().validate(cdc_file.xml)  # raises on the first error
    root = schema().to_etree(schema().to_dict(cdc_file.xml))
    assert root.find("cpf:emetteur/cpf:idClient", NS).text == "TEST0001"
    certification = root.find(".//cpf:certification", NS)
    assert (certification.find("cpf:type", NS).text, certification.find("cpf:code", NS).text) == \
        ("RS", "6240")
    ids = [p.find("cpf:idTechnique", NS).text for p in root.iter(f"{{{NS['cpf']}}}passageCertification")]
    assert ids == [rules.technical_id(c.number) for c in certificates]
    assert "<cpf:codeInsee>69123</cpf:codeInsee>" in cdc_file.xml
    assert "<cpf:codePostal>75011</cpf:codePostal>" in cdc_file.xml
    assert "<cpf:modaliteAcces>VAE</cpf:modaliteAcces>" in cdc_file.xml
    assert "<cpf:anneeNaissance>1991</cpf:anneeNaissance>" in cdc_file.xml
    assert cdc_file.number == 1 and cdc_file.line_count == 2
    assert {line.state for line in pages.lines()} == {rules.DECLARED}


@pytest.mark.parametrize(("fields", "message"), HELD)
def test_bad_holder_data_holds_the_line_back(app, organiser_user, fields, message):
    good, bad = declarable_certificates(2, holders=[{}, fields])
    lines = {line.certificate.id: line for line in pages.lines()}
    assert lines[bad.id].state == rules.TO_CORRECT and message in lines[bad.id].problems
    assert lines[good.id].ready
    cdc_file = operations.generate_file(organiser_user)
    schema().validate(cdc_file.xml)
    assert rules.technical_id(good.number) in cdc_file.xml
    assert bad.number not in cdc_file.xml
    assert pages.lines()[0].state in (rules.TO_CORRECT, rules.DECLARED)


def test_a_certification_without_its_rncp_number_is_held_back(app, organiser_user):
    (certificate,) = declarable_certificates(1, code="RNCP-CM")
    (line,) = pages.lines()
    assert line.state == rules.TO_CORRECT
    assert line.problems[0].startswith("Numéro RNCP de la certification RNCP-CM inconnu")
    with pytest.raises(Conflict) as refused:
        operations.generate_file(organiser_user)
    assert "Aucune ligne n'est prête" in refused.value.message


def test_a_corrected_line_is_sent_again_as_the_same_passage(app, organiser_user):
    first, second = declarable_certificates(2)
    operations.generate_file(organiser_user)
    declarations = {d.certificate_id: d for d in db.session.scalars(db.select(CdcDeclaration))}
    operations.record_answer(organiser_user, declarations[first.id].id, ACCEPTED, None)
    operations.record_answer(organiser_user, declarations[second.id].id, REJECTED,
                             "Commune de naissance inconnue")
    states = {line.certificate.id: line.state for line in pages.lines()}
    assert states == {first.id: ACCEPTED, second.id: REJECTED}
    with pytest.raises(Conflict):  # nothing changed: nothing to send
        operations.generate_file(organiser_user)

    second.exam.candidate.birth_insee_code = "69381"  # the organiser corrects it
    db.session.commit()
    assert {line.certificate.id: line.state for line in pages.lines()}[second.id] == rules.TO_DECLARE
    again = operations.generate_file(organiser_user)
    schema().validate(again.xml)
    assert again.number == 2 and again.line_count == 1
    assert f"<cpf:idTechnique>{rules.technical_id(second.number)}</cpf:idTechnique>" in again.xml
    assert rules.technical_id(first.number) not in again.xml
    declaration = db.session.get(CdcDeclaration, declarations[second.id].id)
    assert declaration.file.number == 2 and declaration.rejection_reason is None


def test_a_revoked_certificate_never_sent_is_not_declared(app, organiser_user):
    kept, revoked = declarable_certificates(2)
    revoked.revoked_at, revoked.revocation_reason = utcnow(), "Fraude"
    db.session.commit()
    states = {line.certificate.id: line.state for line in pages.lines()}
    assert states == {kept.id: rules.TO_DECLARE, revoked.id: rules.NOT_DECLARED}
    cdc_file = operations.generate_file(organiser_user)
    assert cdc_file.line_count == 1 and revoked.number not in cdc_file.xml


def test_deadline_is_three_months_after_the_award(app, set_paris_today):
    set_paris_today(date(2026, 12, 3))
    declarable_certificates(1, days_ago=3)  # awarded on 30 November
    (line,) = pages.lines()
    assert line.award_day == date(2026, 11, 30)
    assert line.deadline == date(2027, 2, 28)
    assert line.countdown == "87 jours"


# SHA-256 of the CDC's schema as given in the project's reference folder (cpf-accrochage 1.1.2):
# the copy certif ships must be that file, byte for byte, wherever the suite runs.
REFERENCE_SHA256 = "2509b073cb7a2fa30807f71c76e8aab8208c61943fe56ee503d6d64cc08036fc"


def test_the_shipped_schema_is_the_cdc_reference_copy():
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == REFERENCE_SHA256
