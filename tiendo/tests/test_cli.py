import json

import pytest

from tiendo.cli import main
from tiendo.data.models import DataValue
from tiendo.indicators.loaders import catalogue_load
from tiendo.org.services import orgunit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    catalogue_load()
    return orgunit_create(code="79", name="Thành phố Hồ Chí Minh", kind="province")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_imports_then_evaluates_as_json(city, tmp_path, capsys):
    values = write(tmp_path, "v.json", json.dumps({"dataValues": [
        {"dataElement": "new_party_members", "period": "2022", "orgUnit": "79", "value": "71"},
    ]}))
    targets = write(tmp_path, "t.csv",
                    "target_set,indicator,org_unit,period,comparison,value,value_max,"
                    "baseline_period\nKH 2022,new_party_members,79,2022,at_least,70,,\n")
    assert main(["import", values]) == 0
    assert main(["import", targets]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--unit", "79", "--period", "2022", "--format", "json"]) == 0
    output = json.loads(capsys.readouterr().out)
    [target] = output["targets"]
    assert (target["achievement_pct"], target["status"]) == (101.43, "exceeded")
    assert output["summary"] == {"total": 1, "met": 1, "not_met": 0, "near": 0, "no_data": 0,
                                 "in_progress": 0, "at_risk": 0, "met_pct": 100}


def test_it_prints_a_vietnamese_table(city, tmp_path, capsys):
    targets = write(tmp_path, "t.csv",
                    "target_set,indicator,org_unit,period,comparison,value,value_max,"
                    "baseline_period\nKH 2022,jobs_created,79,2022,at_least,15500,,\n")
    main(["import", targets])
    assert main(["evaluate", "--unit", "79", "--period", "2022"]) == 0
    out = capsys.readouterr().out
    assert "15.500" in out and "chưa có số liệu" in out


def test_it_reports_every_problem_and_writes_nothing(city, tmp_path, capsys):
    bad = write(tmp_path, "v.csv", "dataelement,period,orgunit,value\n"
                "jobs_created,2022,79,10\nnope,2022,79,1\njobs_created,2022Q5,79,1\n")
    assert main(["import", bad]) == 2
    err = capsys.readouterr().err
    assert "3" in err and "4" in err
    assert DataValue.objects.count() == 0


def test_it_says_clearly_when_the_unit_is_unknown(city, capsys):
    assert main(["evaluate", "--unit", "99", "--period", "2022"]) == 2
    assert capsys.readouterr().err.strip()


def test_it_speaks_english_on_request(city, tmp_path, capsys):
    main(["--lang", "en", "evaluate", "--unit", "79", "--period", "2022"])
    assert "2022" in capsys.readouterr().out


def test_it_imports_an_excel_form_and_exports_the_values(tmp_path, capsys):
    from io import BytesIO

    from openpyxl import load_workbook

    catalogue_load()
    orgunit_create(code="79", name="Thành phố Hồ Chí Minh", kind="province")
    form = tmp_path / "form.xlsx"
    assert main(["export", "--unit", "79", "--period", "2024", "--format", "template",
                 "--data-set", "lao_dong", "-o", str(form)]) == 0
    book = load_workbook(form)
    for row in book.worksheets[0].iter_rows(min_row=7):
        if row[0].value == "new_jobs":
            row[4].value = "1.500"
    out = BytesIO()
    book.save(out)
    form.write_bytes(out.getvalue())
    assert main(["import", str(form)]) == 1  # a number typed as text: accept the warning
    assert not DataValue.objects.exists()
    assert main(["import", str(form), "--accept-warnings"]) == 0
    assert DataValue.objects.get().value == 1500
    capsys.readouterr()
    assert main(["export", "--unit", "79", "--period", "2024", "--format", "dhis2-csv"]) == 0
    assert "new_jobs,2024,79,,,1500" in capsys.readouterr().out


def test_it_refuses_a_form_for_another_unit_from_the_command_line(tmp_path, capsys):
    catalogue_load()
    orgunit_create(code="79", name="Thành phố Hồ Chí Minh", kind="province")
    orgunit_create(code="01", name="Thành phố Hà Nội", kind="province")
    form = tmp_path / "form.xlsx"
    main(["export", "--unit", "79", "--period", "2024", "--format", "template",
          "--data-set", "lao_dong", "-o", str(form)])
    assert main(["import", str(form), "--unit", "01", "--period", "2024"]) == 2
    assert "Hồ Chí Minh" in capsys.readouterr().err


def test_it_exports_the_evaluation_table(city, tmp_path):
    from openpyxl import load_workbook

    values = write(tmp_path, "v.json", json.dumps({"dataValues": [
        {"dataElement": "new_party_members", "period": "2022", "orgUnit": "79", "value": "71"},
    ]}))
    targets = write(tmp_path, "t.csv",
                    "target_set,indicator,org_unit,period,comparison,value,value_max,"
                    "baseline_period\nKH 2022,new_party_members,79,2022,at_least,70,,\n")
    main(["import", values])
    main(["import", targets])
    table = tmp_path / "eval.xlsx"
    assert main(["--lang", "en", "export", "--unit", "79", "--period", "2022",
                 "--format", "evaluation-xlsx", "-o", str(table)]) == 0
    rows = list(load_workbook(table).active.iter_rows(values_only=True))
    assert rows[1][:7] == ("Indicator", "Unit of measure", "Target", "Actual", "Estimate",
                           "% of target", "Status")
    assert rows[2][3:7] == (71, None, 101.43, "exceeded")


def test_it_exports_and_imports_the_template_of_a_target_set(city, tmp_path, capsys):
    from openpyxl import load_workbook

    from tiendo.plans.models import Target

    main(["import", write(tmp_path, "t.csv", "target_set,indicator,org_unit,period,"
                          "comparison,value\nKH 2026,new_jobs,79,2026,at_least,100\n")])
    template = tmp_path / "kh.xlsx"
    assert main(["export", "--format", "targets-template", "--target-set", "KH 2026",
                 "-o", str(template)]) == 0
    book = load_workbook(template)
    book.worksheets[0]["H7"] = 120
    book.save(template)
    capsys.readouterr()
    assert main(["import", str(template)]) == 0
    assert "targets_template: 0 mới, 1 thay đổi, 0 không đổi" in capsys.readouterr().out
    assert Target.objects.get().value == 120
    assert main(["export", "--format", "targets-template", "--target-set", "KH 9"]) == 2
    assert "KH 9" in capsys.readouterr().err
