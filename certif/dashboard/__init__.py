"""The organiser's home: what is due, soonest first."""
