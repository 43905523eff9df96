"""The information notice on personal data (GDPR articles 13 and 14): what certif holds, why,
on which legal basis, for how long, who receives it, and how to exercise one's rights.

The facts that vary (the controller's name and address, the contact, the DPO) come from the
configuration (`ORGANISATION_NAME`, `PRIVACY_*`); the rest is the same for every organisation
running certif, written once here in plain words. The page is public (no login): the login
page, every candidate page and every convocation link to it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Purpose:
    what: str  # the purpose, in plain words
    data: str  # the data it needs
    basis: str  # its legal basis (GDPR article 6)
    kept: str  # how long, in plain words


@dataclass(frozen=True)
class NoticeFacts:
    controller: str
    address: str
    contact: str
    dpo: str | None


PURPOSES = (
    Purpose("Organiser les épreuves de certification : inscription, convocation, contrôle de "
            "l'identité, émargement, évaluation, délibération du jury, résultat, recours.",
            "Identité, coordonnées, parcours de formation, dossier et livret, aménagements "
            "d'épreuve, évaluations du jury, décision.",
            "Exécution de votre inscription à la certification (article 6-1-b) et obligations du "
            "certificateur fixées par le Code du travail et le référentiel enregistré (6-1-c).",
            "Pendant la session, puis le temps des recours ; les preuves de déroulement de "
            "l'épreuve (adresses IP, signatures tracées, liens d'émargement) quelques années "
            "après la session, pour répondre à un contrôle ou à un litige."),
    Purpose("Délivrer le certificat et le déclarer à la Caisse des Dépôts (passeport de "
            "compétences, Mon Compte Formation).",
            "Nom de naissance et d'usage, prénoms, date et lieu de naissance, sexe, mode "
            "d'accès, certification obtenue et date d'obtention.",
            "Obligation légale (article L6113-8 du Code du travail ; RGPD 6-1-c).",
            "Ce qui prouve la certification (titulaire, numéro du certificat, décision, "
            "procès-verbal) est conservé tant que la loi l'exige, pour que vous puissiez en "
            "obtenir la preuve."),
    Purpose("Composer les jurys : habilitation des jurés (profession, expérience, CV), "
            "convocation, déclaration d'absence de conflit d'intérêts.",
            "Identité, coordonnées, parcours professionnel, CV, signatures.",
            "Intérêt légitime du certificateur à prouver que ses jurys respectent le "
            "référentiel (6-1-f) et obligations du certificateur (6-1-c).",
            "Tant que le juré est actif, puis quelques années après sa dernière session."),
    Purpose("Suivre la qualité : fiches anomalie, conditions d'examen, conseil de pilotage, "
            "indicateurs publiés.",
            "Le contenu des fiches ; les indicateurs publiés ne sont que des nombres, sans nom.",
            "Intérêt légitime et obligations de qualité du certificateur (Qualiopi).",
            "Le temps du suivi des actions correctives ; les statistiques, anonymes, sont "
            "gardées."),
    Purpose("Sécuriser l'application : comptes, journal des actions, courriels envoyés.",
            "Adresse électronique, journal (qui a fait quoi, quand, depuis quelle adresse IP).",
            "Intérêt légitime à protéger les données et à prouver qui a fait quoi (6-1-f).",
            "Les adresses IP du journal et les courriels envoyés : un an."),
)

RECIPIENTS = (
    "Les personnes du certificateur chargées de l'organisation des certifications.",
    "Les jurés, pour les seuls candidats qu'ils évaluent.",
    "Le conseil de pilotage, pour les fiches anomalie et les conditions d'examen.",
    "La Caisse des Dépôts, pour la déclaration des titulaires (passeport de compétences).",
    "France Compétences et les auditeurs qualité, lors d'un contrôle.",
    "L'hébergeur de l'application, qui agit sur nos seules instructions.",
)

RIGHTS = (
    "accéder à vos données et en obtenir une copie ;",
    "faire rectifier celles qui sont inexactes ou incomplètes ;",
    "faire effacer celles que la loi ne nous oblige pas à garder ;",
    "demander la limitation d'un traitement, ou vous opposer à celui fondé sur notre intérêt "
    "légitime ;",
    "recevoir les données que vous nous avez fournies dans un format lisible (portabilité).",
)


def notice_facts() -> NoticeFacts:
    """The notice's variable facts, from the configuration."""
    config = current_app.config
    return NoticeFacts(controller=config["ORGANISATION_NAME"],
                       address=config.get("PRIVACY_CONTROLLER_ADDRESS") or "",
                       contact=config.get("PRIVACY_CONTACT") or config["MAIL_SENDER"],
                       dpo=config.get("PRIVACY_DPO") or None)
