"""The upload's job: `upload_start` enqueues it, `tiendo worker` runs it."""

from django_tasks import task

from tiendo.exchange.services import upload_run


@task()
def upload_task(*, upload_id: int, store: bool) -> str:
    """Check (and with `store`, store) a kept upload; returns the status it ended in."""
    return upload_run(upload_id=upload_id, store=store, queued=True).status
