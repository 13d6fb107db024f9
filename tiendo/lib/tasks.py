"""Status of a qualitative task (nhiệm vụ), so "21/21 hoàn thành" is counted, not typed."""

import datetime
from enum import StrEnum


class TaskStatus(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"

    @property
    def is_done(self) -> bool:
        return self in (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE)


def task_status(
    *, deadline: datetime.date, completed_on: datetime.date | None, today: datetime.date
) -> TaskStatus:
    if completed_on is not None:
        return TaskStatus.DONE_ON_TIME if completed_on <= deadline else TaskStatus.DONE_LATE
    return TaskStatus.IN_PROGRESS if today <= deadline else TaskStatus.OVERDUE
