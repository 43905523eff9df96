"""Jurors' professionalisation sessions (seed 000 I.A.2, annex 7): the organiser schedules a
session, invites jurors, records who attended; each juror who attended signs the annex 7
attestation, which the habilitation form then shows."""
