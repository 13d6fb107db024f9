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
                                 "met_pct": 100}


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
