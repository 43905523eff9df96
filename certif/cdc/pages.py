"""The Déclarations CDC page's model: every certificate's line with its state, deadline and
countdown, what holds it back, the files generated, the configuration's gaps."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..certificates.content import award_day
from ..certificates.models import Certificate
from ..timeutil import paris_today
from . import queries, rules
from .models import CdcDeclaration, CdcFile


@dataclass
class Line:
    certificate: Certificate
    declaration: CdcDeclaration | None
    state: str
    problems: list[str]
    award_day: date
    deadline: date
    today: date
    line: dict | None = field(default=None, repr=False)

    @property
    def state_label(self) -> str:
        label = rules.STATES[self.state]
        if self.state == rules.DECLARED:
            return f"{label} dans le fichier n° {self.declaration.file.number}"
        return label

    @property
    def pending(self) -> bool:
        return self.state in rules.PENDING

    @property
    def ready(self) -> bool:
        return self.state == rules.TO_DECLARE and not self.certificate.revoked

    @property
    def countdown(self) -> str | None:
        return rules.countdown(self.deadline, self.today) if self.pending else None

    @property
    def late(self) -> bool:
        return self.pending and rules.is_late(self.deadline, self.today)

    @property
    def awaiting_answer(self) -> bool:
        return self.state == rules.DECLARED

    @property
    def session(self):
        return self.certificate.exam.jury.session

    @property
    def candidate(self):
        return self.certificate.exam.candidate


def lines(today: date | None = None, months: int | None = None) -> list[Line]:
    """Every certificate's line (a revoked one never sent is « non déclaré »). Ready lines
    carry their data (`line`), which the file is built from."""
    today = today or paris_today()
    months = months or queries.settings().deadline_months
    found = []
    for certificate, declaration in queries.certificates_with_declarations():
        problems = queries.problems_of(certificate)
        technical_id = declaration.technical_id if declaration else \
            rules.technical_id(certificate.number)
        data = queries.line_of(certificate, technical_id) if not problems else None
        state = rules.state_of(declaration.status if declaration else None, problems,
                               rules.fingerprint(data) if data else "",
                               declaration.sent_fingerprint if declaration else None,
                               revoked=certificate.revoked)
        awarded = award_day(certificate)
        found.append(Line(certificate, declaration, state, problems, awarded,
                          rules.deadline(awarded, months), today, data))
    return found


@dataclass
class DeclarationsPage:
    lines: list[Line]
    files: list[CdcFile]
    config_problems: list[str]
    deadline_months: int
    without_code: list[str]
    blocks_note: str = rules.BLOCKS_NOT_DECLARED

    @property
    def ready(self) -> list[Line]:
        return [line for line in self.lines if line.ready]

    @property
    def held_back(self) -> list[Line]:
        return [line for line in self.lines if line.state == rules.TO_CORRECT]

    @property
    def counts(self) -> list[tuple[str, int]]:
        per_state = Counter(line.state for line in self.lines)
        return [(label, per_state[state]) for state, label in rules.STATES.items()
                if per_state[state]]


def declarations_page(today: date | None = None) -> DeclarationsPage:
    settings = queries.settings()
    return DeclarationsPage(lines(today, settings.deadline_months), queries.files(),
                            settings.problems, settings.deadline_months,
                            queries.certifications_without_code())
