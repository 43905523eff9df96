"""What certif proposes for the conditions of annex 4 it can establish, with the facts behind
each proposal (pure: no database; `facts.py` gathers the DayFacts).

The jurors confirm or change each proposal: a proposal is never recorded as an answer by
itself (issue 13, item 13). Conditions 4 (equipment) and 12 (general conditions) are the
jury's alone. A proposal without a value states facts that do not settle the condition yet
(a deliberation still open, say): the jury decides.
"""
from __future__ import annotations

from dataclasses import dataclass, field

RESPECTED, NOT_RESPECTED, NOT_APPLICABLE = "respectee", "non_respectee", "sans_objet"
VALUE_LABELS = {RESPECTED: "Respectée", NOT_RESPECTED: "Non respectée", NOT_APPLICABLE: "Sans objet"}


@dataclass(frozen=True)
class Proposal:
    value: str | None  # RESPECTED, NOT_RESPECTED, NOT_APPLICABLE; None: facts only
    facts: str

    @property
    def value_label(self) -> str | None:
        return VALUE_LABELS.get(self.value)


@dataclass(frozen=True)
class Sitting:
    """One candidate who sits before the jury that day, as the conditions see it."""

    candidate: str
    slot_minutes: int  # the slot's duration
    extra_minutes: int = 0  # granted by an accommodation
    other_measures: str | None = None  # the accommodation's other measures
    identity_checked: bool = False
    signed: bool = False  # the candidate signed annex 1
    unsigned_reason: bool = False  # or the jury recorded why they could not
    juror_signatures: int = 0  # jurors who signed annex 2 for this exam
    convened: bool = False  # a convocation was sent or handed over
    deliberation_closed: bool = False

    @property
    def accommodated(self) -> bool:
        return bool(self.extra_minutes or (self.other_measures or "").strip())


@dataclass(frozen=True)
class DayFacts:
    jurors: tuple[str, ...]
    president: str | None
    stopped: bool
    habilitation_problems: tuple[str, ...]  # one French reason per juror who may not sit
    jurors_convened: int  # jurors whose written convocation is current
    base_minutes: int  # the referential's exam duration
    sittings: tuple[Sitting, ...] = field(default_factory=tuple)


def _of(n: int, total: int, one: str, many: str) -> str:
    """« 2 candidats sur 2 ont » from ("candidat|a", "candidats|ont"): noun, then verb."""
    noun, _, verb = (one if total <= 1 else many).partition("|")
    return f"{n} {noun} sur {total}{' ' + verb if verb else ''}"


def _jury(f: DayFacts) -> Proposal:
    if f.stopped:
        return Proposal(NOT_RESPECTED, "Le jury a été arrêté (carence d'un juré) : il n'a pas pu siéger.")
    names = " et ".join(f.jurors)
    if len(f.jurors) == 2 and f.president:
        return Proposal(RESPECTED, f"Jury de deux jurés ({names}), présidé par {f.president}.")
    return Proposal(NOT_RESPECTED, "Le jury ne compte pas deux jurés avec un président "
                                   f"({names or 'aucun juré'}).")


def _habilitation(f: DayFacts) -> Proposal:
    total = len(f.jurors)
    if f.habilitation_problems:
        return Proposal(NOT_RESPECTED, " ; ".join(f.habilitation_problems) + ".")
    return Proposal(RESPECTED, f"{_of(total, total, 'juré habilité', 'jurés habilités')} "
                               "(avis favorable sur la fiche d'habilitation).")


def _convocations(f: DayFacts) -> Proposal:
    total = len(f.jurors)
    value = RESPECTED if f.jurors_convened == total and total else NOT_RESPECTED
    return Proposal(value, f"{_of(f.jurors_convened, total, 'juré|a', 'jurés|ont')} reçu sa "
                           "convocation écrite à jour.")


def _count(sittings, test) -> int:
    return sum(1 for s in sittings if test(s))


def _all(n: int, total: int) -> str:
    return RESPECTED if n == total else NOT_RESPECTED


def _identity(s: tuple[Sitting, ...]) -> Proposal:
    n = _count(s, lambda x: x.identity_checked)
    return Proposal(_all(n, len(s)), f"Identité et convocation vérifiées pour "
                                     f"{_of(n, len(s), 'candidat', 'candidats')}.")


def _candidate_attendance(s: tuple[Sitting, ...]) -> Proposal:
    signed = _count(s, lambda x: x.signed)
    excused = _count(s, lambda x: not x.signed and x.unsigned_reason)
    facts = f"{_of(signed, len(s), 'candidat|a', 'candidats|ont')} signé la feuille d'émargement"
    if excused:
        facts += f" ; {excused} n'a pas pu signer (motif consigné par le jury)" if excused == 1 \
            else f" ; {excused} n'ont pas pu signer (motif consigné par le jury)"
    return Proposal(_all(signed + excused, len(s)), facts + ".")


def _jury_attendance(f: DayFacts) -> Proposal:
    expected = len(f.sittings) * len(f.jurors)
    done = sum(min(x.juror_signatures, len(f.jurors)) for x in f.sittings)
    return Proposal(_all(done, expected), f"{_of(done, expected, 'émargement', 'émargements')} des jurés "
                                          f"({len(f.jurors)} jurés × {len(f.sittings)} épreuve"
                                          f"{'s' if len(f.sittings) > 1 else ''}).")


def _anomaly_sheet(s: tuple[Sitting, ...]) -> Proposal:
    n = _count(s, lambda x: x.convened)
    return Proposal(_all(n, len(s)), f"{_of(n, len(s), 'candidat|a', 'candidats|ont')} reçu sa "
                                     "convocation, dont le lien personnel donne accès à la fiche "
                                     "anomalie (annexe 3) à tout moment.")


def _deliberation(s: tuple[Sitting, ...]) -> Proposal:
    n = _count(s, lambda x: x.deliberation_closed)
    facts = f"{_of(n, len(s), 'délibération close', 'délibérations closes')}."
    return Proposal(RESPECTED if n == len(s) else None, facts)


def _accommodations(f: DayFacts) -> Proposal:
    concerned = [x for x in f.sittings if x.accommodated]
    if not concerned:
        return Proposal(NOT_APPLICABLE, "Aucun candidat du jour n'a d'aménagement.")
    parts, ok = [], True
    for x in concerned:
        measures = []
        if x.extra_minutes:
            given = x.slot_minutes >= f.base_minutes + x.extra_minutes
            ok = ok and given
            measures.append(f"+{x.extra_minutes} min (créneau de {x.slot_minutes} min"
                            f"{'' if given else ', temps supplémentaire non prévu'})")
        if (x.other_measures or "").strip():
            measures.append(x.other_measures.strip().rstrip("."))
        parts.append(f"{x.candidate} : {' ; '.join(measures)}")
    return Proposal(RESPECTED if ok else NOT_RESPECTED, "Aménagements prévus — " + " ; ".join(parts) + ".")


def _exam_time(f: DayFacts) -> Proposal:
    short = [x for x in f.sittings if x.slot_minutes < f.base_minutes + x.extra_minutes]
    total = len(f.sittings)
    facts = (f"{_of(total - len(short), total, 'créneau', 'créneaux')} de la durée prévue "
             f"({f.base_minutes} min, plus le temps supplémentaire accordé)")
    if short:
        facts += " ; trop courts : " + ", ".join(f"{x.candidate} ({x.slot_minutes} min)" for x in short)
    return Proposal(_all(total - len(short), total), facts + ".")


def propose(f: DayFacts) -> dict[int, Proposal]:
    """{position: Proposal} for the conditions certif can establish."""
    if f.stopped:
        return {1: _jury(f)}
    proposals = {1: _jury(f), 2: _habilitation(f), 3: _convocations(f), 10: _accommodations(f)}
    if f.sittings:
        s = f.sittings
        proposals.update({5: _identity(s), 6: _candidate_attendance(s), 7: _jury_attendance(f),
                          8: _anomaly_sheet(s), 9: _deliberation(s), 11: _exam_time(f)})
    return dict(sorted(proposals.items()))


def not_applicable_allowed(f: DayFacts) -> bool:
    """Condition 10 may be answered "sans objet" only when no candidate of the day has an
    accommodation."""
    return not any(x.accommodated for x in f.sittings)


def origin(answer: str | None, proposed: str | None) -> str:
    """How an answer came (French): confirmed, changed, or the jury's own."""
    if answer is None:
        return "sans réponse"
    if proposed is None:
        return "saisie par le jury"
    if answer == proposed:
        return "proposée par certif, confirmée par le jury"
    return f"proposée par certif ({VALUE_LABELS[proposed].lower()}), modifiée par le jury"
