"""Reviewing reports before approval: each report's figures against the last period and
the same period last year, with the changes worth a question flagged; approving many
reports in one action; the returned reports a unit is told about."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, user_scope
from tiendo.audit.services import Actor, audit_record
from tiendo.data.models import DataValue, Submission
from tiendo.data.selectors import submissions_visible
from tiendo.data.submissions import submission_approve
from tiendo.errors import Forbidden, InvalidInput, NotFound, Problem, TiendoError
from tiendo.indicators.models import DataSet
from tiendo.language import current_lang
from tiendo.lib.periods import parse_period
from tiendo.lib.validation import MIN_CHANGE, jump_pct


@dataclass(frozen=True, slots=True)
class Figure:
    """One data element's total in a report, beside last period's and last year's."""

    element: object  # DataElement
    value: Decimal | None
    previous: Decimal | None
    last_year: Decimal | None
    previous_jump: Decimal | None  # % change worth a question, else None
    last_year_jump: Decimal | None

    @property
    def flagged(self) -> bool:
        return self.previous_jump is not None or self.last_year_jump is not None


def review_figures(submissions: list[Submission]) -> dict[int, list[Figure]]:
    """The figures of each report (by submission id), in two queries for the whole list."""
    if not submissions:
        return {}
    through = DataSet.elements.through
    elements_of: dict[int, list] = {}
    for row in through.objects.filter(
            dataset_id__in={s.data_set_id for s in submissions}).select_related(
            "dataelement").order_by("dataelement__code"):
        elements_of.setdefault(row.dataset_id, []).append(row.dataelement)
    periods = {}
    for s in submissions:
        period = parse_period(s.period)
        periods[s.pk] = (period.code, period.previous().code,
                         period.same_period_last_year().code)
    codes = {code for trio in periods.values() for code in trio}
    values = {
        (element, unit, period): value
        for element, unit, period, value in DataValue.objects.filter(
            org_unit__in={s.org_unit_id for s in submissions}, period__in=codes, part="",
            data_element__in={e.pk for found in elements_of.values() for e in found},
        ).values_list("data_element_id", "org_unit_id", "period", "value")
    }
    figures = {}
    for s in submissions:
        now, before, year_ago = periods[s.pk]
        rows = []
        for element in elements_of.get(s.data_set_id, []):
            value = values.get((element.pk, s.org_unit_id, now))
            previous = values.get((element.pk, s.org_unit_id, before))
            last_year = values.get((element.pk, s.org_unit_id, year_ago))
            least = MIN_CHANGE.get(element.value_type, Decimal(0))
            rows.append(Figure(element, value, previous, last_year,
                               jump_pct(value, previous, min_change=least),
                               jump_pct(value, last_year, min_change=least)))
        figures[s.pk] = rows
    return figures


def submission_for_review(user, submission_id) -> Submission:
    """A report in the user's scope, else NotFound."""
    try:
        return submissions_visible(user).get(pk=int(submission_id))
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such report")) from None


def submissions_approve_many(*, user, ids: list[int], versions: dict[int, int] | None = None
                             ) -> list[Submission]:
    """Approve the chosen reports in one action: all of them or none (every problem listed
    by report), each approval audited as if alone and the action recorded once."""
    scope = user_scope(user)
    if not scope.allows(Action.APPROVE):
        raise Forbidden(_("your role does not allow approving reports"))
    if not ids:
        raise InvalidInput([Problem(_("choose the reports to approve"))])
    chosen = list(submissions_visible(user).filter(pk__in=ids).order_by("pk"))
    if len(chosen) != len(set(ids)):
        raise NotFound(_("no such report"))
    problems, approved = [], []
    with transaction.atomic():
        for submission in chosen:
            what = (f"{submission.org_unit.name}, {submission.data_set.name}, "
                    f"{parse_period(submission.period).label()}")
            if not scope.can_approve(submission.org_unit):
                problems.append(Problem(_("your role does not allow approving this report"),
                                        field=what))
                continue
            try:
                approved.append(submission_approve(
                    data_set=submission.data_set, org_unit=submission.org_unit,
                    period=parse_period(submission.period), actor=user.get_username(),
                    user=user, expected_version=(versions or {}).get(submission.pk)))
            except InvalidInput as exc:
                problems.extend(Problem(p.message, field=what) for p in exc.problems)
            except TiendoError as exc:  # a conflict, self-approval: said per report
                problems.append(Problem(str(exc), field=what))
        if problems:
            transaction.set_rollback(True)
            raise InvalidInput(problems)
        audit_record(actor=Actor.of(user), action="approve_many", entity="submission",
                     entity_id=approved[0].pk, key=f"{len(approved)}",
                     new={"approved": [s.pk for s in approved]})
    return approved


def submissions_returned(user) -> list[Submission]:
    """The returned reports of the units the user enters for: told on every page until
    they are submitted again."""
    scope = user_scope(user)
    if scope.unit is None or not scope.allows(Action.ENTER):
        return []
    returned = list(Submission.objects.filter(
        status=Submission.Status.RETURNED, org_unit__in=[scope.unit]
    ).select_related("data_set", "org_unit").order_by("-decided_at")[:5])
    for submission in returned:
        submission.period_label = parse_period(submission.period).label(current_lang())
    return returned
