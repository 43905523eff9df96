"""Annex 7 shows the attestation the juror signed: the session's day and the signature."""
import io
import re
from datetime import date

import pypdf

from certif.jurors.professionalisation import operations
from certif.jurors.professionalisation.content import attestation_content
from certif.signatures.rules import content_sha256, parse_mark

from ..factories.files import drawn_png
from ..factories.jurors import make_professionalisation


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_the_signed_attestation_is_on_annex_7(organiser, juror_user, set_paris_today):
    set_paris_today(date(2026, 3, 12))
    session = make_professionalisation(date(2026, 3, 10), juror_user, attended=True)
    [invitation] = session.invitations
    operations.sign_attestation(juror_user, session.id, parse_mark("drawn", drawn_png(), None),
                                seen_sha256=content_sha256(attestation_content(invitation)))
    response = organiser.get(f"/jures/{juror_user.id}/habilitations/RS6240/fiche.pdf")
    assert response.status_code == 200
    text = text_of(response.data)
    assert ("Je soussigné(e), Claire FONTAINE, Atteste avoir suivi la session de professionnalisation "
            "au rôle de juré(e) pour la certification « GERER LA COMMUNICATION DIGITALE D'UNE "
            "ENTREPRISE VIA LES RESEAUX SOCIAUX » RS 6240, le 10 mars 2026") in text
    assert re.search(r"Signature du juré\(e\) : Claire FONTAINE, signé le \d+ \w+ 20\d\d à", text)
    assert "empreinte SHA-256" in text and "Session en distanciel du 10 mars 2026 à 14 h 00" in text
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert any(page.images for page in reader.pages)  # the drawn signature


def test_without_a_signed_attestation_the_day_attended_is_printed(organiser, juror_user,
                                                                  set_paris_today):
    set_paris_today(date(2026, 3, 12))
    make_professionalisation(date(2026, 3, 10), juror_user, attended=True)
    text = text_of(organiser.get(f"/jures/{juror_user.id}/habilitations/RS6240/fiche.pdf").data)
    assert "RS 6240, le 10 mars 2026" in text and "Signature du juré(e)" not in text
    # A session of RS6240 says nothing of the title: its annex 7 leaves the day blank.
    text = text_of(organiser.get(f"/jures/{juror_user.id}/habilitations/RNCP-CM/fiche.pdf").data)
    assert "« COMMUNITY MANAGER » RNCP-CM, le …" in text
