"""The candidate's file for a certification (seed 001, 5-3-3): the pieces they hand in through
their personal link, their history, the organiser's extension and plan checklist. The session's
deadline and the pages live above (certif/sessions/dossier/)."""
