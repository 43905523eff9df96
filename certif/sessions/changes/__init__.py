"""Changes to the plan (seed 000, I.C.4 and I.D.7–8): a juror's absence (carence) and its
replacement session, a candidate's absence and move to another session, retakes after an
unfavourable result, and appeals to the management; one module per kind, with the page of
one sitting (`page`), its views and forms."""
