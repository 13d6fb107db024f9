"""One error hierarchy for the application; faces turn it into a message or an HTTP answer."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tiendo.lib.text import control_character, visible


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


def text_problems(texts: dict[str, str], *, line: int | None = None,
                  sheet: str = "") -> list[Problem]:
    """A problem for each text field (name → text a user typed) holding a NUL or another
    control character, which no database should be asked to store."""
    problems = []
    for name, text in texts.items():
        position = control_character(text or "")
        if position is not None:
            problems.append(Problem(
                _("a control character (code %(code)s) is not accepted in text, at character "
                  "%(position)s; retype the text") % {
                    "code": ord(text[position]), "position": position + 1},
                line, name, visible(text)[:80], sheet))
    return problems
