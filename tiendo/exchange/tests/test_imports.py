"""The one import pipeline: every reader gives the same raw rows, and one transaction with
one decision keeps all of a file or none of it."""

import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue
from tiendo.data.services import ValueChange, datavalues_check
from tiendo.errors import InvalidInput
from tiendo.exchange import imports
from tiendo.exchange.imports import import_text, values_import
from tiendo.exchange.readers import detect_format
from tiendo.exchange.readers.adx import adx_values
from tiendo.exchange.readers.dhis2 import dhis2_csv_values, dhis2_json_values
from tiendo.exchange.readers.freeform import freeform_values
from tiendo.exchange.readers.sheet import sheet_values
from tiendo.exchange.readers.targets import targets_csv_records, targets_template_records
from tiendo.exchange.readers.template import template_values
from tiendo.exchange.services import upload_import
from tiendo.exchange.targets_template import COL as TARGET_COL
from tiendo.exchange.targets_template import targets_template_build, targets_template_key
from tiendo.exchange.template import COL, FIRST_ROW, template_build, template_key
from tiendo.exchange.tests.conftest import office_sheet, workbook
from tiendo.lib.periods import parse_period
from tiendo.plans.checks import targets_check
from tiendo.plans.models import Target
from tiendo.plans.services import target_set_get_or_create

pytestmark = pytest.mark.django_db

VALUES = [("jobs_created", "2024", "80", "", "1500", "ước"),
          ("overseas_workers", "2024Q1", "80", "JP", "3", "")]


def _json() -> str:
    return json.dumps({"dataValues": [
        {"dataElement": e, "period": p, "orgUnit": u, "categoryOptionCombo": part,
         "value": v, "comment": c} for e, p, u, part, v, c in VALUES]})


def _csv() -> str:
    return "dataelement,period,orgunit,categoryoptioncombo,value,comment\n" + "".join(
        f"{e},{p},{u},{part},{v},{c}\n" for e, p, u, part, v, c in VALUES)


def _adx() -> bytes:
    periods = {"2024": "2024-01-01/P1Y", "2024Q1": "2024-01-01/P3M"}
    groups = "".join(
        f'<group orgUnit="{u}" period="{periods[p]}"><dataValue dataElement="{e}" '
        + (f'destination_country="{part}" ' if part else "")
        + f'value="{v}">' + (f"<annotation>{c}</annotation>" if c else "") + "</dataValue>"
        + "</group>" for e, p, u, part, v, c in VALUES)
    return f'<adx xmlns="urn:ihe:qrph:adx:2015">{groups}</adx>'.encode()


def _sheet():
    book = Workbook()
    sheet = book.active
    sheet.append(["dataelement", "period", "orgunit", "categoryoptioncombo", "value", "comment"])
    for row in VALUES:
        sheet.append(list(row))
    return sheet


def _fields(rows) -> list[tuple]:
    return [(r.element, r.period, r.unit, r.part, str(r.value), r.comment) for r in rows]


def _checked(rows) -> list[tuple]:
    problems = []
    found = [(v.element.code, v.period.code, v.org_unit.code, v.part, v.value, v.estimate,
              v.comment) for v in datavalues_check(rows=rows, unit_check=None, problems=problems)]
    assert problems == []
    return found


def _counts() -> tuple[int, int, int]:
    return DataValue.objects.count(), Target.objects.count(), AuditRecord.objects.count()


def test_it_reads_the_same_values_from_dhis2_json(units, catalogue):
    assert _fields(dhis2_json_values(_json())) == VALUES


def test_it_reads_the_same_values_from_dhis2_csv(units, catalogue):
    assert _fields(dhis2_csv_values(io.StringIO(_csv()))) == VALUES
    assert _checked(dhis2_csv_values(io.StringIO(_csv()))) == _checked(dhis2_json_values(_json()))


def test_it_reads_the_same_values_from_adx(units, catalogue):
    problems = []
    assert _fields(adx_values(io.BytesIO(_adx()), problems)) == VALUES and problems == []
    assert _checked(adx_values(io.BytesIO(_adx()), [])) == _checked(dhis2_json_values(_json()))


def test_it_reads_the_same_values_from_a_dhis2_style_sheet(units, catalogue):
    problems, warnings = [], []
    rows = list(sheet_values(_sheet(), problems=problems, warnings=warnings, progress=None))
    assert _fields(rows) == VALUES and problems == []
    assert {(r.sheet, r.names["value"]) for r in rows} == {("Sheet", "E (value)")}
    assert _checked(rows) == _checked(dhis2_json_values(_json()))


def test_it_reads_the_same_values_from_our_excel_form(area, lao_dong):
    book = workbook(template_build(data_set=lao_dong, unit=area["can_duoc"],
                                   period=parse_period("2024")))
    sheet = book.worksheets[0]
    for number in range(FIRST_ROW, sheet.max_row + 1):
        code, part = (sheet.cell(row=number, column=COL[name] + 1).value
                      for name in ("element", "part"))
        if (code, part) == ("jobs_created", None):
            sheet.cell(row=number, column=COL["value"] + 1, value=1500)
            sheet.cell(row=number, column=COL["comment"] + 1, value="ước")
    problems, warnings = [], []
    rows = list(template_values(book, template_key(book), problems=problems, warnings=warnings))
    assert _fields(rows) == [("jobs_created", "2024", "805", "", "1500", "ước")]
    assert (rows[0].sheet, rows[0].names["value"], problems, warnings) == (
        "Data", "E (Value)", [], [])


def test_it_reads_the_crossings_of_a_mapped_own_table(area):
    problems, warnings = [], []
    rows = list(freeform_values(workbook(office_sheet()), period=parse_period("2024"),
                                rows={6: "jobs_created"}, columns={5: "794", 6: "805"},
                                heading_row=5, problems=problems, warnings=warnings))
    assert _fields(rows) == [("jobs_created", "2024", "794", "", "1500", ""),
                             ("jobs_created", "2024", "805", "", "2000", "")]
    assert [(w.line, w.field, w.value) for w in warnings] == [(6, "F", "2.000")]
    assert problems == []


def test_it_reads_the_same_targets_from_a_csv_and_from_the_template(units, catalogue):
    target_set = target_set_get_or_create(name="KH", actor="t")
    csv_records = targets_csv_records("target_set,indicator,org_unit,period,comparison,value\n"
                                      "\nKH,jobs_created,80,2026,at_least,100\n")
    assert (csv_records[0].line, csv_records[0].fields["value"]) == (3, "100")
    book = workbook(targets_template_build(target_set=target_set, user=None))
    sheet = book.worksheets[0]
    for name, value in (("indicator", "jobs_created"), ("org_unit", "80"), ("period", "2026"),
                        ("comparison", "At least"), ("value", 100)):
        sheet.cell(row=FIRST_ROW, column=TARGET_COL[name] + 1, value=value)
    problems: list = []
    template_records = list(targets_template_records(
        book, targets_template_key(book, None), problems=problems, warnings=[]))
    assert problems == []

    def checked(records, **kwargs):
        return [{k: row[k] for k in ("target_set", "indicator", "org_unit", "period",
                                     "comparison", "value")}
                for row in targets_check(records=records, user=None, **kwargs)]

    assert checked(template_records, target_set=target_set) == checked(csv_records)


def test_it_detects_every_format_in_one_place():
    assert detect_format(Workbook()) == "freeform"
    assert detect_format(_sheet().parent) == "sheet"
    assert detect_format(_json()) == "dhis2_json"
    assert detect_format(_csv()) == "dhis2_csv"


def test_it_caps_the_problems_once_with_a_note(units, catalogue, monkeypatch):
    monkeypatch.setattr(imports, "MAX_PROBLEMS", 3)
    text = "dataelement,period,orgunit,value\n" + "".join(
        f"no_such_element,2024,80,{n}\n" for n in range(6))
    with pytest.raises(InvalidInput) as error:
        upload_import(stream=io.BytesIO(text.encode()), filename="x.csv", user=None,
                      actor="t", store=True)
    problems = error.value.problems
    assert [p.line for p in problems] == [2, 3, 4, None]
    assert problems[-1].message.startswith("only the first 3 problems are listed")


def test_a_dry_run_stores_nothing_and_lists_what_would_change(units, catalogue):
    before = _counts()
    changes: list[ValueChange] = []
    result = values_import(fmt="test", rows=dhis2_json_values(_json()), actor="t",
                           dry_run=True, changes=changes)
    assert (result.created, result.rows, result.stored) == (2, 2, False)
    assert [(c.kind, c.new) for c in changes] == [("new", Decimal(1500)), ("new", Decimal(3))]
    assert _counts() == before


def test_a_file_with_a_problem_stores_nothing_and_leaves_no_audit_rows(units, catalogue):
    before = _counts()
    text = _csv() + "jobs_created,2024,80,,ten,\n"
    with pytest.raises(InvalidInput) as error:
        upload_import(stream=io.BytesIO(text.encode()), filename="x.csv", user=None,
                      actor="t", store=True)
    assert [(p.line, p.field) for p in error.value.problems] == [(4, "value")]
    assert _counts() == before


def test_a_failure_after_the_first_values_are_written_leaves_nothing(units, catalogue,
                                                                      monkeypatch):
    real = imports.datavalues_save

    def fails_after_writing(*, values, **kwargs):
        real(values=[next(iter(values))], **kwargs)
        assert DataValue.objects.count() == 1
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(imports, "datavalues_save", fails_after_writing)
    before = _counts()
    with pytest.raises(RuntimeError):
        import_text(text=_json(), actor="t")
    assert _counts() == before


def test_a_failure_after_the_first_targets_are_written_leaves_nothing(units, catalogue,
                                                                       monkeypatch):
    real = imports.targets_save_many

    def fails_after_writing(*, rows, **kwargs):
        real(rows=rows[:1], **kwargs)
        assert Target.objects.count() == 1
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(imports, "targets_save_many", fails_after_writing)
    before = _counts()
    with pytest.raises(RuntimeError):
        import_text(text="target_set,indicator,org_unit,period,comparison,value\n"
                         "KH,jobs_created,80,2024,at_least,100\n"
                         "KH,new_jobs,80,2024,at_least,50\n", actor="t")
    assert _counts() == before
