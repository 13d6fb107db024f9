"""The counts as every face shows them: the JSON of `tiendo tasks` and the API, the
dashboard's block, the report's section and the evaluate JSON's `tasks` summary. Faces use
these as they are; nothing here counts (the selectors did)."""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from tiendo.assignments.models import Task
from tiendo.assignments.selectors import TaskCount, TaskRow, tasks_count
from tiendo.lib.assignments import KIND_NOUNS, TaskStatus, tally_sentence
from tiendo.lib.language import language_of
from tiendo.lib.numbers import format_number
from tiendo.lib.periods import Period, parse_period

STATUS_WORDS = {
    TaskStatus.DONE_ON_TIME: ("hoàn thành đúng hạn", "done on time"),
    TaskStatus.DONE_LATE: ("hoàn thành quá hạn", "done late"),
    TaskStatus.IN_PROGRESS: ("chưa hoàn thành, trong hạn", "not done, within the deadline"),
    TaskStatus.OVERDUE: ("chưa hoàn thành, quá hạn", "not done, overdue"),
}


def status_text(status: str | None, lang: str) -> str:
    if status is None:
        return "thường xuyên" if language_of(lang) == "vi" else "ongoing"
    return STATUS_WORDS[TaskStatus(status)][1 if language_of(lang) == "en" else 0]


def deadline_text(task: Task, lang: str = "vi") -> str:
    if task.deadline is None:
        return "thường xuyên" if language_of(lang) == "vi" else "ongoing"
    if task.deadline_period:
        return parse_period(task.deadline_period).label(lang)
    return task.deadline.strftime("%d/%m/%Y")


def row_json(row: TaskRow) -> dict:
    task, state = row.task, row.state
    return {
        "title": task.title,
        "document": task.document.symbol,
        "unit_in_charge": task.unit_in_charge.code,
        "deadline": state.deadline.isoformat() if state else None,
        "done_on": task.done_on.isoformat() if task.done_on and state and
        state.status.is_done else None,
        "status": row.status,
        "days_overdue": state.days_overdue if state else 0,
        "due_soon": state.due_soon if state else False,
        "programme": task.parent.title if task.parent_id else None,
    }


def count_json(count: TaskCount, unit_code: str | None = None) -> dict:
    """`tiendo tasks --format json` and `/api/v1/tasks/summary`."""
    return {
        "unit": unit_code,
        "period": count.period.code,
        "as_of": count.as_of.isoformat(),
        "summary": count.tally.as_dict(),
        "tasks": [row_json(row) for row in count.rows],
        "ongoing": {"total": count.ongoing.total, "done": count.ongoing.done,
                    "not_done": count.ongoing.not_done,
                    "not_assessed": count.ongoing.not_assessed,
                    "tasks": [{"title": r.task.title, "document": r.task.document.symbol,
                               "unit_in_charge": r.task.unit_in_charge.code}
                              for r in count.ongoing_rows]},
    }


def count_sentences(count: TaskCount, lang: str) -> list[str]:
    """The report's sentences: the whole tally, then one per kind besides plain tasks, then
    the ongoing duties."""
    lang = language_of(lang)
    whole = tally_sentence(count.tally, lang)
    lines = [whole[:1].upper() + whole[1:] + "."]
    for kind, counts in count.by_kind.items():
        if kind == "task" or len(count.by_kind) == 1:
            continue
        noun = KIND_NOUNS[kind][1 if lang == "en" else 0]
        n = lambda value: format_number(value, 0, lang)  # noqa: E731
        if lang == "en":
            lines.append(f"{noun.capitalize()}: {n(counts.done)}/{n(counts.total)} completed "
                         f"({n(counts.done_late)} late), {n(counts.overdue)} overdue.")
        else:
            lines.append(f"{noun.capitalize()}: hoàn thành {n(counts.done)}/{n(counts.total)}"
                         f" (quá hạn {n(counts.done_late)}), chưa hoàn thành quá hạn "
                         f"{n(counts.overdue)}.")
    if count.ongoing.total:
        with translation.override(lang):
            lines.append(_("Ongoing duties: %(done)s of %(total)s done in the period, "
                           "%(missing)s not yet assessed.") % {
                "done": count.ongoing.done, "total": count.ongoing.total,
                "missing": count.ongoing.not_assessed})
    return lines


def overdue_rows(count: TaskCount, lang: str) -> list[dict]:
    return [{"title": r.task.title, "document": r.task.document.symbol,
             "unit": r.task.unit_in_charge.name, "deadline": deadline_text(r.task, lang),
             "days_overdue": r.state.days_overdue} for r in count.overdue]


def tasks_section(*, unit, period: Period, as_of: datetime.date, lang: str) -> dict:
    """The report's own section on tasks: sentences and the table of overdue tasks."""
    count = tasks_count(unit=unit, period=period, as_of=as_of)
    with translation.override(language_of(lang)):
        return {
            "title": _("TASKS AND PROGRAMMES"),
            "total": count.tally.total,
            "summary": count.tally.as_dict(),
            "sentences": count_sentences(count, lang) if count.tally.total or
            count.ongoing.total else [_("No task was assigned for this period.")],
            "overdue_columns": [_("No."), _("Task"), _("Document"), _("Unit in charge"),
                                _("Deadline"), _("Days overdue")],
            "overdue": overdue_rows(count, lang),
            "none_overdue": _("No task is overdue."),
        }


def tasks_block(*, unit, period: Period, as_of: datetime.date, lang: str) -> dict | None:
    """The dashboard's block beside the numeric targets; None when the unit has no task."""
    count = tasks_count(unit=unit, period=period, as_of=as_of)
    if not count.tally.total and not count.ongoing.total:
        return None
    return {"count": count, "sentences": count_sentences(count, lang),
            "overdue": overdue_rows(count, lang)[:10], "overdue_total": len(count.overdue)}


def tasks_summary_json(*, unit, period: Period, as_of: datetime.date) -> dict:
    """Next to the targets' summary in the evaluate JSON."""
    count = tasks_count(unit=unit, period=period, as_of=as_of)
    return {**count.tally.as_dict(), "by_kind": {k: v.as_dict() for k, v in
                                                  count.by_kind.items()},
            "ongoing": count.ongoing.total, "as_of": as_of.isoformat()}


def tasks_sentences(*, unit, period: Period, lang: str,
                    as_of: datetime.date | None = None) -> list[str]:
    """The count's sentences for `tiendo evaluate` beside the targets' summary; none when
    the unit has no task in the period."""
    from django.utils import timezone

    count = tasks_count(unit=unit, period=period, as_of=as_of or timezone.localdate())
    if not count.tally.total and not count.ongoing.total:
        return []
    return count_sentences(count, lang)
