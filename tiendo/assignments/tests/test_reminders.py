"""Task reminders: once when due soon, once when missed, never twice for a task and event."""

import pytest
from django.core import mail

from tiendo.accounts.services import user_with_membership
from tiendo.assignments.models import TaskReminder
from tiendo.assignments.reminders import task_reminders_send
from tiendo.assignments.tests.helpers import D, create, document, row

pytestmark = pytest.mark.django_db


def test_it_reminds_once_before_the_deadline_and_once_when_missed(world):
    user_with_membership(username="xa", password="x", role="officer", org_unit=world.commune,
                         actor="test", email="xa@example.vn")
    create(world, document(), row(deadline="30/06/2026"))
    assert task_reminders_send(today=D(2026, 6, 22)) == []  # 8 days before: not yet
    assert len(task_reminders_send(today=D(2026, 6, 23))) == 1
    assert task_reminders_send(today=D(2026, 6, 30)) == []
    assert mail.outbox[0].to == ["xa@example.vn"] and "30/06/2026" in mail.outbox[0].body
    assert len(task_reminders_send(today=D(2026, 7, 1))) == 1
    assert task_reminders_send(today=D(2026, 7, 9)) == []
    assert len(mail.outbox) == 2
    assert sorted(TaskReminder.objects.values_list("event", flat=True)) == ["due_soon",
                                                                            "overdue"]


def test_the_worker_queues_the_task_reminders(world, job_queue, settings):
    from django_tasks_db.models import DBTaskResult

    from tiendo.assignments.jobs import task_reminders_task

    settings.TIENDO_TASK_REMIND_EVERY_MINUTES = 60
    job_queue()
    jobs = DBTaskResult.objects.filter(task_path=task_reminders_task.module_path)
    assert jobs.filter(status="SUCCESSFUL").count() == 1
    assert jobs.filter(status="READY").count() == 1
