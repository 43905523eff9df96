"""Corrective actions: proposed on a sheet or at a meeting, adopted by the council (then
mandatory), started and applied by their owner, verified by the council with evidence
(seed 000, II.A–II.B). Every move goes through `operations.move`, which asks
`rules.transition_problem` and records the time fields and the audit entry.

Who may move an action: the council, every step; the owner of an action (any logged-in
user), only adopted → in progress → applied, their own action (decision of issue 5).

`operations` proposes and moves actions; `queries` finds and lists them.
"""
