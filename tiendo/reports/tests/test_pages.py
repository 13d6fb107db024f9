"""Generate a report on the page, follow its progress, download it."""

import io

import openpyxl
import pytest

from tiendo.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db


def test_it_queues_builds_and_downloads_a_report(client, people, province, target):
    client.force_login(people["specialist"])
    answer = client.post("/en/reports/", {
        "unit": province["province"].pk, "period": "2024", "format": "xlsx",
        "number": "7", "recipients": "- Sở Nội vụ;\n- Lưu: VT"})
    report = GeneratedReport.objects.get()
    assert answer["Location"] == f"/en/reports/{report.pk}/"
    assert report.status == "queued" and report.params["recipients"] == ["Sở Nội vụ", "Lưu: VT"]
    assert "<progress" in client.get(answer["Location"]).content.decode()
    status = client.post(f"/en/reports/{report.pk}/build/", HTTP_ACCEPT="application/json")
    assert status.json()["status"] == "done" and status.json()["progress"] == 100
    download = client.get(status.json()["download"])
    assert download["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert sheet["A3"].value.startswith("No target has data")


def test_it_shows_what_is_wrong_in_the_request(client, people, province, target):
    client.force_login(people["specialist"])
    page = client.post("/en/reports/", {"unit": province["province"].pk, "period": "2024X",
                                        "format": "xlsx", "number": "7a"})
    text = page.content.decode()
    assert page.status_code == 200 and 'class="problems"' in text
    assert "the number is digits only" in text
    assert not GeneratedReport.objects.exists()


def test_the_menu_offers_reports_and_the_schedule(client, people):
    client.force_login(people["viewer"])
    page = client.get("/en/reports/").content.decode()
    assert 'href="/en/reports/"' in page and 'href="/en/reports/schedules/"' in page


def test_a_second_build_request_does_not_build_again(client, people, province, target):
    client.force_login(people["specialist"])
    client.post("/en/reports/", {"unit": province["province"].pk, "period": "2024",
                                 "format": "xlsx"})
    report = GeneratedReport.objects.get()
    GeneratedReport.objects.filter(pk=report.pk).update(status="building", progress=30)
    answer = client.post(f"/en/reports/{report.pk}/build/", HTTP_ACCEPT="application/json")
    assert answer.json() == {"status": "building", "progress": 30, "error": "",
                             "download": None}


def test_the_specialist_drafts_the_written_parts_edits_them_and_they_are_kept(
        client, people, province, target):
    from tiendo.reports.models import GeneratedReport

    client.force_login(people["specialist"])
    form = {"unit": province["province"].pk, "period": "2024", "format": "docx", "lang": "vi"}
    page = client.post("/reports/", {**form, "action": "draft"})
    assert page.status_code == 200 and not GeneratedReport.objects.exists()
    html = page.content.decode()
    assert 'name="narrative_directions"' in html
    assert "Tiếp tục duy trì kết quả các chỉ tiêu đã đạt." in html  # the draft, to edit
    client.post("/reports/", {**form, "narrative_shortcomings": "Thiếu cán bộ.\r\nCần bổ sung."})
    report = GeneratedReport.objects.get()
    assert report.params["narrative_shortcomings"] == "Thiếu cán bộ.\nCần bổ sung."
