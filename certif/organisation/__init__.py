"""The organisation's own records: its civil liability insurance (seed 000, I.A).

A low layer (beside the referentials) so that sessions and convocations can read whether a
day is covered before anyone is convened.
"""
