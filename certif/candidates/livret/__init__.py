"""The livret d'évaluation (seed 001, 5-1 and 5-2-4): a candidate in training's evaluations per
competency and end-of-block projects, entered by the organiser or imported from a partner
organisation's CSV, and the relevé des évaluations handed to the jury. VAE candidates have none.
"""
