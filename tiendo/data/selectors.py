"""Reads of stored values for the faces: the entry form of a report, the units and reports
someone enters, a value and its history, the reports in a user's scope."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue, Submission
from tiendo.data.submissions import submission_get
from tiendo.errors import NotFound
from tiendo.indicators.models import DataElement, DataSet
from tiendo.lib.periods import Period
from tiendo.lib.validation import MIN_CHANGE, Deviation, deviation
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_children

HISTORY_SIZE = 12


@dataclass(slots=True)
class EntryCell:
    """One input of the form: an element's total (part '') or one of its parts."""

    element: DataElement
    part: str
    part_name: str
    stored: DataValue | None
    history: list[Decimal] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.element.pk}-{self.part or 'total'}"

    @property
    def version(self) -> int:
        return self.stored.version if self.stored else 0

    @property
    def locked(self) -> bool:
        return bool(self.stored and self.stored.status == DataValue.Status.APPROVED)

    @property
    def deviation(self) -> Deviation | None:
        """Stored, and far from the unit's history (and why): shown for review, never
        refused. The rule: `lib.validation.deviation`."""
        if not self.stored:
            return None
        return deviation(self.stored.value, self.history,
                         min_change=MIN_CHANGE.get(self.element.value_type, Decimal(0)))

    @property
    def flagged(self) -> bool:
        return self.deviation is not None


@dataclass(slots=True)
class EntryForm:
    data_set: DataSet
    unit: OrgUnit
    period: Period
    submission: Submission
    groups: list[tuple[DataElement, list[EntryCell]]]  # total first, then the parts

    @property
    def cells(self) -> list[EntryCell]:
        return [cell for _element, cells in self.groups for cell in cells]


def entry_form(*, data_set: DataSet, unit: OrgUnit, period: Period) -> EntryForm:
    """The cells of a report with what is stored and each cell's recent history, in four
    queries whatever the size of the form."""
    elements = list(
        data_set.elements.select_related("disaggregation").prefetch_related(
            "disaggregation__parts"
        ).order_by("code")
    )
    stored = {
        (v.data_element_id, v.part): v
        for v in DataValue.objects.filter(
            data_element__in=elements, org_unit=unit, period=period.code
        )
    }
    history: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    past = (
        DataValue.objects.filter(
            data_element__in=elements, org_unit=unit, period_type=period.type.value,
            period_end__lt=period.start,
        )
        .order_by("-period_end")
        .values_list("data_element_id", "part", "value")
    )
    for element_id, part, value in past[: HISTORY_SIZE * len(elements) * 8]:
        bucket = history[(element_id, part)]
        if len(bucket) < HISTORY_SIZE:
            bucket.append(value)
    groups = []
    for element in elements:
        parts = [("", "")]
        if element.disaggregation_id:
            parts += [(p.code, p.name) for p in element.disaggregation.parts.all()]
        groups.append((element, [
            EntryCell(element, code, name, stored.get((element.pk, code)),
                      history.get((element.pk, code), []))
            for code, name in parts
        ]))
    submission = submission_get(data_set=data_set, org_unit=unit, period=period)
    return EntryForm(data_set, unit, period, submission, groups)


def datavalue_history(value: DataValue) -> list[AuditRecord]:
    """Every change of a value, newest first: who, when, old, new, why."""
    return list(
        AuditRecord.objects.filter(entity="datavalue", entity_id=value.pk)
        .select_related("user").order_by("-at", "-id")
    )


def submissions_visible(user, *, status: str = "", period: str = ""):
    """The reports in the user's scope (of a status and a period code, when given), with
    what their lists show."""
    rows = Submission.objects.filter(user_scope(user).unit_filter("org_unit__")).select_related(
        "data_set", "org_unit", "submitted_by", "decided_by")
    if status:
        rows = rows.filter(status=status)
    if period:
        rows = rows.filter(period=period.strip())
    return rows


def datavalue_for(user, value_id: int) -> DataValue:
    """A stored value the user may read, else NotFound."""
    value = (DataValue.objects.select_related("data_element", "org_unit")
             .filter(pk=value_id).first())
    if value is None:
        raise NotFound(_("no such value"))
    orgunit_for(user, value.org_unit_id, Action.READ)
    return value


def entry_units(user, today) -> list[OrgUnit]:
    """Units the user enters for: their own and those directly below it (an administrator:
    the provinces on today's map)."""
    scope = user_scope(user)
    if scope.unit is None:
        if not scope.is_admin:
            return []
        return list(OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, valid_to__isnull=True)
                    .order_by("name"))
    return [scope.unit, *orgunit_children(scope.unit, on=today)]


def entry_data_sets() -> list[DataSet]:
    return list(DataSet.objects.order_by("code"))
