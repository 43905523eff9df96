"""The exam-conditions sheet (annex 4): one per jury and per day, filled and signed by its jurors.

Seed 000, II.B.2: "Un document permettant d'attester des conditions de déroulement de
la certification sera remis à chaque jury (ANNEXE 4). Ce document devra être remis au
responsable de session à chaque fin de journée."

Either juror answers the 12 conditions and writes the observations until the first
signature; the content is then frozen. When every juror who sat has signed, the sheet
is handed to the organiser (`handed_at`), and `has_breach` tells the steering council
(issue 5) that a condition was not respected.

Decisions: a stopped jury (carence) can still fill its sheet (the carence is a condition
not respected); the absent juror neither edits nor signs it, and the sheet is handed once
the juror(s) present have signed. The dashboard's reminder skips stopped juries (they did
not sit) and juries whose candidates were all moved elsewhere.
"""
