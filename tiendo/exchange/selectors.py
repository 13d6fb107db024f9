"""Reads the exchange faces share: what the user chose (unit, period, data set), resolved
and checked against their scope."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.errors import InvalidInput, NotFound, Problem
from tiendo.exchange.models import Upload
from tiendo.indicators.models import DataSet
from tiendo.lib.periods import Period, PeriodError, parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import in_force_first, orgunit_resolve


@dataclass(frozen=True, slots=True)
class Choice:
    unit: OrgUnit | None
    period: Period | None
    data_set: DataSet | None


def choice_resolve(*, user, unit: str = "", period: str = "", data_set: str = "",
                   action: Action = Action.READ, required: tuple[str, ...] = ()) -> Choice:
    """The unit (by code, on the period's end), period and data set a user named; every
    problem at once. The unit must be in the user's scope and allow `action` (`user` None:
    the command line, which sees everything)."""
    problems = []
    found_period = found_unit = found_set = None
    if period:
        try:
            found_period = parse_period(period)
        except PeriodError as error:
            problems.append(Problem(_("not a period code: %(problem)s")
                                    % {"problem": error.problem}, field="period", value=period))
    elif "period" in required:
        problems.append(Problem(_("a period is required"), field="period"))
    if data_set:
        found_set = DataSet.objects.filter(code=data_set).first()
        if found_set is None:
            problems.append(Problem(_("unknown data set"), field="data_set", value=data_set))
    elif "data_set" in required:
        problems.append(Problem(_("a data set is required"), field="data_set"))
    if unit and found_period is not None:
        try:
            resolved = orgunit_resolve(code=unit, on=found_period.end)
        except NotFound as error:
            problems.append(Problem(str(error), field="unit", value=unit))
        else:
            # No user is the command line, run by whoever runs the server.
            found_unit = resolved if user is None else orgunit_for(user, resolved.pk, action)
    elif "unit" in required and not unit:
        problems.append(Problem(_("a unit code is required"), field="unit"))
    if problems:
        raise InvalidInput(problems)
    return Choice(found_unit, found_period, found_set)


def data_sets() -> list[DataSet]:
    return list(DataSet.objects.order_by("code"))


def unit_suggestions(user, limit: int = 400) -> list[OrgUnit]:
    """Units to offer in a list while typing a code: the top of the scope first."""
    return list(in_force_first(user_scope(user).units()).only("code", "name", "valid_to")
                [:limit])


def upload_for(user, upload_id: int) -> Upload:
    """An upload of this user; others' uploads are not found, whoever asks."""
    found = Upload.objects.filter(pk=upload_id, user=user).first()
    if found is None:
        raise NotFound(_("no such upload"))
    return found


def uploads_recent(user, limit: int = 10) -> list[Upload]:
    return list(Upload.objects.filter(user=user).defer("content")[:limit])


def xml_vocabulary():
    """What an ADX file's names are checked against: each data element's disaggregation
    code and each data set's elements (a few hundred rows, read once per upload)."""
    from tiendo.exchange.readers.adx import Vocabulary
    from tiendo.indicators.models import DataElement

    disaggregations = {code: dis or "" for code, dis in DataElement.objects.values_list(
        "code", "disaggregation__code")}
    data_sets: dict[str, set[str]] = {code: set() for code in
                                      DataSet.objects.values_list("code", flat=True)}
    for code, element in DataSet.objects.values_list("code", "elements__code"):
        if element:
            data_sets[code].add(element)
    return Vocabulary(disaggregations=disaggregations, data_sets=data_sets)
