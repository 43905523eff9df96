"""The organiser's « Livret d'évaluation » of a candidate (seed 001, 5-1, 5-2-4).

The page posts its forms to its own URL (an `action` field says which), so a refusal shows the
page again there with its errors and status; htmx gets the livret section alone (or the
message alone, text/plain, when refused). Editing an evaluation and importing a partner's
CSV have pages of their own, posting to themselves too. The relevé's download is audited.
"""
from __future__ import annotations

from flask import Blueprint, flash, render_template, request, url_for
from flask_login import current_user

from ...auth.models import ORGANISER
from ...database import get_row
from ...documents.pdf import pdf_response
from ...errors import InvalidInput
from ...timeutil import paris_today
from ...web import error_response, is_htmx, redirect_after_write, role_required
from ..models import Candidate
from ..services import require_upload
from . import csv_import, queries, writes
from .documents import releve_filename, releve_pdf
from .models import KINDS
from .rules import clean_evaluation, clean_project

bp = Blueprint("livret", __name__, url_prefix="/candidats")
ACTIONS = ("open", "evaluation", "project", "delete_evaluation", "delete_project")
SHOWN_ERRORS = 200


def _candidate(candidate_id: int) -> Candidate:
    return get_row(Candidate, candidate_id, writes.MSG_MISSING)


def _context(candidate: Candidate, **extra) -> dict:
    livret = queries.livret_of(candidate)
    view = queries.livret_view(candidate, livret) if livret else None
    choices = queries.livret_referentials(candidate.pathway) if livret is None else []
    suggested = request.args.get("certification", type=int)
    context = dict(candidate=candidate, view=view, choices=choices, kinds=KINDS,
                   suggested=suggested, today=paris_today(), errors={}, values={})
    return {**context, **extra}


def _page(candidate: Candidate, status: int = 200, **extra):
    if is_htmx() and status == 200 and not request.headers.get("HX-History-Restore-Request"):
        return render_template("candidates/livret/_livret.html", **_context(candidate, **extra))
    return render_template("candidates/livret/page.html", **_context(candidate, **extra)), status


def _refused(candidate: Candidate, form: str, errors: dict):
    """Bad input: the message alone for htmx, the page again with the errors otherwise."""
    sentences = {name: error.sentence for name, error in errors.items()}
    if is_htmx():
        return error_response(400, " ".join(sentences.values()))
    return _page(candidate, 400, errors={form: sentences}, values={form: request.form})


def _int(name: str) -> int:
    value = request.form.get(name, "")
    if not value.isdigit() or int(value) >= 2**31:
        raise InvalidInput("Élément du livret introuvable : rechargez la page.")
    return int(value)


@bp.route("/<id:candidate_id>/livret", methods=["GET", "POST"])
@role_required(ORGANISER)
def page(candidate_id: int):
    candidate = _candidate(candidate_id)
    if request.method == "GET":
        return _page(candidate)
    action = request.form.get("action")
    if action not in ACTIONS:
        raise InvalidInput("Action inconnue : rechargez la page puis recommencez.")
    if action == "open":
        referential_id = request.form.get("referential_id", "")
        writes.open_livret(current_user, candidate.id,
                           int(referential_id) if referential_id.isdigit() and
                           int(referential_id) < 2**31 else None)
        message = "Livret d'évaluation ouvert."
    elif action in ("evaluation", "project"):
        livret = writes.writable_livret(candidate)
        block_of, blocks = queries.structure_of(livret.referential)
        if action == "evaluation":
            data, errors = clean_evaluation(request.form, block_of, paris_today())
            if errors:
                return _refused(candidate, "evaluation", errors)
            writes.add_evaluation(current_user, candidate.id, data)
            message = f"Évaluation de {data.competency_code} enregistrée."
        else:
            data, errors = clean_project(request.form, blocks, paris_today())
            if errors:
                return _refused(candidate, "project", errors)
            writes.save_project(current_user, candidate.id, data)
            message = f"Projet du bloc {data.block_code} enregistré comme validé."
    elif action == "delete_evaluation":
        writes.delete_evaluation(current_user, candidate.id, _int("evaluation_id"))
        message = "Évaluation supprimée."
    else:
        writes.delete_project(current_user, candidate.id, _int("project_id"))
        message = "Projet de bloc supprimé."
    if is_htmx():
        return _page(candidate, message=message)
    flash(message, "info")
    return redirect_after_write(url_for(".page", candidate_id=candidate.id, _anchor="livret"))


@bp.route("/<id:candidate_id>/livret/evaluations/<id:evaluation_id>", methods=["GET", "POST"])
@role_required(ORGANISER)
def evaluation(candidate_id: int, evaluation_id: int):
    candidate = _candidate(candidate_id)
    row = writes.evaluation_of(candidate.id, evaluation_id)
    livret = row.livret
    writes.require_writable(candidate, livret.referential)
    context = dict(candidate=candidate, row=row, kinds=KINDS, today=paris_today(),
                   competencies=livret.referential.competencies)
    if request.method == "GET":
        values = {"competency_code": row.competency.code,
                  "evaluated_on": row.evaluated_on.isoformat(), "kind": row.kind,
                  "acquired": "acquis" if row.acquired else "non acquis",
                  "evaluator": row.evaluator, "comment": row.comment or ""}
        return render_template("candidates/livret/evaluation.html", values=values, errors={},
                               **context)
    block_of, _ = queries.structure_of(livret.referential)
    data, errors = clean_evaluation(request.form, block_of, paris_today())
    if errors:
        return render_template("candidates/livret/evaluation.html", values=request.form,
                               errors={n: e.sentence for n, e in errors.items()},
                               **context), 400
    writes.update_evaluation(current_user, candidate.id, row.id, data)
    flash("Évaluation modifiée.", "info")
    return redirect_after_write(url_for(".page", candidate_id=candidate.id, _anchor="livret"))


@bp.route("/<id:candidate_id>/livret/import", methods=["GET", "POST"])
@role_required(ORGANISER)
def import_csv(candidate_id: int):
    candidate = _candidate(candidate_id)
    livret = writes.writable_livret(candidate)
    context = dict(candidate=candidate, livret=livret, header=csv_import.TEMPLATE_HEADER)
    if request.method == "GET":
        return render_template("candidates/livret/import.html", errors=[], **context)
    filename, data = require_upload(request.files.get("file"))
    outcome = writes.import_csv(current_user, candidate.id, filename, data)
    if outcome.errors:
        return render_template("candidates/livret/import.html", errors=outcome.errors[:SHOWN_ERRORS],
                               hidden=max(len(outcome.errors) - SHOWN_ERRORS, 0), **context), 400
    flash(f"Livret importé : {outcome.evaluations} évaluation(s) et {outcome.projects} "
          "projet(s) de bloc ajoutés.", "info")
    return redirect_after_write(url_for(".page", candidate_id=candidate.id, _anchor="livret"))


@bp.get("/<id:candidate_id>/livret/releve.pdf")
@role_required(ORGANISER)
def releve(candidate_id: int):
    candidate = _candidate(candidate_id)
    data = releve_pdf(candidate)
    writes.record_export(current_user, candidate)
    return pdf_response(data, releve_filename(candidate))
