"""Resolving a unit code for a period rather than a day (`tiendo evaluate --unit 89
--period 2021-2025`): the unit that existed during the period, where only one did.

A code names the unit valid during the period when exactly one unit with it was. When
several were (80 is Long An until 30/06/2025 and Tây Ninh after), a period of a year or
less takes the one in force at its end, as data does (the new province reports the whole
of 2025); a longer period is ambiguous and the asker is told which units there are and how
to name one (a day on which it existed).
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from tiendo.errors import NotFound
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_resolve


def _day(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def orgunit_resolve_during(
    *, code: str, start: datetime.date, end: datetime.date,
    on: datetime.date | None = None,
) -> OrgUnit:
    """The unit with `code` that existed during [start, end]; with `on`, the one valid that
    day. Raises `NotFound` when none did, or when several did over more than a year."""
    code = code.strip()
    if on is not None:
        return orgunit_resolve(code=code, on=on)
    overlapping = list(
        OrgUnit.objects.filter(code=code)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("valid_from", "pk")
    )
    if len(overlapping) == 1:
        return overlapping[0]
    at_end = [unit for unit in overlapping if unit.is_valid_on(end)]
    if not overlapping or ((end - start).days < 366 and len(at_end) == 1):
        return orgunit_resolve(code=code, on=end)
    choices = "; ".join(
        _("%(name)s (from %(start)s to %(end)s)")
        % {"name": unit.name, "start": _day(unit.valid_from), "end": _day(unit.valid_to)}
        for unit in overlapping
    )
    raise NotFound(
        _("Code %(code)s names several units during %(from)s–%(to)s: %(choices)s. Say which "
          "one with a day it existed on (--on YYYY-MM-DD, or on= in the API).")
        % {"code": code, "from": _day(start), "to": _day(end), "choices": choices}
    )
