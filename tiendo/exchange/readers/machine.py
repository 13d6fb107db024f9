"""What exchange files (DHIS2 JSON, CSV and DXF2 XML, ADX) share: numbers written the machine
way, flags, and the attribute option combo we do not keep.

A person's Excel sheet says "54.000" for fifty-four thousand (`tiendo.lib.numbers` reads it
in the person's language); a machine writes numbers with a dot before the decimals and no
thousands separator, as JSON, DHIS2 and ADX's `xs:decimal` do: "3.125" is three and an
eighth there, never three thousand one hundred and twenty-five.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tiendo.data.services import DEFAULT_COMBOS
from tiendo.errors import Problem

_MACHINE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def machine_number(raw: object) -> Decimal | None:
    """The number a machine wrote (a JSON number, or text like "3.125", "-7", "1e3"), or
    None when the text is not written that way."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    text = str(raw).strip()
    if not _MACHINE.match(text):
        return None
    return Decimal(text)


def exchange_value(raw: object, line: int, field: str, problems: list[Problem],
                   sheet: str = "") -> object:
    """The value as the import should check it: a Decimal for a machine number, the raw
    value when it is empty (the import says a number is required), otherwise None after a
    problem saying how exchange files write numbers."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return raw
    number = machine_number(raw)
    if number is not None:
        return number
    problems.append(Problem(
        _("not a number as exchange files write it: digits with a dot before the decimals "
          "and no thousands separator, e.g. 15500 or 3.125"), line, field, str(raw), sheet))
    return None


def flag(raw: object) -> bool:
    """DHIS2's booleans: true/false as JSON or text."""
    if isinstance(raw, bool):
        return raw
    return str(raw or "").strip().lower() == "true"


def combo_refused(combo: object, line: int | None, field: str,
                  problems: list[Problem]) -> bool:
    """Only the default attribute option combo is kept: a value for another one (a funding
    mechanism, a project) would otherwise be stored as the unit's total. True when refused."""
    text = str(combo or "").strip()
    if text in DEFAULT_COMBOS:
        return False
    problems.append(Problem(
        _("attribute option combos are not kept here: only the default one (empty, "
          "\"default\" or HllvX50cXC0) is accepted; export this value from DHIS2 without "
          "its attribute option combo or leave it out"), line, field, text))
    return True
