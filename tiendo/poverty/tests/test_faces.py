"""The review's faces: the pages, the API and the commands show the same figures; the
household list explains each household and its access is recorded; households never leave
through the exports."""

import csv
import io

import pytest

from tiendo.audit.models import AuditRecord
from tiendo.audit.services import Actor
from tiendo.cli import main
from tiendo.poverty.services import review_import
from tiendo.poverty.tests.helpers import household_file

ROWS = [
    {"household_id": "TN-0001", "commune": "25459", "income_per_capita": 1_400_000,
     "deprived": ["health_insurance", "water", "sanitation"]},
    {"household_id": "TN-0002", "commune": "25459", "income_per_capita": 1_500_000},
    {"household_id": "TN-0003", "commune": "25480", "area": "urban",
     "income_per_capita": 3_000_001},
]


@pytest.fixture
def stored(world):
    review_import(data=household_file(ROWS), name="r.csv", actor=Actor.system("test"))
    return world


@pytest.mark.django_db
def test_it_shows_a_communes_households_with_their_explanation(stored, client):
    client.force_login(stored.users["officer"])
    page = client.get(f"/poverty/{stored.commune.pk}/2024/households/").content.decode()
    assert "TN-0001" in page and "TN-0003" not in page
    assert "Thu nhập 1.400.000 đ ≤ chuẩn nông thôn 1.500.000 đ; thiếu hụt 3 chỉ số" in page
    assert AuditRecord.objects.filter(entity="poverty.households", action="read").count() == 1


@pytest.mark.django_db
def test_it_shows_the_provinces_review_by_commune(stored, client):
    client.force_login(stored.users["viewer"])
    page = client.get(f"/poverty/{stored.province.pk}/2024/").content.decode()
    assert "Phường Tân Ninh" in page and "Phường Bình Minh" in page
    assert "<svg" in page  # deprivations by indicator


@pytest.mark.django_db
def test_the_api_gives_the_same_counts_and_households(stored, client):
    client.force_login(stored.users["specialist"])
    review = client.get("/api/v1/poverty/reviews/2024?unit=80").json()
    assert (review["total"]["households"], review["total"]["poor"],
            review["total"]["near_poor"]) == (3, 1, 1)
    assert review["total"]["poverty_rate"] == "33.33"
    listed = client.get("/api/v1/poverty/reviews/2024/households?unit=25459").json()
    assert listed["total"] == 2
    assert listed["households"][0]["deprivations"] == "health_insurance;water;sanitation"
    answer = client.get("/api/v1/poverty/reviews/2024/households?unit=80")
    assert answer.status_code == 404  # lists are per commune


@pytest.mark.django_db
def test_households_never_leave_through_the_value_exports(stored, client):
    client.force_login(stored.users["admin"])
    body = b"".join(client.get(
        "/api/v1/exchange/values?unit=80&period=2024&format=dhis2-csv").streaming_content)
    assert b"poor_households" in body or b"households_total" in body
    assert b"TN-0001" not in body


@pytest.mark.django_db
def test_a_step_is_recorded_and_counts_the_commune_finished(stored, client):
    client.force_login(stored.users["officer"])
    for step in ("meeting", "recognition"):
        client.post(f"/poverty/{stored.commune.pk}/2024/steps/",
                    {"step": step, "done_on": "2024-12-01", "result": "ok"})
    client.force_login(stored.users["viewer"])
    review = client.get("/api/v1/poverty/reviews/2024?unit=80").json()
    assert review["total"]["finished"] == 1 and review["total"]["communes"] == 2


def test_classify_writes_the_classes_without_a_database(tmp_path, capsys):
    source = tmp_path / "hh.csv"
    source.write_bytes(household_file(ROWS))
    out = tmp_path / "out.csv"
    assert main(["poverty", "classify", str(source), "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert [r["classification"] for r in rows] == ["poor", "near_poor", "not_poor"]
    assert rows[0]["deprivations"] == "health_insurance;water;sanitation"
    assert rows[0]["standard"] == "ND07-2021"
    assert rows[0]["explanation"].startswith("Thu nhập 1.400.000 đ ≤ chuẩn nông thôn")


def test_classify_refuses_a_bad_flag_with_its_line(tmp_path, capsys):
    source = tmp_path / "hh.csv"
    source.write_bytes(household_file([{**ROWS[0], "d_water": "x"}]))
    assert main(["poverty", "classify", str(source), "-o", str(tmp_path / "o.csv")]) == 2
    assert "d_water" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.django_db
def test_import_command_stores_the_review(world, tmp_path, capsys):
    source = tmp_path / "hh.csv"
    source.write_bytes(household_file(ROWS))
    assert main(["poverty", "import", str(source)]) == 0
    assert "3" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_commands_write_counts_as_the_language_does(world, tmp_path, capsys):
    source = tmp_path / "hh.csv"
    source.write_bytes(household_file([{"household_id": f"H{i}", "commune": "25459"}
                                       for i in range(1200)]))
    assert main(["poverty", "import", str(source)]) == 0
    assert "1.200 hộ" in capsys.readouterr().out
    assert main(["--lang", "en", "poverty", "classify", str(source), "-o",
                 str(tmp_path / "o.csv")]) == 0
    assert capsys.readouterr().out.startswith("1,200 households")


def test_classify_reads_a_workbook(tmp_path):
    from openpyxl import Workbook

    from tiendo.poverty.tests.helpers import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append(["X1", "25459", "urban", 3, 2_000_000, 2024, *([1] * 3 + [0] * 9)])
    source = tmp_path / "hh.xlsx"
    book.save(source)
    out = tmp_path / "out.csv"
    assert main(["poverty", "classify", str(source), "-o", str(out)]) == 0
    row = next(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert (row["classification"], row["deprivation_count"]) == ("poor", "3")
    assert "chuẩn thành thị 2.000.000 đ" in row["explanation"]


@pytest.mark.django_db
def test_a_review_year_out_of_range_is_refused(stored, client):
    client.force_login(stored.users["specialist"])
    assert client.get("/api/v1/poverty/reviews/429?unit=80").status_code == 422
