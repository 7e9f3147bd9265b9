"""Errors that carry where the problem is, so a form or an import report can point at it."""


class ValidationError(ValueError):
    """A value a user or a file supplied is not acceptable; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
