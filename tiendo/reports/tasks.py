"""The reports app's jobs: a report's file built, and the reminders sent on a schedule."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tiendo.reports.models import GeneratedReport
from tiendo.reports.services import reminders_send, report_build


@task()
def report_task(*, report_id: int) -> str:
    """Build a queued report's file; a failure is kept on the report (its page shows it)."""
    report = GeneratedReport.objects.get(pk=report_id)
    try:
        report_build(report=report)
    except Exception:
        pass  # report_build stored the error on the report; the job itself did its part
    return GeneratedReport.objects.values_list("status", flat=True).get(pk=report_id)


@task()
def reminders_task() -> int:
    """Send the reminders that are due, then put the next round in the queue: the worker
    keeps the schedule itself (see `reminders_schedule`)."""
    try:
        sent = reminders_send(actor="worker:remind")
    finally:
        reminders_schedule(after=timezone.now())
    return len(sent)


def reminders_schedule(*, after: datetime.datetime | None = None) -> bool:
    """Make sure one round of reminders waits in the queue, TIENDO_REMIND_EVERY_MINUTES
    after `after` (at once when not given); False when one already waits or they are off."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    minutes = settings.TIENDO_REMIND_EVERY_MINUTES
    if minutes <= 0 or not reminders_task.get_backend().supports_defer:
        return False  # off, or no queue to wait in (the immediate backend runs at once)
    if DBTaskResult.objects.filter(task_path=reminders_task.module_path,
                                   status=TaskResultStatus.READY).exists():
        return False
    run_after = None if after is None else after + datetime.timedelta(minutes=minutes)
    reminders_task.using(run_after=run_after).enqueue()
    return True
