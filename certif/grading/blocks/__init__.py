"""Blocks kept across attempts (RNCP title, DESIGN.md): a block validated at an attempt stays
validated for the candidate and the certification (its referential code, whatever the version),
with the attempt that validated it; a retake grades only the blocks not validated yet."""
