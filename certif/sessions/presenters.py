"""What the session page shows: its juries and slots, and what is still missing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for

from ..jurors.models import ConflictDeclaration
from ..timeutil import french_date, paris_today, to_paris
from . import juries, lifecycle, queries, rules, services
from .models import CLOSED, PLANNING, PREPARING, STOPPED, Exam, ExamSession, Jury


@dataclass
class Todo:
    text: str
    url: str | None = None
    link_label: str | None = None
    urgent: bool = False
    exam: Exam | None = None  # a declared conflict: the page offers to move the candidate


@dataclass
class SlotRow:
    exam: Exam
    extra_minutes: int
    conflicts: list[ConflictDeclaration]
    convocation: str | None  # "Envoyée", "À renvoyer", "Non envoyée" (None: not to sit)
    movable: bool  # reorder / change jury
    first: bool
    last: bool
    removable: bool


@dataclass
class JuryView:
    jury: Jury
    rows: list[SlotRow]
    problems: dict  # juror id -> why they cannot sit
    targets: list[Jury]  # the other juries a candidate can be moved to
    problem: str | None  # the jury is incomplete

    @property
    def active_count(self) -> int:
        return sum(1 for r in self.rows if r.exam.is_active)

    @property
    def can_move(self) -> bool:
        """At least one of its candidates can go to another jury: "Déplacer" shows."""
        return bool(self.targets) and any(r.movable for r in self.rows)


@dataclass
class SessionPage:
    session: ExamSession
    facts: lifecycle.SessionFacts
    juries: list[JuryView]
    todos: list[Todo]
    next_step: lifecycle.NextStep | None
    edit_locked: str | None
    preparing: bool  # juries and candidates can still be changed
    planning: bool  # slots can still be reordered or moved
    exam_day_reached: bool = False  # a carence can be noted (on the session's day or later)

    def jury(self, jury_id: int) -> JuryView:
        return next(view for view in self.juries if view.jury.id == jury_id)

    @property
    def moves_possible(self) -> bool:
        """Some candidate can be moved to another jury: the page explains "Déplacer"."""
        return any(view.can_move for view in self.juries)


def convocation_state(facts: lifecycle.SessionFacts, exam: Exam) -> str | None:
    if not exam.is_active:
        return None
    sent = facts.candidate_convocations.get(exam.id)
    if sent is None:
        return "Non envoyée"
    return "Envoyée" if facts.candidate_convened(exam) else "À renvoyer"


def jury_view(facts: lifecycle.SessionFacts, jury: Jury, *, preparing: bool,
              planning: bool) -> JuryView:
    base = facts.session.referential.exam_minutes
    active = queries.active_exams(jury)
    rows = []
    for exam in jury.exams:
        movable = (planning and exam.sits
                   and exam.phase == "grading" and exam.id not in facts.graded)
        rows.append(SlotRow(
            exam=exam,
            extra_minutes=max(exam.duration_minutes - base, 0),
            conflicts=facts.conflicts.get(exam.id, []),
            convocation=convocation_state(facts, exam),
            movable=movable,
            first=bool(active) and exam is active[0],
            last=bool(active) and exam is active[-1],
            removable=movable and preparing and exam.id not in facts.candidate_convocations))
    # Active slots in order first, then those no longer to sit (absent, moved).
    rows.sort(key=lambda r: (not r.exam.is_active, r.exam.position, r.exam.id))
    # A candidate can be moved to a jury that sits and is complete (change_jury refuses others).
    targets = [j for j in queries.sitting_juries(facts.session)
               if j.id != jury.id and juries.jury_problem(j) is None]
    return JuryView(jury, rows, {m.juror_id: facts.habilitation.get(m.juror_id)
                                 for m in jury.members},
                    targets, juries.jury_problem(jury))


def todos(facts: lifecycle.SessionFacts, today: date) -> list[Todo]:
    """What is still missing before (or since) the day, most pressing first."""
    session = facts.session
    if session.status in STOPPED:
        return []
    items: list[Todo] = []
    add_jury = Todo("", "#nouveau-jury", "Ajouter un jury")
    if not queries.sitting_juries(facts.session) and session.status in PREPARING:
        add_jury.text = "Aucun jury n'est constitué."
        items.append(add_jury)
    for jury in queries.sitting_juries(facts.session):
        problem = juries.jury_problem(jury)
        if problem:
            items.append(Todo(problem, url_for("sessions.edit_jury", jury_id=jury.id),
                              f"Modifier le {jury.label}", urgent=True))
        for juror in jury.jurors:
            reason = facts.habilitation.get(juror.id)
            if reason:
                items.append(Todo(f"{jury.label} – {reason}", urgent=True))
        if not queries.active_exams(jury) and session.status in PREPARING:
            items.append(Todo(f"{jury.label} n'a aucun candidat.", f"#jury-{jury.id}",
                              "Placer des candidats"))
    items.extend(_conflict_todos(facts))
    if session.status in PREPARING:
        items.extend(_convocation_todos(facts))
    items.extend(_carence_todos(facts))
    if session.status in PLANNING:
        for exam in queries.active_exams(facts.session):
            if exam.phase == CLOSED:
                continue
            warning = rules.sitting_warning(exam.candidate.training_end_date,
                                            queries.session_day(session))
            if warning:
                items.append(Todo(f"{exam.candidate.full_name} : {warning}"))
    return items


def _conflict_todos(facts: lifecycle.SessionFacts) -> list[Todo]:
    items = []
    for exam in queries.active_exams(facts.session):
        for declaration in facts.conflicts.get(exam.id, []):
            text = (f"Conflit d'intérêts : {declaration.juror.full_name} ({exam.jury.label}) a "
                    f"déclaré connaître {exam.candidate.full_name}. Confiez ce candidat à un "
                    "autre jury.")
            if declaration.comment:
                text += f" Commentaire : « {declaration.comment} »"
            items.append(Todo(text, urgent=True, exam=exam))
    return items


def _convocation_todos(facts: lifecycle.SessionFacts) -> list[Todo]:
    link = url_for("convocations.session", session_id=facts.session.id)
    exams = queries.active_exams(facts.session)
    unsent = sum(1 for e in exams if e.id not in facts.candidate_convocations)
    outdated = sum(1 for e in exams if e.id in facts.candidate_convocations
                   and not facts.candidate_convened(e))
    jurors = {j.id: j for jury in queries.sitting_juries(facts.session) for j in jury.jurors}.values()
    jurors_unsent = sum(1 for j in jurors if j.id not in facts.juror_convocations)
    jurors_outdated = sum(1 for j in jurors if j.id in facts.juror_convocations
                          and not facts.juror_convened(j))
    items = []
    for who, missing, stale in (("candidats", unsent, outdated), ("jurés", jurors_unsent,
                                                                  jurors_outdated)):
        parts = []
        if missing:
            parts.append(f"{missing} à envoyer")
        if stale:
            parts.append(f"{stale} à renvoyer (horaire modifié)")
        if parts:
            items.append(Todo(f"Convocations des {who} : {', '.join(parts)}.", link,
                              "Envoyer les convocations"))
    return items


def _carence_todos(facts: lifecycle.SessionFacts) -> list[Todo]:
    items = []
    for jury in facts.juries:
        if jury.sits or facts.replacements.get(jury.id) is not None:
            continue
        deadline = rules.replacement_deadline(to_paris(jury.stopped_at).date())
        items.append(Todo(
            f"{jury.label} n'a pas pu siéger (carence) : organisez une session de remplacement "
            f"au plus tard le {french_date(deadline)} et convoquez à nouveau ses candidats.",
            url_for("exceptions.replacement", jury_id=jury.id), "Organiser le remplacement",
            urgent=True))
    return items


def session_page(session: ExamSession, today: date | None = None) -> SessionPage:
    today = today or paris_today()
    facts = lifecycle.session_facts(session)
    preparing = session.status in PREPARING
    planning = session.status in PLANNING
    return SessionPage(
        session=session, facts=facts,
        juries=[jury_view(facts, jury, preparing=preparing, planning=planning)
                for jury in session.juries],
        todos=todos(facts, today),
        next_step=lifecycle.next_step(facts, today),
        edit_locked=services.edit_locked_reason(session),
        preparing=preparing, planning=planning,
        exam_day_reached=today >= queries.session_day(session))
