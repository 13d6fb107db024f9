"""Tasks over the API (`/api/v1/tasks/`): the same reads, writes and scope as the pages (a
unit sees its tasks and those of the units below; a coordinating unit sees the task it
coordinates; nobody else)."""

import datetime

from django.utils import timezone
from ninja import Router, Schema, Status

from tiendo.accounts.access import orgunit_for
from tiendo.assignments import services
from tiendo.assignments.present import count_json, row_json
from tiendo.assignments.selectors import (
    document_for,
    overdue_board,
    task_for,
    task_state_of,
    tasks_count,
)
from tiendo.audit.services import Actor
from tiendo.errors import InvalidInput, Problem
from tiendo.lib.periods import PeriodError, parse_period

router = Router(tags=["tasks"])


def _period(code: str):
    try:
        return parse_period(code)
    except PeriodError as error:
        raise InvalidInput([Problem(str(error), field="period", value=code)]) from None


def _actor(request) -> Actor:
    return Actor.of(request.auth, via="api")


def _task_json(task, as_of: datetime.date) -> dict:
    from tiendo.assignments.selectors import TaskRow

    return {"id": task.pk, "state": task.state, "progress_pct": task.progress_pct,
            "progress_note": task.progress_note, "kind": task.kind,
            "coordinating_units": [u.code for u in task.coordinating.all()],
            **row_json(TaskRow(task, task_state_of(task, as_of)))}


@router.get("/")
def tasks_list(request, period: str, unit_id: int | None = None,
               as_of: datetime.date | None = None):
    """The counts and the tasks for a period as of a date (today unless given), for a unit
    and the units below (every unit of your scope when not given)."""
    unit = orgunit_for(request.auth, unit_id) if unit_id is not None else None
    count = tasks_count(period=_period(period), as_of=as_of or timezone.localdate(),
                        unit=unit, user=request.auth)
    return count_json(count, unit.code if unit else None)


@router.get("/overdue")
def tasks_overdue(request, period: str, unit_id: int | None = None,
                  as_of: datetime.date | None = None, limit: int = 200):
    """The overdue board: how many, and the first `limit` most days overdue first, with who
    holds each."""
    unit = orgunit_for(request.auth, unit_id) if unit_id is not None else None
    board = overdue_board(user=request.auth, as_of=as_of or timezone.localdate(),
                          period=_period(period), unit=unit, limit=limit)
    return {"total": board.total, "tasks": [row_json(row) for row in board.rows]}


class TaskRowIn(Schema):
    title: str
    unit_in_charge: str
    deadline: str
    coordinating_units: str = ""
    programme: str = ""
    kind: str = ""


class TasksIn(Schema):
    document_id: int
    tasks: list[TaskRowIn]


@router.post("/", response={201: list[dict]})
def tasks_create(request, payload: TasksIn):
    """Several tasks of one document at once; all or nothing."""
    document = document_for(payload.document_id)
    created = services.tasks_create(document=document, rows=[row.dict() for row in
                                                             payload.tasks],
                                    user=request.auth, actor=_actor(request))
    today = timezone.localdate()
    return Status(201, [_task_json(task, today) for task in created])


@router.get("/{task_id}")
def task_get(request, task_id: int, as_of: datetime.date | None = None):
    return _task_json(task_for(request.auth, task_id), as_of or timezone.localdate())


class TaskProgressIn(Schema):
    progress_pct: int
    progress_note: str = ""


@router.post("/{task_id}/progress")
def task_progress(request, task_id: int, payload: TaskProgressIn):
    task = services.task_progress(task=task_for(request.auth, task_id),
                                  percent=payload.progress_pct, note=payload.progress_note,
                                  user=request.auth, actor=_actor(request))
    return _task_json(task, timezone.localdate())


class TaskDoneIn(Schema):
    done_on: datetime.date
    evidence_document: str = ""


@router.post("/{task_id}/done")
def task_done(request, task_id: int, payload: TaskDoneIn):
    task = services.task_mark_done(task=task_for(request.auth, task_id),
                                   done_on=payload.done_on,
                                   evidence_document=payload.evidence_document,
                                   user=request.auth, actor=_actor(request))
    return _task_json(task, timezone.localdate())


class TaskDecisionIn(Schema):
    decision: str
    reason: str = ""


@router.post("/{task_id}/decision")
def task_decision(request, task_id: int, payload: TaskDecisionIn):
    task = services.task_decide(task=task_for(request.auth, task_id),
                                decision=payload.decision, reason=payload.reason,
                                user=request.auth, actor=_actor(request))
    return _task_json(task, timezone.localdate())
