from ..convocations.helpers import organiser, setup, smtp_server, staff  # noqa: F401  (fixtures)
