"""State changes of the declarations to the Caisse des Dépôts, each audited: generating a
file for the lines ready, recording the CDC's answers (by hand or from its report), and the
download of a file (it holds personal data)."""
from __future__ import annotations

from datetime import datetime

from ..audit.services import record
from ..database import write_transaction
from ..errors import Conflict, InvalidInput
from ..extensions import db
from ..sessions.rules import has_control_chars
from ..text import clean_text
from ..timeutil import to_paris, utcnow
from . import flux, inputs, pages, queries, rules
from .models import ACCEPTED, DECLARED, REJECTED, CdcDeclaration, CdcFile

MSG_CONFIG = ("Les identifiants de la Caisse des Dépôts manquent dans la configuration : {what}. "
              "Aucun fichier ne peut être produit.")
MSG_NOTHING_READY = ("Aucune ligne n'est prête à déclarer : complétez les données des titulaires "
                     "retenus, ou attendez de nouveaux certificats.")
MSG_INVALID = ("Le fichier produit ne respecte pas le schéma de la Caisse des Dépôts : il n'est pas "
               "proposé. {errors}")
MSG_NOT_AWAITING = ("La ligne {technical_id} n'attend pas de réponse de la Caisse des Dépôts "
                    "(état : {state}).")
MSG_UNKNOWN_IDS = "idTechnique inconnu de certif : {ids}"
MSG_BAD_CHARACTER = "Le motif du rejet contient un caractère invalide."


def generate_file(actor, moment: datetime | None = None) -> CdcFile:
    """The XML file of every line ready, validated against the CDC's schema before it is kept;
    each line becomes « déclaré dans le fichier N » under its stable technical id."""
    settings = queries.settings()
    if settings.problems:
        raise Conflict(MSG_CONFIG.format(what=", ".join(settings.problems)))
    with write_transaction():
        ready = [line for line in pages.lines(months=settings.deadline_months) if line.ready]
        if not ready:
            raise Conflict(MSG_NOTHING_READY)
        stamp = to_paris(moment or utcnow())
        number = queries.next_file_number()
        flux_id = f"certif-{number:06d}-{stamp:%Y%m%d%H%M%S}"
        document = flux.build([line.line for line in ready], id_client=settings.id_client,
                              id_contrat=settings.id_contrat, flux_id=flux_id, moment=stamp)
        errors = flux.schema_errors(document)
        if errors:
            raise Conflict(MSG_INVALID.format(errors=" ; ".join(errors)))
        cdc_file = CdcFile(number=number, flux_id=flux_id, created_by_id=getattr(actor, "id", None),
                           line_count=len(ready), xml=document.decode("utf-8"))
        db.session.add(cdc_file)
        db.session.flush()
        for line in ready:
            _mark_declared(line, cdc_file)
        record(actor, "cdc.file_generate", "cdc_file", cdc_file.id, None, cdc_file.filename,
               number=number, flux_id=flux_id, lines=len(ready),
               technical_ids=[line.line["technical_id"] for line in ready])
    return cdc_file


def _mark_declared(line: pages.Line, cdc_file: CdcFile) -> None:
    declaration = line.declaration
    if declaration is None:
        declaration = CdcDeclaration(certificate_id=line.certificate.id,
                                     technical_id=line.line["technical_id"])
        db.session.add(declaration)
    declaration.file = cdc_file
    declaration.status = DECLARED
    declaration.sent_fingerprint = rules.fingerprint(line.line)
    declaration.rejection_reason = None
    declaration.answered_at = declaration.answered_by_id = None


def check_reason(accepted: bool, raw: str | None) -> str | None:
    reason = clean_text(raw) or None
    if reason and has_control_chars(reason, multiline=True):
        raise InvalidInput(MSG_BAD_CHARACTER)
    problem = rules.answer_problem(accepted, reason)
    if problem:
        raise InvalidInput(problem)
    return None if accepted else reason


def record_answer(actor, declaration_id: int, outcome: str | None, raw_reason: str | None,
                  ) -> CdcDeclaration:
    """The CDC's answer for one line, entered by hand: accepted, or rejected with its reason."""
    if outcome not in (ACCEPTED, REJECTED):
        raise InvalidInput("Choisissez la réponse de la Caisse des Dépôts : acceptée ou rejetée.")
    accepted = outcome == ACCEPTED
    reason = check_reason(accepted, raw_reason)
    with write_transaction():
        declaration = queries.get_declaration(declaration_id, lock=True)
        _answer(actor, declaration, rules.Answer(declaration.technical_id, accepted, reason),
                source="manual")
    return declaration


def import_report(actor, raw: bytes | None, filename: str | None = None) -> list[CdcDeclaration]:
    """Every answer of the CDC's processing report, all or nothing (a bad line refuses all)."""
    answers = inputs.parse_report(raw)
    for answer in answers:
        check_reason(answer.accepted, answer.reason)
    with write_transaction():
        found = queries.declarations_by_technical_id(a.technical_id for a in answers)
        unknown = [a.technical_id for a in answers if a.technical_id not in found]
        if unknown:
            raise InvalidInput(inputs.refusal([MSG_UNKNOWN_IDS.format(
                ids=", ".join(i[:60] for i in unknown[:inputs.MAX_SHOWN]))]))
        waiting = [f"{a.technical_id} n'attend pas de réponse (état : "
                   f"{rules.STATES[found[a.technical_id].status].lower()})"
                   for a in answers if found[a.technical_id].status != DECLARED]
        if waiting:
            raise InvalidInput(inputs.refusal(waiting))
        done = [_answer(actor, found[a.technical_id], a, source="report", report=filename)
                for a in answers]
    return done


def _answer(actor, declaration: CdcDeclaration, answer: rules.Answer, **details):
    if declaration.status != DECLARED:
        raise Conflict(MSG_NOT_AWAITING.format(technical_id=declaration.technical_id,
                                               state=rules.STATES[declaration.status].lower()))
    declaration.status = ACCEPTED if answer.accepted else REJECTED
    declaration.rejection_reason = answer.reason
    declaration.answered_at, declaration.answered_by_id = utcnow(), getattr(actor, "id", None)
    record(actor, "cdc.answer", "cdc_declaration", declaration.id, DECLARED, declaration.status,
           technical_id=declaration.technical_id, certificate_id=declaration.certificate_id,
           file_number=declaration.file.number, reason=answer.reason,
           **{k: v for k, v in details.items() if v is not None})
    return declaration


def download_file(actor, file_id: int) -> tuple[str, bytes]:
    """(filename, XML) of a generated file; the download is audited (holders' personal data)."""
    cdc_file = queries.get_file(file_id)
    with write_transaction():
        record(actor, "cdc.file_download", "cdc_file", cdc_file.id, None, None,
               number=cdc_file.number, lines=cdc_file.line_count)
    return cdc_file.filename, cdc_file.xml.encode("utf-8")
