"""`flask verify FILE`: is a sealed PDF intact?"""


def init_app(app) -> None:
    pass
