"""Annex 7, the habilitation form, filled from the profile, one per certification."""
import io
import re

import pypdf

from certif.auth.models import JUROR
from certif.extensions import db

from ..factories.users import make_user


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def test_the_form_is_filled_from_the_profile(organiser, juror_user):
    organiser.post(f"/jures/{juror_user.id}/habilitations/RS6240",
                   {"rs6240-result": "favourable", "rs6240-comment": "Profil conforme, CV reçu."})
    response = organiser.get(f"/jures/{juror_user.id}/habilitations/RS6240/fiche.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "fiche-habilitation-RS6240-Claire-FONTAINE.pdf" in response.headers["Content-Disposition"]
    text = text_of(response.data)
    for expected in [
        "FICHE HABILITATION JURY",
        "« GERER LA COMMUNICATION DIGITALE D'UNE ENTREPRISE VIA LES RESEAUX SOCIAUX »",
        "Certification : Gérer les réseaux sociaux d'une entreprise afin d'intégrer une stratégie "
        "social media à une communication digitale (RS6240)",
        "INFORMATIONS SUR LE CANDIDAT AU JURY :", "Nom : FONTAINE", "Prénom : Claire",
        "Adresse : 12 rue des Lilas", "Code postal : 69003", "Ville : Lyon",
        "Tél : 06 12 34 56 78", f"Mail : {juror_user.email}",
        "INFORMATIONS POUR L'HABILITATION :", "Profession : Community manager",
        "Lieu d'exercice : Agence Sociale", "Ancienneté : 7 ans",
        "SESSION DE PROFESSIONNALISATION :",
        "Je soussigné(e), Claire FONTAINE, Atteste avoir suivi la session de professionnalisation "
        "au rôle de juré(e) pour la certification « GERER LA COMMUNICATION DIGITALE D'UNE "
        "ENTREPRISE VIA LES RESEAUX SOCIAUX » RS 6240, le",
        "RESULTAT D'HABILITATION : X FAVORABLE DEFAVORABLE",
        "Commentaire :", "Profil conforme, CV reçu.",
        "*Fiche à joindre au CV du jury habilité",
    ]:
        assert expected in text, expected
    # Field order as in the annex.
    order = ["Nom :", "Adresse :", "Code postal :", "Tél :", "Profession :", "Lieu d'exercice :",
             "Ancienneté :", "Je soussigné(e)", "FAVORABLE", "Commentaire :"]
    positions = [text.index(label) for label in order]
    assert positions == sorted(positions)


def test_unfavourable_box_is_checked(organiser, juror_user):
    organiser.post(f"/jures/{juror_user.id}/habilitations/RS6240",
                   {"rs6240-result": "unfavourable", "rs6240-comment": "Ancienneté insuffisante."})
    text = text_of(organiser.get(f"/jures/{juror_user.id}/habilitations/RS6240/fiche.pdf").data)
    assert "RESULTAT D'HABILITATION : FAVORABLE X DEFAVORABLE" in text
    assert "Ancienneté insuffisante." in text


def test_juror_downloads_their_own_blank_form(app, make_web):
    user = make_user(JUROR, first_name="Nina", last_name="Nouvelle")
    response = make_web(user).get(f"/jures/{user.id}/habilitations/RS6240/fiche.pdf")
    assert response.status_code == 200
    text = text_of(response.data)
    assert "Nom : NOUVELLE" in text and "Prénom : Nina" in text
    assert "RESULTAT D'HABILITATION : FAVORABLE DEFAVORABLE" in text
    assert "RS 6240, le" in text
    db.session.rollback()
