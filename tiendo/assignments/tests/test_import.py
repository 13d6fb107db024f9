"""Task lists from CSV and .xlsx, recognised by their header, all or nothing with located
problems, through the pipeline the other imports use."""

import io

import pytest
from openpyxl import Workbook

from tiendo.assignments.models import Task
from tiendo.audit.models import AuditRecord
from tiendo.cli import main
from tiendo.errors import InvalidInput
from tiendo.exchange.imports import import_text
from tiendo.exchange.services import upload_import

pytestmark = pytest.mark.django_db

HEADER = ("document_symbol,document_date,title,unit_in_charge,coordinating_units,deadline,"
          "programme,done_on\n")
CSV = HEADER + (
    "05/NQ-HĐND,15/01/2026,Chương trình giảm nghèo,80,,năm 2026,,\n"
    "05/NQ-HĐND,15/01/2026,Rà soát hộ nghèo,25459,25480;80,Quý III/2026,"
    "Chương trình giảm nghèo,\n"
    "05/NQ-HĐND,15/01/2026,Tập huấn cán bộ,25480,,2026-03-31,,2026-03-20\n"
    "05/NQ-HĐND,15/01/2026,Theo dõi thường xuyên,25480,,thường xuyên,,\n")


def test_a_tasks_csv_is_recognised_and_stored(world):
    result = import_text(text=CSV.replace(",,năm 2026,,", ",,năm 2026,,").replace(
        "Chương trình giảm nghèo,80,", "Chương trình giảm nghèo,80,"), actor="test",
        user=world.users["specialist"])
    assert (result.format, result.created, result.stored) == ("tasks_csv", 4, True)
    review = Task.objects.get(title="Rà soát hộ nghèo")
    assert review.parent.title == "Chương trình giảm nghèo"
    assert {u.code for u in review.coordinating.all()} == {"25480", "80"}
    done = Task.objects.get(title="Tập huấn cán bộ")
    assert done.done_on.isoformat() == "2026-03-20"
    assert AuditRecord.objects.filter(entity="task", action="imported_done").count() == 1


def test_a_dry_run_stores_nothing(world):
    result = import_text(text=CSV, actor="test", user=world.users["specialist"], dry_run=True)
    assert result.created == 4 and not result.stored
    assert not Task.objects.exists()


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet.append(HEADER.strip().split(","))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_an_xlsx_task_list_is_stored_through_the_upload(world):
    import datetime

    stream = _xlsx([["05/NQ-HĐND", datetime.date(2026, 1, 15), "Rà soát", "25459", "",
                     "tháng 9/2026", "", ""]])
    outcome = upload_import(stream=stream, filename="nv.xlsx", user=world.users["specialist"],
                            actor="test", store=True)
    assert outcome.kind == "tasks_sheet" and outcome.stored
    assert Task.objects.get().deadline_period == "202609"


def test_a_missing_unit_and_a_duplicate_row_are_located_and_nothing_is_stored(world):
    stream = _xlsx([["05/NQ-HĐND", "15/01/2026", "Rà soát", "25459", "", "Quý III/2026"],
                    ["05/NQ-HĐND", "15/01/2026", "Rà soát", "25459", "", "Quý III/2026"],
                    ["05/NQ-HĐND", "15/01/2026", "Tập huấn", "", "", "Quý III/2026"],
                    ["05/NQ-HĐND", "15/01/2026", "Khảo sát", "25459", "", "quý sau"]])
    with pytest.raises(InvalidInput) as caught:
        upload_import(stream=stream, filename="nv.xlsx", user=world.users["specialist"],
                      actor="test", store=True)
    found = [(p.sheet, p.line, p.field) for p in caught.value.problems]
    assert found == [("Nhiệm vụ", 3, "title"), ("Nhiệm vụ", 4, "unit_in_charge"),
                     ("Nhiệm vụ", 5, "deadline")]
    assert not Task.objects.exists()


def test_tiendo_import_reads_a_task_csv(world, tmp_path, capsys):
    path = tmp_path / "nhiem-vu.csv"
    path.write_text(CSV, encoding="utf-8")
    assert main(["import", str(path)]) == 0
    assert Task.objects.count() == 4


def test_tiendo_tasks_prints_the_json_shape(world, capsys):
    import json

    import_text(text=CSV, actor="test", user=None)
    capsys.readouterr()
    assert main(["tasks", "--unit", "80", "--period", "2026", "--as-of", "2026-10-15",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"unit", "period", "as_of", "summary", "tasks"}
    assert data["summary"] == {"total": 3, "done": 1, "done_on_time": 1, "done_late": 0,
                               "not_done": 2, "in_progress": 1, "overdue": 1, "due_soon": 0}
    assert set(data["tasks"][0]) == {"title", "document", "unit_in_charge", "deadline",
                                     "done_on", "status", "days_overdue", "due_soon",
                                     "programme"}
    assert data["tasks"][0]["status"] == "overdue" and data["tasks"][0]["days_overdue"] == 15
    assert main(["tasks", "--unit", "80", "--period", "2026", "--as-of", "2026-10-15"]) == 0
    assert "Hoàn thành 1/3 nhiệm vụ" in capsys.readouterr().out
