"""Writes on tasks: create (from a document's page or an import), progress, done with
evidence, confirm or return, extend, assess an ongoing duty. Each validates, writes in one
transaction and leaves its audit record; bad input raises InvalidInput listing every problem.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.access import user_scope
from tiendo.accounts.actions import Action
from tiendo.assignments.models import Task, TaskAssessment, TaskExtension
from tiendo.audit.services import Actor, audit_record, audited_create, audited_update
from tiendo.errors import Forbidden, InvalidInput, NotFound, Problem, text_problems
from tiendo.lib.period_words import DeadlineError, parse_day, parse_deadline
from tiendo.lib.periods import PeriodError, parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_resolve
from tiendo.plans.models import Document

# The import's columns, in the order of the file (the first four are required).
COLUMNS = ("document_symbol", "document_date", "title", "unit_in_charge",
           "coordinating_units", "deadline", "programme", "done_on", "kind")
REQUIRED = ("document_symbol", "title", "unit_in_charge", "deadline")
GROUP_KINDS = (Task.Kind.PROGRAMME, Task.Kind.PROJECT, Task.Kind.SCHEME)


def evidence_required(document: Document) -> bool:
    """Whether marking a task of this document done needs evidence (rule as data:
    TIENDO_TASK_EVIDENCE_KINDS lists the document kinds)."""
    return document.kind in settings.TIENDO_TASK_EVIDENCE_KINDS


@dataclass(frozen=True, slots=True)
class RawTask:
    """One row as typed or read from a file: the columns of COLUMNS as text."""

    line: int
    fields: dict


@dataclass(slots=True)
class PendingTask:
    line: int
    document: Document | None
    document_symbol: str
    document_date: datetime.date | None
    title: str
    kind: str
    unit: OrgUnit
    coordinating: list[OrgUnit]
    deadline: datetime.date | None
    deadline_period: str
    programme: str
    done_on: datetime.date | None
    children: list = field(default_factory=list)


def _kind(text: str) -> str | None:
    text = (text or "").strip().lower()
    if not text:
        return Task.Kind.TASK
    words = {"chương trình": "programme", "dự án": "project", "đề án": "scheme",
             "tờ trình": "submission", "nội dung trình": "submission",
             "dự thảo": "draft", "nhiệm vụ": "task"}
    return text if text in Task.Kind.values else words.get(text)


def tasks_check(*, records: list[RawTask], user, sheet: str = "",
                names: dict[str, str] | None = None,
                today: datetime.date | None = None) -> list[PendingTask]:
    """Check rows of tasks given by code; InvalidInput lists every problem with its sheet,
    line and column (`names` maps a column to the name the file shows)."""
    today = today or timezone.localdate()
    scope = user_scope(user) if user is not None else None
    names = names or {}
    problems: list[Problem] = []
    pending: list[PendingTask] = []
    seen: dict[tuple, int] = {}
    documents: dict[str, Document | None] = {}

    def problem(message, line, column, value=""):
        problems.append(Problem(message, line, names.get(column, column), str(value)[:80],
                                sheet))

    for record in records:
        line, row = record.line, {k: (v or "").strip() for k, v in record.fields.items()}
        bad = len(problems)
        problems.extend(text_problems({names.get(k, k): v for k, v in row.items()},
                                      line=line, sheet=sheet))
        for column in REQUIRED:
            if not row.get(column):
                problem(_("this column is required"), line, column)
        if len(problems) > bad:
            continue
        symbol = row["document_symbol"]
        if symbol not in documents:
            documents[symbol] = Document.objects.filter(symbol=symbol).first()
        document = documents[symbol]
        doc_date = document.date if document is not None else None
        if row.get("document_date"):
            try:
                doc_date = doc_date or parse_day(row["document_date"])
            except DeadlineError:
                problem(_("not a date: write 30/06/2022 or 2022-06-30"), line,
                        "document_date", row["document_date"])
                continue
        if doc_date is None:
            problem(_("the document %(symbol)s is not known: give its date to create it")
                    % {"symbol": symbol}, line, "document_date")
            continue
        try:
            unit = orgunit_resolve(code=row["unit_in_charge"], on=doc_date)
        except NotFound as error:
            problem(str(error), line, "unit_in_charge", row["unit_in_charge"])
            continue
        if scope is not None and not scope.can_plan(unit):
            problem(_("this unit is outside the units you may assign tasks to"), line,
                    "unit_in_charge", row["unit_in_charge"])
            continue
        coordinating = []
        for code in filter(None, (c.strip() for c in row.get("coordinating_units", "")
                                  .split(";"))):
            try:
                coordinating.append(orgunit_resolve(code=code, on=doc_date))
            except NotFound as error:
                problem(str(error), line, "coordinating_units", code)
        try:
            deadline = parse_deadline(row["deadline"])
        except DeadlineError:
            problem(_("the deadline is not a date (30/06/2022), a period (Quý III/2022, 6 "
                      "tháng đầu năm 2022, năm 2022, tháng 9/2022) or \"thường xuyên\""),
                    line, "deadline", row["deadline"])
            continue
        if deadline.day is not None and deadline.day < doc_date:
            problem(_("the deadline %(deadline)s is before the document's date %(date)s")
                    % {"deadline": deadline.day.strftime("%d/%m/%Y"),
                       "date": doc_date.strftime("%d/%m/%Y")}, line, "deadline",
                    row["deadline"])
        done_on = None
        if row.get("done_on"):
            try:
                done_on = parse_day(row["done_on"])
            except DeadlineError:
                problem(_("not a date: write 30/06/2022 or 2022-06-30"), line, "done_on",
                        row["done_on"])
            else:
                if done_on < doc_date or done_on > today:
                    problem(_("the day it was done must be between the document's date and "
                              "today"), line, "done_on", row["done_on"])
        kind = _kind(row.get("kind", ""))
        if kind is None:
            problem(_("unknown kind: task, programme, project, scheme, submission or draft"),
                    line, "kind", row.get("kind"))
        key = (symbol, row["title"].casefold(), unit.pk)
        if key in seen:
            problem(_("the same task appears on line %(line)s") % {"line": seen[key]}, line,
                    "title", row["title"])
        seen[key] = line
        if document is not None and Task.objects.filter(
                document=document, title__iexact=row["title"], unit_in_charge=unit).exists():
            problem(_("this task of this document and unit is already stored"), line,
                    "title", row["title"])
        if len(problems) > bad:
            continue
        pending.append(PendingTask(
            line=line, document=document, document_symbol=symbol, document_date=doc_date,
            title=row["title"], kind=kind, unit=unit, coordinating=coordinating,
            deadline=deadline.day, deadline_period=deadline.period.code if deadline.period
            else "", programme=row.get("programme", ""), done_on=done_on))
    # A programme named on a row is a task of the same document, stored or on a row of the
    # same file; a plain task named so on the file becomes a programme (its sub-tasks count
    # under it).
    in_file = {(p.document_symbol, p.title.casefold()): p for p in pending}
    for row in pending:
        if not row.programme:
            continue
        parent = in_file.get((row.document_symbol, row.programme.casefold()))
        if parent is not None:
            if parent.kind == Task.Kind.TASK:
                parent.kind = Task.Kind.PROGRAMME
            continue
        if row.document is None or not Task.objects.filter(
                document=row.document, title__iexact=row.programme).exists():
            problems.append(Problem(
                _("no programme, project or scheme with this title in the document"),
                row.line, names.get("programme", "programme"), row.programme[:80], sheet))
    if problems:
        raise InvalidInput(problems)
    return pending


def _assigner(user, unit: OrgUnit) -> OrgUnit:
    scope = user_scope(user) if user is not None else None
    if scope is not None and scope.unit is not None:
        return scope.unit
    return unit


def tasks_save(*, pending: list[PendingTask], actor: Actor, user=None,
               via: str = "create") -> list[Task]:
    """Store checked tasks (documents created where new), programmes first; one transaction.
    A task brought in already done (`done_on`) is recorded as imported."""
    created: list[Task] = []
    with transaction.atomic():
        documents: dict[str, Document] = {}
        programmes: dict[tuple[str, str], Task] = {}
        ordered = sorted(pending, key=lambda p: (p.kind not in GROUP_KINDS, p.line))
        for row in ordered:
            document = row.document or documents.get(row.document_symbol)
            if document is None:
                document = audited_create(model=Document, actor=actor, data={
                    "symbol": row.document_symbol, "date": row.document_date, "kind": "plan"},
                    key=row.document_symbol)
            documents[row.document_symbol] = document
            parent = None
            if row.programme:
                parent = programmes.get((row.document_symbol, row.programme.casefold())) or \
                    Task.objects.filter(document=document, title__iexact=row.programme).first()
            data = {"document": document, "title": row.title, "kind": row.kind,
                    "assigned_by": _assigner(user, row.unit), "unit_in_charge": row.unit,
                    "parent": parent, "assigned_on": row.document_date,
                    "deadline": row.deadline, "current_deadline": row.deadline,
                    "deadline_period": row.deadline_period}
            if row.done_on is not None:
                data.update(state=Task.State.DONE, done_on=row.done_on, progress_pct=100,
                            evidence_document=_("imported"))
            task = audited_create(model=Task, data=data, actor=actor,
                                  key=f"{document.symbol}: {row.title}"[:255])
            if row.coordinating:
                task.coordinating.set(row.coordinating)
                audit_record(actor=actor, action="update", entity="task", entity_id=task.pk,
                             new={"coordinating": [u.pk for u in row.coordinating]})
            if row.done_on is not None:
                audit_record(actor=actor, action="imported_done", entity="task",
                             entity_id=task.pk, new={"done_on": row.done_on.isoformat()},
                             reason=via)
            programmes[(row.document_symbol, row.title.casefold())] = task
            created.append(task)
    return created


def tasks_create(*, document: Document, rows: list[dict], user, actor: Actor,
                 today: datetime.date | None = None) -> list[Task]:
    """Several tasks of one document at once (the document's page): each row has title,
    unit_in_charge, coordinating_units, deadline and optionally programme and kind."""
    if user is not None and not user_scope(user).allows(Action.PLAN):
        raise Forbidden(_("your role does not allow assigning tasks"))
    records = [RawTask(number, {**row, "document_symbol": document.symbol})
               for number, row in enumerate(rows, start=1)
               if any((value or "").strip() for value in row.values())]
    if not records:
        raise InvalidInput([Problem(_("fill at least one row"))])
    pending = tasks_check(records=records, user=user, today=today)
    return tasks_save(pending=pending, actor=actor, user=user)


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise Forbidden(message)


def task_progress(*, task: Task, percent: str | int, note: str, user, actor: Actor) -> Task:
    """The unit in charge reports how far the task is (0–100%) and what was done."""
    _require(user_scope(user).can_enter(task.unit_in_charge),
             _("only the unit in charge reports progress"))
    problems = text_problems({"note": note})
    try:
        value = int(str(percent).strip().rstrip("%"))
    except ValueError:
        value = None
    if value is None or not 0 <= value <= 100:
        problems.append(Problem(_("progress is a whole percentage from 0 to 100"),
                                field="progress_pct", value=str(percent)))
    if task.state != Task.State.OPEN:
        problems.append(Problem(_("the task is already reported done")))
    if problems:
        raise InvalidInput(problems)
    audited_update(instance=task, fields=["progress_pct", "progress_note"],
                   data={"progress_pct": value, "progress_note": note}, actor=actor,
                   action="progress", key=task.title[:255])
    return task


def task_mark_done(*, task: Task, done_on: datetime.date, user, actor: Actor,
                   evidence_document: str = "", evidence_name: str = "",
                   evidence_file: bytes | None = None,
                   today: datetime.date | None = None) -> Task:
    """The unit in charge marks the task done on `done_on`, with evidence: a file, or the
    symbol and date of the document that completed it (required for the document kinds in
    TIENDO_TASK_EVIDENCE_KINDS)."""
    today = today or timezone.localdate()
    _require(user_scope(user).can_enter(task.unit_in_charge),
             _("only the unit in charge marks the task done"))
    problems = text_problems({"evidence_document": evidence_document})
    if task.state != Task.State.OPEN:
        problems.append(Problem(_("the task is already reported done")))
    if task.ongoing:
        problems.append(Problem(_("an ongoing duty is assessed per period, not marked done")))
    if done_on > today or done_on < task.assigned_on:
        problems.append(Problem(_("the day it was done must be between the document's date "
                                  "and today"), field="done_on", value=done_on.isoformat()))
    if evidence_file and len(evidence_file) > settings.TIENDO_UPLOAD_MAX_BYTES:
        problems.append(Problem(_("the evidence file is too large"), field="evidence_file"))
    if evidence_required(task.document) and not (evidence_document.strip() or evidence_file):
        problems.append(Problem(_("this document's tasks need evidence: upload a file or give "
                                  "the symbol and date of the document that completed it"),
                                field="evidence"))
    if problems:
        raise InvalidInput(problems)
    data = {"state": Task.State.DONE, "done_on": done_on, "done_by": user,
            "progress_pct": 100, "evidence_document": evidence_document.strip(),
            "returned_reason": ""}
    if evidence_file:
        data["evidence_name"] = evidence_name[:255] or "evidence"
    with transaction.atomic():
        audited_update(instance=task, fields=[*data], data=data, actor=actor, action="done",
                       key=task.title[:255])
        if evidence_file:  # the trail keeps the file's name; the bytes stay on the task
            Task.objects.filter(pk=task.pk).update(evidence_file=evidence_file)
    return task


def task_decide(*, task: Task, decision: str, user, actor: Actor, reason: str = "",
                today: datetime.date | None = None) -> Task:
    """The assigning level confirms a task reported done, or returns it with a reason (it
    is then not done). Nobody confirms a task of their own unit or one they marked done."""
    today = today or timezone.localdate()
    scope = user_scope(user)
    _require(scope.can_approve(task.assigned_by) and scope.covers(task.unit_in_charge),
             _("only the assigning level confirms or returns a task"))
    _require(task.done_by_id != user.pk and scope.unit != task.unit_in_charge,
             _("you cannot confirm or return a task of your own unit"))
    problems = text_problems({"reason": reason})
    if decision not in ("confirm", "return"):
        problems.append(Problem(_("the decision is confirm or return"), field="decision",
                                value=decision))
    if task.state != Task.State.DONE:
        problems.append(Problem(_("only a task reported done can be confirmed or returned")))
    if decision == "return" and not reason.strip():
        problems.append(Problem(_("say why the task is returned"), field="reason"))
    if problems:
        raise InvalidInput(problems)
    if decision == "confirm":
        data = {"state": Task.State.CONFIRMED, "confirmed_on": today}
    else:
        data = {"state": Task.State.OPEN, "done_on": None, "done_by": None,
                "confirmed_on": None, "returned_reason": reason.strip()}
    audited_update(instance=task, fields=[*data], data=data, actor=actor, action=decision,
                   key=task.title[:255], reason=reason)
    return task


def task_extend(*, task: Task, deadline: datetime.date, user, actor: Actor, reason: str = "",
                today: datetime.date | None = None) -> TaskExtension:
    """Extend the deadline (audited; the first deadline stays on the task)."""
    today = today or timezone.localdate()
    _require(user_scope(user).can_plan(task.assigned_by),
             _("only the assigning level extends a deadline"))
    problems = text_problems({"reason": reason})
    if task.ongoing:
        problems.append(Problem(_("an ongoing duty has no deadline to extend")))
    elif deadline <= task.current_deadline:
        problems.append(Problem(_("the new deadline must be after the current one"),
                                field="deadline", value=deadline.isoformat()))
    if task.state != Task.State.OPEN:
        problems.append(Problem(_("the task is already reported done")))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        extension = audited_create(model=TaskExtension, actor=actor, data={
            "task": task, "granted_on": today, "old_deadline": task.current_deadline,
            "new_deadline": deadline, "reason": reason})
        audited_update(instance=task, fields=["current_deadline"],
                       data={"current_deadline": deadline}, actor=actor, action="extend",
                       key=task.title[:255], reason=reason)
    return extension


def task_assess(*, task: Task, period: str, done: bool, user, actor: Actor,
                note: str = "") -> TaskAssessment:
    """An ongoing duty assessed for one reporting period (done or not done in it)."""
    _require(user_scope(user).can_enter(task.unit_in_charge),
             _("only the unit in charge assesses its duty"))
    problems = text_problems({"note": note})
    if not task.ongoing:
        problems.append(Problem(_("only an ongoing duty is assessed per period")))
    try:
        code = parse_period(period).code
    except PeriodError:
        code = ""
        problems.append(Problem(_("not a period code"), field="period", value=period))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        found = TaskAssessment.objects.filter(task=task, period=code).first()
        if found is None:
            return audited_create(model=TaskAssessment, actor=actor, data={
                "task": task, "period": code, "done": done, "note": note})
        audited_update(instance=found, fields=["done", "note"],
                       data={"done": done, "note": note}, actor=actor)
        return found
