"""The candidate's file as a sitting sees it: the deadline from the session, the candidate's
pages through the personal link, the organiser's view (certif/candidates/dossier: the rows)."""
