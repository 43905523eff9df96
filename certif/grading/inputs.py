"""What the grading forms post, parsed (French messages for what cannot be read)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..errors import InvalidInput

MAX_COMMENT = 2000  # a declaration's or the president's comment
MSG_RESULT_UNKNOWN = ("Le formulaire ne dit pas quel résultat vous confirmez : rechargez la page "
                      "de la délibération puis confirmez.")


@dataclass(frozen=True)
class ShownResult:
    """The result the closing form showed next to its confirmation box (`posted` False: the
    form sent none, which the closing refuses once the box is ticked)."""

    total: Decimal | None
    decision: str | None
    posted: bool = True


def shown_result(form) -> ShownResult:
    """The result a closing form posted (`shown_total`, `shown_decision`)."""
    total, decision = form.get("shown_total"), form.get("shown_decision")
    if total is None or decision is None:
        return ShownResult(None, None, posted=False)
    try:
        amount = Decimal(total) if total.strip() else None
    except ArithmeticError:
        raise InvalidInput(MSG_RESULT_UNKNOWN) from None
    return ShownResult(amount, decision or None)
