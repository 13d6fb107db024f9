"""Units in the API: one unit in the caller's scope and the units below it."""

import datetime

from django.utils.translation import gettext as _
from ninja import Router

from tiendo.accounts.access import Action, orgunit_for
from tiendo.analytics.serialize import unit_json
from tiendo.api.kit import UnitOut
from tiendo.errors import InvalidInput, Problem
from tiendo.org.selectors import orgunit_children

router = Router(tags=["units"])


class UnitDetailOut(UnitOut):
    children: list[UnitOut]


@router.get("/units/{unit_id}", response=UnitDetailOut)
def unit_detail(request, unit_id: int, on: str | None = None):
    """A unit in the caller's scope and the units directly below it (valid on the date
    `on`, YYYY-MM-DD, when given)."""
    unit = orgunit_for(request.auth, unit_id, Action.READ)
    try:
        day = datetime.date.fromisoformat(on) if on else None
    except ValueError:
        raise InvalidInput([Problem(_("a date is written YYYY-MM-DD"), field="on",
                                    value=on)]) from None
    return {**unit_json(unit), "children": [unit_json(c) for c in orgunit_children(unit, on=day)]}
