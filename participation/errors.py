"""Domain errors that services raise and views turn into translated pages."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; `message` is already translated for the person who broke it."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class SignInRequired(DomainError):
    status_code = 401


class NotMember(Forbidden):
    """The person must join the area before taking part in it."""
