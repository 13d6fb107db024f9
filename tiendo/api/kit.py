"""What every router of the API shares: the schema of a unit (`analytics.serialize.unit_json`
fills it), and the parsing of a period, a target set and a data set given as parameters,
with errors as the API's."""

from django.utils.translation import gettext as _
from ninja import Schema

from tiendo.errors import InvalidInput, NotFound, Problem
from tiendo.indicators.models import DataSet
from tiendo.indicators.selectors import data_set_get
from tiendo.lib.periods import Period, PeriodError, parse_period
from tiendo.plans.models import TargetSet
from tiendo.plans.selectors import targetset_for


def period_in(code: str, field: str = "period") -> Period:
    try:
        return parse_period(code)
    except PeriodError as exc:
        raise InvalidInput([Problem(exc.problem, field=field, value=code)]) from None


def target_set_in(user, target_set_id: int | None) -> TargetSet | None:
    """The set if the caller may see it; a set they may not see is "no such target set",
    exactly as one that does not exist."""
    if target_set_id is None:
        return None
    return targetset_for(user, target_set_id)


def data_set_in(code: str) -> DataSet:
    found = data_set_get(code)
    if found is None:
        raise NotFound(_("no such data set"))
    return found


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    valid_from: str | None
    valid_to: str | None
