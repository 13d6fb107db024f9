"""The task pages and API, one behaviour each."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tiendo.assignments.models import Task
from tiendo.assignments.tests.helpers import D, create, document, row
from tiendo.testing import EnglishClient

pytestmark = pytest.mark.django_db


def _client(world, role, english=False):
    client = EnglishClient() if english else Client()
    client.force_login(world.users[role])
    return client


def test_my_tasks_page_counts_in_the_reports_words(world):
    create(world, document(), row("Rà soát", deadline="30/06/2026"),
           row("Tập huấn", unit="25480", deadline="31/12/2026"))
    page = _client(world, "officer").get("/tasks/?period=2026&as_of=01/07/2026")
    text = page.content.decode()
    assert "Hoàn thành 0/1 nhiệm vụ (đúng hạn 0, quá hạn 0); chưa hoàn thành 1" in text
    assert "Rà soát" in text and "Tập huấn" not in text  # the sibling's is not ours


def test_the_task_list_downloads_as_xlsx(world):
    create(world, document(), row("Rà soát"))
    response = _client(world, "specialist").get("/tasks/?period=2026&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for line in sheet.iter_rows(values_only=True) for cell in line]
    assert "Rà soát" in values


def test_the_document_page_creates_rows_and_names_the_bad_ones(world):
    doc = document()
    client = _client(world, "specialist", english=True)
    response = client.post(f"/en/tasks/document/{doc.pk}/", {
        "rows": "2", "title-0": "Rà soát", "unit_in_charge-0": "25459",
        "deadline-0": "quý sau", "title-1": "Tập huấn", "unit_in_charge-1": "25459",
        "deadline-1": "Quý III/2026"})
    assert response.status_code == 422
    assert "the deadline is not a date" in response.content.decode()
    assert not Task.objects.exists()
    client.post(f"/en/tasks/document/{doc.pk}/", {
        "rows": "1", "title-0": "Tập huấn", "unit_in_charge-0": "25459",
        "deadline-0": "Quý III/2026"})
    assert Task.objects.get().deadline == D(2026, 9, 30)


def test_evidence_uploaded_on_the_task_page_can_be_downloaded(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = create(world, document(kind="resolution"), row())[0]
    client = _client(world, "officer")
    client.post(f"/tasks/{task.pk}/", {"action": "done", "done_on": "01/06/2026",
                                       "evidence_file": SimpleUploadedFile("bc.pdf", b"%PDF")})
    task.refresh_from_db()
    assert task.state == Task.State.DONE and task.evidence_name == "bc.pdf"
    assert client.get(f"/tasks/{task.pk}/?evidence=1").content == b"%PDF"


def test_the_api_answers_the_count_and_refuses_progress_over_100(world):
    task = create(world, document(), row())[0]
    client = _client(world, "officer")
    data = client.get("/api/v1/tasks/?period=2026&as_of=2026-07-01").json()
    assert data["summary"]["overdue"] == 1 and data["tasks"][0]["days_overdue"] == 1
    response = client.post(f"/api/v1/tasks/{task.pk}/progress", {"progress_pct": 120},
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "progress_pct"


def test_the_dashboard_shows_the_count_beside_the_targets(world):
    from decimal import Decimal

    from tiendo.indicators.models import Indicator
    from tiendo.plans.models import Target, TargetSet

    Target.objects.create(target_set=TargetSet.objects.create(name="KH 2026", period="2026"),
                          org_unit=world.province, period="2026", comparison="at_least",
                          indicator=Indicator.objects.get(code="jobs_created"),
                          value=Decimal(100))
    create(world, document(), row("Rà soát", deadline="30/06/2026"))
    text = _client(world, "specialist").get(f"/?unit={world.province.pk}&period=2026")
    assert "nhiệm vụ (đúng hạn 0, quá hạn 0)" in text.content.decode()


def test_a_task_csv_goes_through_the_upload_api(world, settings):
    settings.TIENDO_EXCHANGE_INLINE = True
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tiendo.assignments.tests.test_import import CSV

    client = _client(world, "specialist")
    response = client.post("/api/v1/exchange/uploads", {
        "file": SimpleUploadedFile("nv.csv", CSV.encode()), "store": "true"})
    assert response.status_code < 300, response.content
    assert Task.objects.count() == 4


def test_the_overdue_board_downloads_as_xlsx(world):
    create(world, document(), row("Rà soát", deadline="30/06/2026"))
    response = _client(world, "specialist").get(
        "/tasks/overdue/?period=2026&as_of=01/07/2026&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "Rà soát" in [c for line in sheet.iter_rows(values_only=True) for c in line]
