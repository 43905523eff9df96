"""What the certificates domain says: the result and certificate emails, the parchemin's
PDF and file name, how an issued certificate left."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import segno
from flask import current_app

from ..auth.models import User
from ..candidates.holder import birth_place, printed_name
from ..candidates.links import candidate_link
from ..convocations.content import contact_email
from ..documents.pdf import render_pdf
from ..extensions import db
from ..grading.presenters import decision_label
from ..people import of
from ..referentials.registration import period_sentence, registration_sentence
from ..sessions import rules as session_rules
from ..sessions.changes.common import result_day
from ..sessions.models import Exam
from ..timeutil import french_date, paris_day
from ..web import external_url
from . import rules
from .models import POST, Certificate
from .queries import competencies_not_acquired, is_admitted, visa_giver_name, visa_signature

# Who signs every email of this domain (the parchemin itself stays signed by the
# responsable pédagogique, seed I.D.6).
SIGNATORY = "Le responsable d'organisation de la certification"


def mail_failure(what: str, recipient: str) -> str:
    return (f"L'envoi {what} à {recipient} a échoué : le serveur de messagerie n'a pas accepté le "
            "message. Rien n'est enregistré comme envoyé ; réessayez plus tard. Le détail de "
            "l'erreur est dans les courriels.")



# --- Results -------------------------------------------------------------------------------

def _points(value: Decimal | None) -> str:
    return "–" if value is None else f"{Decimal(value):.2f}".replace(".", ",")


def _score_line(exam: Exam) -> str:
    referential = exam.jury.session.referential
    label = decision_label(referential.rule, exam.decision).lower()
    if exam.total is None:
        return f"Résultat : {label}."
    maximum = f" / {_points(referential.max_points).replace(',00', '')}" if referential.max_points else ""
    return f"Résultat : {_points(exam.total)}{maximum} — {label}."


def result_mail(exam: Exam) -> tuple[str, str]:
    """The subject and body (French) of the result email."""
    session = exam.jury.session
    referential = session.referential
    organisation = current_app.config["ORGANISATION_NAME"]
    subject = f"Votre résultat à la certification {referential.code} — session n° {session.number}"
    lines = [
        f"Bonjour {exam.candidate.full_name},",
        "",
        f"Le jury de la session n° {session.number} du {french_date(session.starts_at)} a délibéré "
        f"sur votre épreuve de la certification {referential.code} « {referential.registered_title} ».",
        "",
        _score_line(exam),
        "",
    ]
    if is_admitted(exam):
        lines += [
            "Félicitations : le jury a rendu un avis favorable.",
            "",
            f"Votre certificat (parchemin) vous sera adressé dans un délai de "
            f"{rules.DELIVERY_DAYS // 7} semaines, par voie postale ou par e-mail.",
        ]
    else:
        missing = competencies_not_acquired(exam)
        if missing:
            lines += ["Compétences non acquises :", *(f"- {m}" for m in missing), ""]
        elif exam.total is not None:
            lines += ["Toutes les compétences sont acquises, mais le total n'atteint pas le "
                      "seuil de réussite.", ""]
        deadline = session_rules.retake_deadline(result_day(exam))
        lines += [
            f"Vous pouvez demander à repasser l'épreuve avant le {french_date(deadline)} (inclus), "
            f"soit dans les {session_rules.RETAKE_MONTHS} mois qui suivent le résultat :",
            f"- depuis votre espace personnel : {candidate_link(exam.candidate)} "
            "(« Demander à repasser l'épreuve ») ;",
            f"- ou en écrivant au référent pédagogique : {contact_email()}.",
            "Vous recevrez alors une nouvelle convocation.",
            "",
            f"Vous pouvez aussi former un recours auprès de la direction {of(organisation)}.",
        ]
    lines += ["", f"Pour toute question : {contact_email()}.", "", "Cordialement,",
              f"{SIGNATORY}, {organisation}"]
    return subject, "\n".join(lines)


# --- Certificates ---------------------------------------------------------------------------

def certificate_filename(certificate: Certificate) -> str:
    return f"certificat-{certificate.number}.pdf"


def holder_of(candidate) -> dict:
    """The holder as the parchemins print them (`candidates.holder`, as the CDC declaration
    carries them): full name, date (and place, when known) of birth."""
    return dict(name=printed_name(candidate), birth_date=candidate.birth_date,
                birth_place=birth_place(candidate) or None,
                born={"F": "née", "M": "né"}.get(candidate.sex, "né(e)"))


def place_of_award() -> str | None:
    """Where the parchemin is made (the place of award, a mandatory mention): the organisation's
    city (config ORGANISATION_CITY); None: missing, and the parchemins are refused.

    Never the minutes' place: a remote session's would read "Fait à À distance"."""
    return (current_app.config.get("ORGANISATION_CITY") or "").strip() or None


def award_day(certificate: Certificate) -> date:
    """The day the certification was awarded: the jury's deliberation, else the session's day."""
    exam = certificate.exam
    return result_day(exam) or paris_day(exam.jury.session.starts_at)


def validity_sentence(certificate: Certificate) -> str:
    """"Valable à compter du 3 décembre 2026, sans limitation de durée." (or until a date)."""
    referential = certificate.exam.jury.session.referential
    awarded = award_day(certificate)
    until = rules.valid_until(awarded, referential.certificate_validity_years)
    end = f"jusqu'au {french_date(until)}" if until else "sans limitation de durée"
    return f"Valable à compter du {french_date(awarded)}, {end}."


# The signatory's function: the organiser's visa on the minutes is what the certificates
# follow from (seed 000, annex 5), so its giver signs them.
SIGNATORY_FUNCTION = "Responsable d'organisation de la certification"


def signatory(certificate: Certificate) -> dict:
    """Who signs the parchemin: the giver of the minutes' visa, their function, their mark."""
    return signatory_of_session(certificate.exam.jury.session_id)


def signatory_of_session(session_id: int) -> dict:
    """The giver of the session's minutes' visa (certificates and block attestations)."""
    visa = visa_signature(session_id)
    name = visa.signer_name if visa is not None else visa_giver_name(session_id)
    return dict(name=name, function=SIGNATORY_FUNCTION, mark=visa)


def check_url(certificate: Certificate) -> str:
    """The public check, number and code filled in (the QR code's target)."""
    return external_url("certificates.verify_public", number=certificate.number,
                        code=rules.format_code(certificate.verification_code))


def qr_data_url(url: str) -> str:
    return segno.make_qr(url, error="m").png_data_uri(scale=4, border=2, dark="#1f3a5f")


def certificate_context(certificate: Certificate) -> dict:
    exam = certificate.exam
    session = exam.jury.session
    referential = session.referential
    return dict(certificate=certificate, exam=exam, candidate=exam.candidate, session=session,
                referential=referential, holder=holder_of(exam.candidate),
                registration=registration_sentence(referential.registration_facts),
                registration_period=period_sentence(referential.registration_facts),
                place=place_of_award(), made_on=paris_day(certificate.created_at),
                code=rules.format_code(certificate.verification_code),
                verify_url=external_url("certificates.verify_public"),
                qr=qr_data_url(check_url(certificate)), awarded_on=award_day(certificate),
                validity=validity_sentence(certificate), signatory=signatory(certificate),
                decision=decision_label(referential.rule, exam.decision))


def certificate_pdf(certificate: Certificate) -> bytes:
    """The parchemin, unsealed (sealing happens outside any transaction)."""
    return render_pdf("pdf/certificate.html", **certificate_context(certificate))


def issued_description(certificate: Certificate) -> str:
    """"délivré le 3 décembre 2026 par voie postale (enregistré le … par …)"."""
    how = "par voie postale" if certificate.channel == POST else "par e-mail"
    by = db.session.get(User, certificate.issued_by_id) if certificate.issued_by_id else None
    recorded = f" (enregistré le {french_date(certificate.issued_at)}"
    recorded += f" par {by.full_name})" if by else ")"
    return f"délivré le {french_date(certificate.issued_on)} {how}{recorded}"


def certificate_mail(certificate: Certificate) -> tuple[str, str]:
    exam = certificate.exam
    referential = exam.jury.session.referential
    organisation = current_app.config["ORGANISATION_NAME"]
    subject = f"Votre certificat {referential.code} n° {certificate.number}"
    body = "\n".join([
        f"Bonjour {exam.candidate.full_name},",
        "",
        f"Vous trouverez ci-joint votre certificat (parchemin) de la certification "
        f"{referential.code} « {referential.registered_title} », n° {certificate.number}.",
        "",
        "Le document PDF est scellé électroniquement par l'organisme. Toute personne à qui vous le "
        "présentez peut vérifier son authenticité avec son numéro et son code de vérification "
        f"({rules.format_code(certificate.verification_code)}) à l'adresse : "
        f"{external_url('certificates.verify_public')}",
        "",
        f"Pour toute question : {contact_email()}.",
        "",
        "Cordialement,",
        f"{SIGNATORY}, {organisation}",
    ])
    return subject, body
