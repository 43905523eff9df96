"""Attestations de validation de bloc: each block a candidate validates gets a sealed PDF with a
number and a verification code, checked on the public page of certificates."""
