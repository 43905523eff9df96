"""The exam day: the reception (jury attendance, annex 2; identity check; candidate
attendance, annex 1, signed on the jury's device or through a single-use link), the
organiser's attendance view, and the exam-conditions sheet (annex 4, `conditions/`).

A juror reaches an exam only through `access.exam_access` (404 when not on its jury).
The candidate has no account: a short code or an emailed link (its token stored as a
SHA-256 only) opens a signing page once."""
