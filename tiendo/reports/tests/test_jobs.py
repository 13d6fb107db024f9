"""Reports built by the worker, resumed when it stopped while building; reminders sent on
the worker's own schedule."""

import datetime

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from tiendo.accounts.services import user_with_membership
from tiendo.reports.models import GeneratedReport, Reminder
from tiendo.reports.tasks import reminders_schedule
from tiendo.reports.tests.fixtures import at, frozen

pytestmark = pytest.mark.django_db
REPORT_TASK = "tiendo.reports.tasks.report_task"
REMINDERS_TASK = "tiendo.reports.tasks.reminders_task"


def _queue(client, people, province) -> GeneratedReport:
    client.force_login(people["specialist"])
    client.post("/en/reports/", {"unit": province["province"].pk, "period": "2024",
                                 "format": "xlsx"})
    return GeneratedReport.objects.get()


def test_the_page_puts_the_build_in_the_queue_and_the_worker_builds_it(
        client, people, province, target, job_queue):
    report = _queue(client, people, province)
    answer = client.post(f"/en/reports/{report.pk}/build/", HTTP_ACCEPT="application/json")
    assert answer.json()["status"] == "building" and answer.json()["download"] is None
    again = client.post(f"/en/reports/{report.pk}/build/", HTTP_ACCEPT="application/json")
    assert again.json()["status"] == "building"
    assert DBTaskResult.objects.filter(task_path=REPORT_TASK).count() == 1  # not twice

    job_queue()
    status = client.get(f"/en/reports/{report.pk}/status/").json()
    assert status["status"] == "done" and status["progress"] == 100
    assert client.get(status["download"])["Content-Disposition"].endswith('.xlsx"')


def test_a_report_cut_off_with_its_worker_is_built_when_a_worker_starts(
        client, people, province, target, job_queue):
    report = _queue(client, people, province)
    client.post(f"/en/reports/{report.pk}/build/")
    job = DBTaskResult.objects.get(task_path=REPORT_TASK)
    job.claim("the-worker-that-was-killed")
    GeneratedReport.objects.filter(pk=report.pk).update(progress=40)

    job_queue()
    report.refresh_from_db()
    job.refresh_from_db()
    assert job.status == "FAILED" and "JobInterrupted" in job.exception_class_path
    assert report.status == "done" and report.file
    assert DBTaskResult.objects.filter(task_path=REPORT_TASK, status="SUCCESSFUL").count() == 1


def test_the_worker_sends_the_reminders_and_schedules_the_next_round(
        province, people, job_queue, settings):
    settings.TIENDO_REMIND_EVERY_MINUTES = 60
    user_with_membership(username="duc_hoa", password="x", role="officer",
                         org_unit=province["districts"][1], actor="test",
                         email="duchoa@example.vn")
    now = at(2024, 9, 18)
    with frozen(now):
        job_queue()
        sent_once = len(mail.outbox)
        assert not reminders_schedule()  # the next round waits already: not a second one
    jobs = DBTaskResult.objects.filter(task_path=REMINDERS_TASK)
    assert list(jobs.filter(status="SUCCESSFUL").values_list("return_value", flat=True)) == [
        sent_once]
    waiting = jobs.get(status="READY")
    assert waiting.run_after == now + datetime.timedelta(minutes=60)
    assert sent_once >= 1 and Reminder.objects.count() == sent_once

    with frozen(now + datetime.timedelta(minutes=61)):
        job_queue()  # the next round: nothing new is due, nothing sent twice
    assert len(mail.outbox) == sent_once
    assert jobs.filter(status="SUCCESSFUL").count() == 2
    assert jobs.filter(status="READY").count() == 1


def test_reminders_are_not_scheduled_when_turned_off_or_without_a_queue(settings, job_queue):
    settings.TIENDO_REMIND_EVERY_MINUTES = 0
    assert not reminders_schedule()
    settings.TIENDO_REMIND_EVERY_MINUTES = 60
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert not reminders_schedule()
    assert not DBTaskResult.objects.exists()
