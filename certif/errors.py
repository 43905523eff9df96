"""Errors that services raise for the user, each with its HTTP status and a French message."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(ServiceError):
    status = 400


class FieldError(InvalidInput):
    """Bad input tied to one field of the form, so the form can show it beside the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class MailNotSent(ServiceError):
    """The mail server did not take the message; nothing is recorded as sent."""

    status = 502


class TooManyRequests(ServiceError):
    """Too many guesses: `retry_at` (naive UTC) says when the next try is accepted."""

    status = 429

    def __init__(self, message: str, retry_at=None):
        super().__init__(message)
        self.retry_at = retry_at
