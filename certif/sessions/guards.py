"""What the layers above add to a session's next step.

A session goes forward one status at a time (`lifecycle.next_step`). Sessions check what
they know (complete juries, the exam day, closed deliberations); before a session is
deliberated, then closed, its minutes must be signed by every juror, then carry the
organiser's visa. The minutes sit above sessions, which never import them: they register
those conditions here at start-up (`create_app`), and sessions refuse to take a step whose
conditions nobody registered rather than let it through unchecked.
"""
from __future__ import annotations

from collections.abc import Callable

from .models import DELIBERATED, SESSION_CLOSED

# The steps that need a higher layer's word.
REQUIRED = (DELIBERATED, SESSION_CLOSED)

# target status -> conditions, each (session) -> why the step cannot be taken (French), or None
_guards: dict[str, list[Callable]] = {}


def register_guard(target: str, guard: Callable) -> None:
    """Add a condition to the step to `target`; registering the same one again changes nothing."""
    guards = _guards.setdefault(target, [])
    if guard not in guards:
        guards.append(guard)


def guard_problem(target: str, session) -> str | None:
    """The first registered condition of the step to `target` that `session` does not meet."""
    guards = _guards.get(target)
    if not guards and target in REQUIRED:
        raise RuntimeError(f"no condition registered for a session's step to {target!r} "
                           "(certif.minutes.steps.register, called by create_app)")
    for guard in guards or ():
        problem = guard(session)
        if problem:
            return problem
    return None
