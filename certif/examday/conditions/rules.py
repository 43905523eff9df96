"""The annex's twelve conditions and what a sheet's answers mean: parsing the posted
answers, and whether the sheet may be signed (pure: no database)."""
from __future__ import annotations

from ...errors import InvalidInput
from ...text import clean_text

# Verbatim from annex 4, in its order; position n is CONDITIONS[n - 1].
CONDITIONS: tuple[str, ...] = (
    "Organisation des jurys",
    "Habilitation du jury",
    "Convocation écrite des jurés",
    "La mise à disposition du matériel pour la présentation",
    "Contrôle de l'identité de la convocation des candidats",
    "Complétude de la feuille d'émargement candidat",
    "Complétude de la feuille d'émargement du jury",
    "Affichage et mise à disposition candidat fiche anomalie",
    "Organisation délibération",
    "Aménagement adapté aux candidats en situation de handicap",
    "Respect du temps d'examen",
    "Conditions générales d'examen",
)

# The annex's wording is kept; where it reads oddly, a hint says what is meant.
HINTS = {5: "Contrôle de l'identité et de la convocation des candidats"}
POSITIONS = range(1, len(CONDITIONS) + 1)
# An answer is True (respectée), False (non respectée) or None ("sans objet", condition 10
# only, when no candidate of the day has an accommodation: `proposals.not_applicable_allowed`).
VALUES = {"respectee": True, "non_respectee": False, "sans_objet": None}
NOT_APPLICABLE_POSITIONS = frozenset({10})
FIELD_PREFIX = "condition_"
MAX_OBSERVATIONS = 4000

MSG_UNKNOWN_CONDITION = "Condition inconnue : « {name} »."
MSG_BAD_VALUE = ("Réponse invalide pour la condition {n} ({label}) : choisissez « Respectée » "
                 "ou « Non respectée ».")
MSG_LONG_OBSERVATIONS = f"Les observations ne doivent pas dépasser {MAX_OBSERVATIONS} caractères."
MSG_MISSING = "Répondez à toutes les conditions avant de signer. Sans réponse : {missing}."
MSG_NOT_APPLICABLE = ("« Sans objet » ne convient qu'à la condition 10 (aménagement pour les "
                      "candidats en situation de handicap).")
MSG_OBSERVATIONS_REQUIRED = "Précisez dans les observations ce qui n'a pas été respecté."


def condition_label(position: int) -> str:
    return CONDITIONS[position - 1]


def answer_value(answer: bool | None) -> str:
    """The form's value of a recorded answer (True, False, or None for "sans objet")."""
    return next(value for value, meaning in VALUES.items() if meaning is answer)


def parse_answers(form) -> dict[int, bool | None]:
    """{position: respected, or None for "sans objet"} from the posted fields `condition_<n>`;
    400 on anything else.

    A condition left without an answer is simply absent (the sheet may be saved in parts).
    """
    answers: dict[int, bool] = {}
    for name in form.keys():
        if not name.startswith(FIELD_PREFIX):
            continue
        raw = name[len(FIELD_PREFIX):]
        if not raw.isdigit() or int(raw) not in POSITIONS:
            raise InvalidInput(MSG_UNKNOWN_CONDITION.format(name=name[:40]))
        position = int(raw)
        value = form.get(name)
        if value == "":
            continue  # "no answer yet"
        if value not in VALUES:
            raise InvalidInput(MSG_BAD_VALUE.format(n=position, label=condition_label(position)))
        if VALUES[value] is None and position not in NOT_APPLICABLE_POSITIONS:
            raise InvalidInput(MSG_NOT_APPLICABLE)
        answers[position] = VALUES[value]
    return answers


def clean_observations(text: str | None) -> str | None:
    text = clean_text(text)
    if len(text) > MAX_OBSERVATIONS:
        raise InvalidInput(MSG_LONG_OBSERVATIONS)
    return text or None


def missing_positions(answers: dict[int, bool]) -> list[int]:
    return [n for n in POSITIONS if n not in answers]


def has_breach(answers: dict[int, bool]) -> bool:
    return any(value is False for value in answers.values())


def signing_problem(answers: dict[int, bool], observations: str | None) -> str | None:
    """Why the sheet cannot be signed yet (French), or None."""
    missing = missing_positions(answers)
    if missing:
        return MSG_MISSING.format(missing=" ; ".join(f"{n}. {condition_label(n)}" for n in missing))
    if has_breach(answers) and not (observations or "").strip():
        return MSG_OBSERVATIONS_REQUIRED
    return None
