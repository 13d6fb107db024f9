"""The job queue's housekeeping, for `tiendo worker` as it starts.

One worker runs the jobs (`tiendo worker`, or beside the web server with `tiendo serve
--with-worker`). A job still marked running when it starts was cut off with the previous
worker (killed, or the machine restarted): it is marked failed, and what it worked on is
settled by its own app: an upload is marked failed with a message (its transaction was
undone, nothing of it was stored; the user sends it again), a report goes back in the queue
(it writes nothing until its file is done). Reminders need nothing: each goes once per
period, and the next round is put in the queue here.
"""

from django_tasks_db.models import DBTaskResult

from tiendo.assignments.jobs import task_reminders_schedule
from tiendo.exchange.services import upload_interrupted
from tiendo.exchange.tasks import upload_task
from tiendo.reports.services import report_resume
from tiendo.reports.tasks import reminders_schedule, report_task


class JobInterrupted(Exception):
    """Recorded on a job that was running when its worker stopped."""


def jobs_settle_interrupted() -> dict[str, int]:
    """Settle the jobs left running by a worker that stopped; counts by what was done."""
    counts = {"jobs": 0, "uploads_failed": 0, "reports_resumed": 0}
    for job in DBTaskResult.objects.running():
        job.set_failed(JobInterrupted("the worker stopped while this job ran"))
        counts["jobs"] += 1
        kwargs = (job.args_kwargs or {}).get("kwargs", {})
        if job.task_path == upload_task.module_path:
            counts["uploads_failed"] += upload_interrupted(upload_id=kwargs["upload_id"])
        elif job.task_path == report_task.module_path:
            counts["reports_resumed"] += report_resume(report_id=kwargs["report_id"])
    return counts


def worker_prepare() -> dict[str, int]:
    """What `tiendo worker` does before it takes jobs: settle the interrupted ones and make
    sure the next round of reminders waits in the queue."""
    counts = jobs_settle_interrupted()
    counts["reminders_scheduled"] = int(reminders_schedule())
    counts["task_reminders_scheduled"] = int(task_reminders_schedule())
    return counts
