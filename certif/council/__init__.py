"""The steering council: anomaly sheets (annex 3), the council's opinion and its
mandatory corrective actions, its meetings, and the quality indicators."""
