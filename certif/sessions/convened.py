"""What sessions read about convocations, which sit above them.

The session page and the step to "convened" need to know which candidates and jurors hold a
convocation, and whether it still announces their sitting as it stands; the page of one
sitting lists the candidate's convocations. Sessions never import convocations: these
register their reader at start-up (`create_app`), and sessions ask it through
`convocation_reader()`. The convocations are passed around as they come, never looked into.
"""
from __future__ import annotations

from typing import Protocol


class ConvocationReader(Protocol):
    def latest_candidate_convocations(self, exam_ids) -> dict:
        """exam id -> the last convocation sent to its candidate."""

    def latest_juror_convocations(self, session_id: int) -> dict:
        """juror id -> the last convocation sent to them for the session."""

    def candidate_convocation_current(self, exam, convocation) -> bool:
        """The candidate's last convocation still announces the exam as it stands."""

    def juror_convocation_current(self, session, juror, convocation) -> bool:
        """The juror's last convocation still announces the session as it stands."""

    def candidate_convocations(self, exam) -> list:
        """Every convocation sent to the candidate for this exam, oldest first."""


_reader: ConvocationReader | None = None


def register_reader(reader: ConvocationReader) -> None:
    global _reader
    _reader = reader


def convocation_reader() -> ConvocationReader:
    if _reader is None:
        raise RuntimeError("no convocation reader registered (certif.convocations.queries, by create_app)")
    return _reader
