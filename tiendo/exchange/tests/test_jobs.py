"""Uploads run as jobs of the queue: checked and stored by the worker, and settled when a
worker stopped while one ran."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue
from tiendo.exchange.models import Upload
from tiendo.exchange.services import upload_progress
from tiendo.exchange.template import template_build
from tiendo.exchange.tests.conftest import save, workbook
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db


def upload_jobs():  # noqa: N802
    return DBTaskResult.objects.filter(task_path="tiendo.exchange.tasks.upload_task")


def _filled_form(area, lao_dong) -> bytes:
    book = workbook(template_build(data_set=lao_dong, unit=area["can_duoc"],
                                   period=parse_period("2024")))
    for row in book["Data"].iter_rows(min_row=7):
        if row[0].value == "new_jobs":
            row[4].value = 321
    return save(book)


def _send(client, people, area, lao_dong) -> Upload:
    client.force_login(people["officer"])
    sent = SimpleUploadedFile("form.xlsx", _filled_form(area, lao_dong))
    client.post(reverse("exchange:upload-create"), {"file": sent})
    return Upload.objects.get()


def test_the_worker_checks_then_stores_an_upload(client, people, area, lao_dong, job_queue):
    upload = _send(client, people, area, lao_dong)
    assert upload.status == Upload.Status.CHECKING and upload_progress(upload) == 0
    assert upload_jobs().get().status == "READY"
    status = client.get(reverse("exchange:upload-status", args=[upload.pk])).json()
    assert status == {"status": "checking", "progress": 0, "done": False}

    assert job_queue() == 0
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CHECKED and not DataValue.objects.exists()
    client.post(reverse("exchange:upload-store", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == Upload.Status.STORING
    job_queue()
    upload.refresh_from_db()
    assert upload.status == Upload.Status.STORED and DataValue.objects.get().value == 321
    assert sorted(upload_jobs().values_list("status", "return_value")) == [
        ("SUCCESSFUL", "checked"), ("SUCCESSFUL", "stored")]


def test_an_upload_cut_off_with_its_worker_is_marked_failed_when_a_worker_starts(
        client, people, area, lao_dong, job_queue):
    """The worker was killed while it stored: its job is still "running", the upload still
    "storing", and the heartbeat it left in the shared cache has not lapsed yet."""
    upload = _send(client, people, area, lao_dong)
    job_queue()
    client.post(reverse("exchange:upload-store", args=[upload.pk]))
    job = upload_jobs().get(status="READY")
    job.claim("the-worker-that-was-killed")
    assert cache.get(f"tiendo:upload-progress:{upload.pk}") is not None

    job_queue()
    upload.refresh_from_db()
    job.refresh_from_db()
    assert upload.status == Upload.Status.FAILED
    assert "interrupted" in upload.report["problems"][0]["message"]
    assert job.status == "FAILED" and "JobInterrupted" in job.exception_class_path
    assert not DataValue.objects.exists()
    record = AuditRecord.objects.get(action="interrupted")
    assert (record.entity_id, record.old, record.new) == (
        upload.pk, {"status": "storing"}, {"status": "failed"})
    assert cache.get(f"tiendo:upload-progress:{upload.pk}") is None


def test_an_upload_still_waiting_in_the_queue_is_run_not_failed(
        client, people, area, lao_dong, job_queue):
    upload = _send(client, people, area, lao_dong)
    job_queue()  # a worker starting with this job waiting takes it, as any other
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CHECKED
    assert not AuditRecord.objects.filter(action="interrupted").exists()


def test_a_job_whose_upload_was_settled_while_it_waited_leaves_it_failed(
        client, people, area, lao_dong, job_queue):
    """No worker took the job within the stale time: the page showed the upload as
    interrupted and the next upload marked it so; a worker starting later leaves it."""
    upload = _send(client, people, area, lao_dong)
    Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.FAILED)
    job_queue()
    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED and upload_jobs().get().return_value == "failed"
