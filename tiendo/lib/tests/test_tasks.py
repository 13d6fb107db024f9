import datetime

from tiendo.lib.tasks import TaskStatus, task_status

DEADLINE = datetime.date(2022, 12, 31)


def test_it_counts_a_task_done_by_the_deadline_as_on_time():
    status = task_status(deadline=DEADLINE, completed_on=DEADLINE, today=DEADLINE)
    assert status == TaskStatus.DONE_ON_TIME and status.is_done


def test_it_counts_a_task_done_after_the_deadline_as_late():
    late = datetime.date(2023, 1, 2)
    assert task_status(deadline=DEADLINE, completed_on=late, today=late) == TaskStatus.DONE_LATE


def test_it_tells_in_progress_from_overdue_by_today():
    assert task_status(deadline=DEADLINE, completed_on=None, today=DEADLINE) == (
        TaskStatus.IN_PROGRESS
    )
    assert task_status(deadline=DEADLINE, completed_on=None,
                       today=datetime.date(2023, 1, 1)) == TaskStatus.OVERDUE
