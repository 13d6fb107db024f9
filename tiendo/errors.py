"""One error hierarchy for the application; faces turn it into a message or an HTTP answer."""

from dataclasses import dataclass


class TiendoError(Exception):
    """Base of every error a user can cause and should be told about."""


class NotFound(TiendoError):
    pass


class Forbidden(TiendoError):
    """The user may see the object but not do this to it."""


class Locked(TiendoError):
    """The value is approved and cannot change until it is un-approved."""


class Conflict(TiendoError):
    """Someone else changed the value since it was read (optimistic locking)."""


class TooManyAttempts(TiendoError):
    """Too many failed log-ins or wrong tokens from this address; try again later."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where it is, what was found and what was expected."""

    message: str
    line: int | None = None
    field: str = ""
    value: str = ""
    sheet: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(self.sheet)
        if self.line is not None:
            where.append(f"{self.line}")
        if self.field:
            where.append(self.field)
        prefix = ":".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class InvalidInput(TiendoError):
    """Input that cannot be stored; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
