"""Convocations of candidates and jurors: PDFs, delivered by email or by hand, every sending recorded."""
