"""The rules of a professionalisation session, without Flask: when jurors are emailed, when
attendance can be recorded, who signs, and what a juror's professionalisation date becomes.

Seed 000, I.A.2: the organiser professionalises the jurors "en organisant une session
d'explicitation des modalités et des attendus de la certification", before the exam, on
site or remotely; annex 7: the juror attests having followed it, and on which day.
"""
from __future__ import annotations

from datetime import date

# What a session explains when the organiser writes nothing else (seed 000, I.A.2).
DEFAULT_CONTENT = ("Explicitation des modalités et des attendus de la certification : déroulement "
                   "de l'épreuve, grille d'évaluation et critères, rôle du jury et du président, "
                   "délibération, émargements, procès-verbal, fiche anomalie et fiche de "
                   "validation des conditions d'examen.")

MSG_ATTENDANCE_TOO_EARLY = ("La session n'a pas encore eu lieu (le {day}) : les présences "
                            "s'enregistrent à partir de ce jour.")
MSG_SIGNED_STAYS = ("{name} a signé son attestation de suivi : sa présence ne peut plus être "
                    "retirée.")
MSG_NOT_INVITED = "Vous n'êtes pas invité(e) à cette session de professionnalisation."
MSG_NOT_ATTENDED = ("Votre présence à cette session n'est pas enregistrée : seul un juré présent "
                    "signe l'attestation. Adressez-vous au responsable d'organisation.")
MSG_TOO_EARLY_TO_SIGN = "La session n'a pas encore eu lieu : l'attestation se signe après."


def emails_invitation(held_on: date, today: date) -> bool:
    """A session still to come is announced by email; jurors added to a past session (a
    session recorded afterwards) are only listed."""
    return held_on >= today


def attendance_refusal(held_on: date, today: date) -> str | None:
    """Attendance is recorded from the session's day on, never before."""
    if held_on > today:
        return MSG_ATTENDANCE_TOO_EARLY
    return None


def unmark_refusal(attended_now: bool | None, present: bool, signed: bool) -> bool:
    """True when the change would take away the presence of a juror who signed."""
    return bool(attended_now) and not present and signed


def signing_refusal(invited: bool, attended: bool | None, held_on: date, today: date) -> str | None:
    """Only the invited juror whose presence is recorded signs, once the session took place."""
    if not invited:
        return MSG_NOT_INVITED
    if held_on > today:
        return MSG_TOO_EARLY_TO_SIGN
    if not attended:
        return MSG_NOT_ATTENDED
    return None


def profile_date(current: date | None, session_day: date, present: bool,
                 other_attended: list[date]) -> date | None:
    """The juror's professionalisation date once their presence at a session held on
    `session_day` is recorded (`present`) or withdrawn.

    Present: the latest of the current date and this session's day. Withdrawn: when the
    profile carried this session's day, the latest other session attended (or nothing);
    a date the organiser typed otherwise stays.
    """
    if present:
        return max(current, session_day) if current else session_day
    if current == session_day:
        return max(other_attended) if other_attended else None
    return current
