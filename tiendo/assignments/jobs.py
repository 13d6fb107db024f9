"""The job that sends task reminders on a schedule, beside the reporting reminders: each
round queues the next one, TIENDO_TASK_REMIND_EVERY_MINUTES later."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tiendo.assignments.reminders import task_reminders_send


@task()
def task_reminders_task() -> int:
    try:
        sent = task_reminders_send()
    finally:
        task_reminders_schedule(after=timezone.now())
    return len(sent)


def task_reminders_schedule(*, after: datetime.datetime | None = None) -> bool:
    """Make sure one round waits in the queue; False when one already waits or they are
    off (or the backend runs jobs at once)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    minutes = settings.TIENDO_TASK_REMIND_EVERY_MINUTES
    if minutes <= 0 or not task_reminders_task.get_backend().supports_defer:
        return False
    if DBTaskResult.objects.filter(task_path=task_reminders_task.module_path,
                                   status=TaskResultStatus.READY).exists():
        return False
    run_after = None if after is None else after + datetime.timedelta(minutes=minutes)
    task_reminders_task.using(run_after=run_after).enqueue()
    return True
