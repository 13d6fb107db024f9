"""Judged targets in the API: the evaluation of a unit's targets, and what the dashboard page
shows. The page and `/dashboard` choose the unit, period and set the same way
(`tiendo.analytics.choices`) and word every figure through `tiendo.analytics.present`."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from tiendo.accounts.access import Action, orgunit_for
from tiendo.analytics.choices import dashboard_choose
from tiendo.analytics.dashboard import dashboard_build
from tiendo.analytics.evaluation import targets_evaluate
from tiendo.analytics.serialize import dashboard_json, evaluation_json, side_by_side_json
from tiendo.analytics.side_by_side import side_by_side
from tiendo.api.kit import period_in, target_set_in
from tiendo.errors import InvalidInput, NotFound, Problem
from tiendo.language import current_lang
from tiendo.lib.periods import PeriodError

router = Router(tags=["dashboard"])


@router.get("/evaluation")
def evaluation(request, unit: int, period: str, target_set: int | None = None):
    """The unit's targets judged for the period (as `tiendo evaluate --format json`)."""
    found = orgunit_for(request.auth, unit, Action.READ)
    result = targets_evaluate(unit=found, period=period_in(period),
                              target_set=target_set_in(request.auth, target_set),
                              today=timezone.localdate())
    return evaluation_json(result)


@router.get("/dashboard")
def dashboard(request, unit: int | None = None, period: str | None = None,
              target_set: int | None = None):
    """What the dashboard page shows: the unit's targets (own or from the unit above), the
    units below in lagging order with their figures, and each target's five-year trend.
    Left out, the unit, period and target set are those the page opens on."""
    try:
        choice = dashboard_choose(user=request.auth, today=timezone.localdate(), unit_id=unit,
                                  period_code=period, set_id=target_set)
    except PeriodError as exc:
        raise InvalidInput([Problem(exc.problem, field="period", value=period)]) from None
    if target_set is not None and (choice.target_set is None
                                   or choice.target_set.pk != target_set):
        raise NotFound(_("no such target set"))
    board = dashboard_build(unit=choice.unit, period=choice.period,
                            target_set=choice.target_set, now=timezone.now())
    return {**dashboard_json(board, current_lang()),
            "target_set": choice.target_set.pk if choice.target_set else None}


@router.get("/compare")
def compare(request, unit: int | None = None, period: str | None = None,
            indicator: str | None = None):
    """One indicator's targets from every body's set with the one result, and the summary
    of each set (the page /compare/)."""
    try:
        choice = dashboard_choose(user=request.auth, today=timezone.localdate(), unit_id=unit,
                                  period_code=period)
    except PeriodError as exc:
        raise InvalidInput([Problem(exc.problem, field="period", value=period)]) from None
    view = side_by_side(unit=choice.unit, period=choice.period, indicator_code=indicator,
                        today=timezone.localdate())
    return side_by_side_json(view, current_lang())
