import io
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail

from tiendo.cli import main
from tiendo.indicators.models import Indicator
from tiendo.plans.models import Target, TargetSet
from tiendo.reports.models import GeneratedReport
from tiendo.reports.tests.fixtures import at, frozen

pytestmark = pytest.mark.django_db


def test_it_writes_a_report_file_and_archives_it(province, tmp_path, capsys):
    Target.objects.create(
        target_set=TargetSet.objects.create(name="KH 2024"),
        indicator=Indicator.objects.get(code="jobs_created"), org_unit=province["province"],
        period="2024", comparison="at_least", value=Decimal(1000))
    output = tmp_path / "bao-cao.xlsx"
    code = main(["--lang", "en", "report", "--unit", "80", "--period", "2024",
                 "--target-set", "KH 2024", "--format", "xlsx", "-o", str(output),
                 "--param", "number=3", "--param", "recipients=Sở Tài chính|Lưu: VT"])
    assert code == 0
    sheet = openpyxl.load_workbook(io.BytesIO(output.read_bytes())).worksheets[0]
    assert sheet["A1"].value == "PEOPLE'S COMMITTEE OF LONG AN"
    report = GeneratedReport.objects.get()
    assert report.params["recipients"] == ["Sở Tài chính", "Lưu: VT"]
    captured = capsys.readouterr()
    assert "100%" in captured.err and "archived" in captured.out


def test_it_refuses_an_unknown_parameter_and_writes_nothing(province, tmp_path, capsys):
    code = main(["--lang", "en", "report", "--unit", "80", "--period", "2024", "-o",
                 str(tmp_path / "x.docx"), "--param", "colour=red"])
    assert code == 2
    assert "unknown report parameter" in capsys.readouterr().err
    assert not GeneratedReport.objects.exists()


def test_remind_sends_once(province, people, capsys):
    with frozen(at(2024, 9, 20)):
        assert main(["--lang", "en", "remind", "--period", "202409"]) == 0
        assert main(["--lang", "en", "remind", "--period", "202409"]) == 0
    out = capsys.readouterr().out
    assert "1 reminders sent" in out and "0 reminders sent" in out
    assert [m.to for m in mail.outbox] == [["officer@example.vn"]]
