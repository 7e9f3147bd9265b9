"""Errors that carry where the problem is, so a form or an import report can point at it."""


class ValidationError(ValueError):
    """A value a user or a file supplied is not acceptable; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class UserFacingError(Exception):
    """Bad input or an unusable environment, reported to the user as one line (exit status `code`).

    Raised by the composition root and services; the CLI prints it without a traceback.
    """

    def __init__(self, message: str, code: int = 1, details: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.details = list(details)
