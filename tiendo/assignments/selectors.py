"""Reads on tasks: what a user may see (the same scope as data values), one task with what
the user may do to it, and the counts of a unit, document or programme for a period, worked
out by `tiendo.lib.assignments` from one bulk read."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from tiendo.accounts.access import Scope, user_scope
from tiendo.accounts.actions import Action
from tiendo.assignments.models import Task, TaskAssessment, TaskExtension
from tiendo.errors import Forbidden, NotFound
from tiendo.lib.assignments import (
    Extension,
    OngoingTally,
    TaskState,
    TaskStatus,
    TaskTally,
    in_period,
    tally,
    tally_by,
    task_state,
)
from tiendo.lib.periods import Period
from tiendo.org.models import OrgUnit


def _scope_filter(scope: Scope) -> Q:
    if scope.is_admin:
        return Q()
    if scope.role is None or not scope.paths:
        return Q(pk__in=[])
    held = scope.unit_filter("unit_in_charge__")
    coordinated = Task.objects.filter(scope.unit_filter("coordinating__")).values("pk")
    return held | Q(pk__in=coordinated)


def tasks_visible(user) -> QuerySet[Task]:
    """The tasks a user may see: those held by a unit in their scope, and those a unit in
    their scope coordinates; nobody else's."""
    return Task.objects.filter(_scope_filter(user_scope(user)))


def task_for(user, task_id, action: Action = Action.READ) -> Task:
    """One task the user may see, else NotFound (as for an id that does not exist)."""
    try:
        task = (tasks_visible(user).select_related("document", "unit_in_charge", "assigned_by",
                                                   "parent")
                .get(pk=int(task_id)))
    except (Task.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such task")) from None
    scope = user_scope(user)
    allowed = {Action.READ: True,  # seeing it is reading it
               Action.ENTER: scope.can_enter(task.unit_in_charge),
               Action.APPROVE: scope.can_approve(task.assigned_by),
               Action.PLAN: scope.can_plan(task.assigned_by)}[action]
    if not allowed:
        raise Forbidden(_("your role does not allow this for this task"))
    return task


@dataclass(frozen=True, slots=True)
class TaskRow:
    task: Task
    state: TaskState | None  # None for an ongoing duty

    @property
    def status(self) -> str | None:
        return self.state.status.value if self.state else None


@dataclass(slots=True)
class TaskCount:
    """The counts for a unit (and the units below), a document or a programme, and a
    period, as of a date: the tally, by kind, ongoing duties apart, and the rows (overdue
    first, most days overdue first)."""

    period: Period
    as_of: datetime.date
    tally: TaskTally
    by_kind: dict[str, TaskTally]
    ongoing: OngoingTally
    rows: list[TaskRow] = field(default_factory=list)
    ongoing_rows: list[TaskRow] = field(default_factory=list)

    @property
    def overdue(self) -> list[TaskRow]:
        return [row for row in self.rows if row.state.status == TaskStatus.OVERDUE]


def _extensions(task_ids) -> dict[int, list[Extension]]:
    found: dict[int, list[Extension]] = defaultdict(list)
    for task_id, granted, deadline in (TaskExtension.objects.filter(task_id__in=task_ids)
                                       .values_list("task_id", "granted_on", "new_deadline")):
        found[task_id].append(Extension(granted, deadline))
    return found


def _period_filter(period: Period, as_of: datetime.date) -> Q:
    end = min(period.end, as_of)
    return Q(assigned_on__lte=end) & (Q(assigned_on__gte=period.start) | Q(done_on__isnull=True)
                                      | Q(done_on__gte=period.start) | Q(done_on__gt=as_of))


def _order(row: TaskRow):
    state = row.state
    rank = [TaskStatus.OVERDUE, TaskStatus.IN_PROGRESS, TaskStatus.DONE_LATE,
            TaskStatus.DONE_ON_TIME].index(state.status)
    return rank, -state.days_overdue, state.deadline, row.task.pk


def tasks_count(*, period: Period, as_of: datetime.date, unit: OrgUnit | None = None,
                with_below: bool = True, document=None, programme: Task | None = None,
                user=None, kind: str | None = None, due_soon_days: int | None = None,
                queryset: QuerySet[Task] | None = None) -> TaskCount:
    """Count the period's tasks as of `as_of` (see `tiendo.lib.assignments`), for `unit`
    (with the units below unless `with_below` is false), a document, a programme, within
    what `user` may see when given."""
    days = settings.TIENDO_TASK_DUE_SOON_DAYS if due_soon_days is None else due_soon_days
    tasks = queryset if queryset is not None else Task.objects.all()
    if user is not None:
        tasks = tasks.filter(_scope_filter(user_scope(user)))
    if unit is not None:
        tasks = tasks.filter(unit_in_charge__path__startswith=unit.path) if with_below \
            else tasks.filter(unit_in_charge=unit)
    if document is not None:
        tasks = tasks.filter(document=document)
    if programme is not None:
        tasks = tasks.filter(parent=programme)
    if kind:
        tasks = tasks.filter(kind=kind)
    tasks = tasks.filter(_period_filter(period, as_of)).select_related(
        "document", "unit_in_charge", "parent")
    found = list(tasks)
    extensions = _extensions([t.pk for t in found if t.current_deadline != t.deadline])
    rows, ongoing_rows = [], []
    by_kind: dict[str, list[TaskState]] = defaultdict(list)
    for task in found:
        if not in_period(assigned_on=task.assigned_on, done_on=task.done_on,
                         start=period.start, end=period.end, as_of=as_of):
            continue
        if task.deadline is None:
            ongoing_rows.append(TaskRow(task, None))
            continue
        state = task_state(deadline=task.deadline, done_on=task.done_on, today=as_of,
                           extensions=extensions.get(task.pk, ()), due_soon_days=days)
        rows.append(TaskRow(task, state))
        by_kind[task.kind].append(state)
    rows.sort(key=_order)
    assessed = dict(TaskAssessment.objects.filter(
        task__in=[row.task.pk for row in ongoing_rows], period=period.code)
        .values_list("task_id", "done"))
    done = sum(1 for value in assessed.values() if value)
    ongoing = OngoingTally(done, len(assessed) - done, len(ongoing_rows) - len(assessed))
    return TaskCount(period=period, as_of=as_of, tally=tally(r.state for r in rows),
                     by_kind={k: tally(v) for k, v in sorted(by_kind.items())},
                     ongoing=ongoing, rows=rows, ongoing_rows=ongoing_rows)


def tasks_count_by_unit(*, root: OrgUnit, period: Period,
                        as_of: datetime.date) -> dict[int, TaskTally]:
    """The tally of `root` and of every unit below it (each with its own units below), from
    one read of the tasks and one of their extensions, counted by `lib.assignments.tally_by`."""
    units = dict(OrgUnit.objects.filter(path__startswith=root.path).values_list("pk", "path"))
    found = (Task.objects.filter(unit_in_charge__path__startswith=root.path,
                                 deadline__isnull=False)
             .filter(_period_filter(period, as_of))
             .values_list("unit_in_charge_id", "pk", "assigned_on", "deadline", "done_on"))
    extended = Task.objects.filter(unit_in_charge__path__startswith=root.path,
                                   deadline__isnull=False).exclude(
        current_deadline=F("deadline")).filter(_period_filter(period, as_of)).values("pk")
    own = tally_by(found, start=period.start, end=period.end, as_of=as_of,
                   extensions=_extensions(extended),
                   due_soon_days=settings.TIENDO_TASK_DUE_SOON_DAYS)
    totals: dict[int, TaskTally] = {pk: TaskTally() for pk in units}
    for unit_id, counts in own.items():
        path = units[unit_id]
        for pk, unit_path in units.items():
            if path.startswith(unit_path):
                totals[pk] = totals[pk] + counts
    return totals


@dataclass(frozen=True, slots=True)
class OverdueBoard:
    total: int
    rows: list[TaskRow]  # the first `limit`, most days overdue first


def overdue_board(*, user, as_of: datetime.date, period: Period, unit: OrgUnit | None = None,
                  limit: int = 200) -> OverdueBoard:
    """The overdue tasks a leader sees (the period's, as of `as_of`), most days overdue
    first, with who holds each: every one judged, the first `limit` read in full."""
    tasks = Task.objects.filter(_scope_filter(user_scope(user))) if user is not None \
        else Task.objects.all()
    if unit is not None:
        tasks = tasks.filter(unit_in_charge__path__startswith=unit.path)
    # Only a task not done as of the day whose first deadline has passed can be overdue.
    tasks = tasks.filter(_period_filter(period, as_of), deadline__lt=as_of).filter(
        Q(done_on__isnull=True) | Q(done_on__gt=as_of))
    # Without an extension a task is judged on its first deadline, so the database can
    # count and order those itself; only the few extended ones are judged here.
    plain = tasks.filter(~Exists(TaskExtension.objects.filter(task=OuterRef("pk"))))
    overdue = [(-(as_of - deadline).days, deadline, pk,
                TaskState(TaskStatus.OVERDUE, deadline, (as_of - deadline).days, False))
               for pk, deadline in plain.order_by("deadline", "pk")
               .values_list("pk", "deadline")[:limit]]
    total = plain.values("pk").count()
    extended = tasks.filter(Exists(TaskExtension.objects.filter(task=OuterRef("pk"))))
    found = list(extended.values_list("pk", "assigned_on", "deadline", "done_on"))
    extensions = _extensions([pk for pk, *_rest in found])
    days = settings.TIENDO_TASK_DUE_SOON_DAYS
    for pk, assigned_on, deadline, done_on in found:
        if not in_period(assigned_on=assigned_on, done_on=done_on, start=period.start,
                         end=period.end, as_of=as_of):
            continue
        state = task_state(deadline=deadline, done_on=done_on, today=as_of,
                           extensions=extensions.get(pk, ()), due_soon_days=days)
        if state.status == TaskStatus.OVERDUE:
            overdue.append((-state.days_overdue, state.deadline, pk, state))
            total += 1
    overdue.sort(key=lambda item: item[:3])
    shown = overdue[:limit]
    by_pk = Task.objects.select_related("document", "unit_in_charge", "parent").in_bulk(
        [pk for _d, _dl, pk, _s in shown])
    return OverdueBoard(total, [TaskRow(by_pk[pk], state)
                                       for _d, _dl, pk, state in shown])


def my_tasks(*, user, period: Period, as_of: datetime.date) -> tuple[TaskCount, TaskCount]:
    """What the user's units hold, and what they coordinate (held elsewhere)."""
    scope = user_scope(user)
    held = Task.objects.filter(scope.unit_filter("unit_in_charge__"))
    coordinated = Task.objects.filter(scope.unit_filter("coordinating__")).exclude(
        scope.unit_filter("unit_in_charge__") if not scope.is_admin else Q(pk__in=[])
    ).distinct()
    return (tasks_count(period=period, as_of=as_of, queryset=held),
            tasks_count(period=period, as_of=as_of, queryset=coordinated))


def task_history(task: Task):
    from tiendo.audit.models import AuditRecord

    return AuditRecord.objects.filter(entity="task", entity_id=task.pk).order_by("at", "pk")


def task_extensions(task: Task) -> list[TaskExtension]:
    return list(task.extensions.all())


def task_state_of(task: Task, as_of: datetime.date) -> TaskState | None:
    if task.deadline is None:
        return None
    return task_state(deadline=task.deadline, done_on=task.done_on, today=as_of,
                      extensions=[Extension(e.granted_on, e.new_deadline)
                                  for e in task.extensions.all()],
                      due_soon_days=settings.TIENDO_TASK_DUE_SOON_DAYS)


def task_children(task: Task) -> QuerySet[Task]:
    return task.children.select_related("unit_in_charge").order_by("deadline", "pk")


def documents_with_tasks(user) -> QuerySet:
    from tiendo.plans.models import Document

    return Document.objects.order_by("-date", "symbol")


def document_for(document_id):
    """A document by id (documents are public within the system), else NotFound."""
    from tiendo.plans.models import Document

    try:
        return Document.objects.get(pk=int(document_id))
    except (Document.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such document")) from None


def document_tasks(*, user, document) -> list[Task]:
    return list(tasks_visible(user).filter(document=document)
                .select_related("unit_in_charge", "parent").order_by("pk"))


def task_evidence(task: Task) -> bytes:
    return bytes(Task.objects.values_list("evidence_file", flat=True).get(pk=task.pk) or b"")
