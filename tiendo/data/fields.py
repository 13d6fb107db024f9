"""Reading one typed field of an import or a form: a number, a period, a unit by code, a
flag. Each gives the value, or None after adding a Problem that names the line, the field
and what was found, so a file's problems are listed together rather than one at a time."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tiendo.errors import NotFound, Problem
from tiendo.lib.numbers import NumberParseError, parse_number, parse_typed
from tiendo.lib.periods import Period, PeriodError, parse_period
from tiendo.org.selectors import OrgUnitResolver, ResolvedUnit

TRUE_TEXTS = frozenset({"true", "1", "yes", "y", "x"})
FALSE_TEXTS = frozenset({"false", "0", "no", "n", ""})


def read_number(raw: object, line: int | None, field: str,
                problems: list[Problem], *, lang: str | None = None) -> Decimal | None:
    """A Decimal from a JSON number or a Vietnamese/English text number, else a problem.

    `lang` is given for what a person typed (a form, their own workbook): their language
    decides a lone separator ("54.000" is fifty-four thousand in Vietnamese, see
    `lib.numbers.parse_typed`). Without it (machine formats) such text is refused as
    ambiguous rather than guessed."""
    if isinstance(raw, bool) or raw is None:
        problems.append(Problem(_("a number is required"), line, field, str(raw or "")))
        return None
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int | float):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            problems.append(Problem(_("not a number"), line, field, str(raw)))
            return None
        return number
    text = str(raw)
    try:
        return parse_typed(text, lang) if lang else parse_number(text, locale=None)
    except NumberParseError as error:
        if error.code == "ambiguous":
            message = _(
                "%(value)s is ambiguous (thousands or decimals?); write it "
                "unambiguously, e.g. 15500 or 15,5"
            ) % {"value": text.strip()}
        elif error.code == "empty":
            message = _("a number is required")
        else:
            message = _("not a number (write e.g. 1500000 or 12,5)")
        problems.append(Problem(message, line, field, text))
        return None


def read_period(code: str, line: int, field: str, problems: list[Problem]) -> Period | None:
    try:
        return parse_period(code)
    except PeriodError as error:
        problems.append(
            Problem(
                _("not a period code: %(problem)s") % {"problem": error.problem}, line, field, code
            )
        )
        return None


def read_unit(
    resolver: OrgUnitResolver,
    code: str,
    period: Period,
    line: int,
    field: str,
    problems: list[Problem],
) -> ResolvedUnit | None:
    """The unit with this official code on the map in force at the end of `period`."""
    if not code:
        problems.append(Problem(_("a unit code is required"), line, field, code))
        return None
    try:
        return resolver.resolve(code=code, on=period.end)
    except NotFound as error:
        problems.append(Problem(str(error), line, field, code))
        return None


def read_flag(raw: object, line: int, field: str, problems: list[Problem]) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw if raw is not None else "").strip().lower()
    if text in TRUE_TEXTS:
        return True
    if text in FALSE_TEXTS:
        return False
    problems.append(Problem(_("expected true or false"), line, field, str(raw)))
    return False
