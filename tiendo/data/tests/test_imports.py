import json
from decimal import Decimal

import pytest

from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue
from tiendo.errors import InvalidInput
from tiendo.exchange.imports import import_text
from tiendo.exchange.readers import detect_format

pytestmark = pytest.mark.django_db

CSV_HEADER = (
    "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,"
    "lastupdated,comment,followup,deleted\n"
)


def _json(*values: dict, **top) -> str:
    return json.dumps({**top, "dataValues": list(values)})


def _counts() -> tuple[int, int]:
    return DataValue.objects.count(), AuditRecord.objects.count()


@pytest.fixture
def setup(units, catalogue):
    return units


def test_it_detects_the_three_formats():
    assert detect_format(_json()) == "dhis2_json"
    assert detect_format("DataElement,Period,OrgUnit,Value\n") == "dhis2_csv"
    assert detect_format("target_set,indicator,org_unit,period,comparison,value\n") == (
        "targets_csv"
    )


def test_it_refuses_empty_or_unknown_input():
    for text in ("", "   ", "a,b,c\n1,2,3\n", '{"foo": 1}'):
        with pytest.raises(InvalidInput):
            detect_format(text)


def test_it_stores_values_from_json(setup):
    result = import_text(
        text=_json(
            {"dataElement": "jobs_created", "period": "2024", "orgUnit": "80", "value": "1500"},
            {
                "dataElement": "new_jobs",
                "period": "2024",
                "orgUnit": "80",
                "value": 12.5e1,
                "comment": "ước",
                "estimate": True,
            },
        ),
        actor="test",
    )
    assert (result.format, result.created, result.rows) == ("dhis2_json", 2, 2)
    row = DataValue.objects.get(data_element__code="new_jobs")
    assert (row.value, row.estimate, row.comment) == (Decimal(125), True, "ước")


def test_it_uses_top_level_period_and_unit_as_defaults(setup):
    import_text(
        text=_json({"dataElement": "jobs_created", "value": 7}, period="2023", orgUnit="80"),
        actor="test",
    )
    row = DataValue.objects.get()
    assert (row.period, row.org_unit) == ("2023", setup["long_an"])


def test_it_stores_values_from_csv_with_numbers_written_the_machine_way(setup):
    text = CSV_HEADER + (
        "jobs_created,2024Q1,80,,,1500000,admin,,,false,false\n"
        "urban_unemployment_rate,2024Q1,80,default,,3.250,,,,,\n"
    )
    result = import_text(text=text, actor="test")
    assert (result.format, result.created) == ("dhis2_csv", 2)
    values = dict(DataValue.objects.values_list("data_element__code", "value"))
    assert values == {"jobs_created": Decimal(1500000), "urban_unemployment_rate": Decimal("3.25")}


def test_it_refuses_numbers_written_the_person_way_in_a_dhis2_csv(setup):
    text = CSV_HEADER + 'jobs_created,2024Q1,80,,,1.500.000,,,,,\nnew_jobs,2024,80,,,"3,25",,,,,\n'
    with pytest.raises(InvalidInput) as error:
        import_text(text=text, actor="test")
    assert [(p.line, p.field, p.value) for p in error.value.problems] == [
        (2, "value", "1.500.000"), (3, "value", "3,25")]
    assert "3.125" in error.value.problems[0].message


def test_it_matches_csv_columns_by_name_in_any_case_and_order(setup):
    import_text(text="Value,OrgUnit,DataElement,Period\n9,80,jobs_created,2024\n", actor="t")
    assert DataValue.objects.get().value == 9


def test_it_resolves_code_80_by_the_period(setup):
    import_text(
        text=_json(
            {"dataElement": "jobs_created", "period": "2023", "orgUnit": "80", "value": 1},
            {"dataElement": "jobs_created", "period": "2026", "orgUnit": "80", "value": 2},
        ),
        actor="test",
    )
    units = dict(DataValue.objects.values_list("period", "org_unit"))
    assert units == {"2023": setup["long_an"].pk, "2026": setup["tay_ninh"].pk}


def test_it_refuses_a_batch_with_a_bad_row_and_writes_nothing(setup):
    before = _counts()
    text = CSV_HEADER + (
        "jobs_created,2024,80,,,10,,,,,\n"
        "no_such_element,2024,80,,,10,,,,,\n"
        "new_jobs,2024M13,80,,,10,,,,,\n"
        "new_jobs,2024,99,,,10,,,,,\n"
        "new_jobs,2023,80,,,ten,,,,,\n"
    )
    with pytest.raises(InvalidInput) as error:
        import_text(text=text, actor="test")
    where = {(p.line, p.field) for p in error.value.problems}
    assert where == {(3, "dataelement"), (4, "period"), (5, "orgunit"), (6, "value")}
    assert _counts() == before


def test_it_writes_nothing_on_a_dry_run(setup):
    before = _counts()
    result = import_text(
        text=_json({"dataElement": "jobs_created", "period": "2024", "orgUnit": "80", "value": 5}),
        actor="test",
        dry_run=True,
    )
    assert result.created == 1
    assert _counts() == before


def test_it_reads_a_dot_in_dhis2_json_as_the_decimal_point(setup):
    with pytest.raises(InvalidInput) as error:
        import_text(
            text=_json(
                {
                    "dataElement": "jobs_created",
                    "period": "2024",
                    "orgUnit": "80",
                    "value": "15.500",
                }
            ),
            actor="test",
        )
    [problem] = error.value.problems  # fifteen and a half jobs, not 15500
    assert (problem.line, problem.field, problem.message) == (
        1, "value", "a whole number is expected")


def test_it_refuses_parts_that_do_not_add_up_to_the_total(setup):
    before = _counts()
    with pytest.raises(InvalidInput) as error:
        import_text(
            text=_json(
                {"dataElement": "overseas_workers", "orgUnit": "80", "value": 100},
                {
                    "dataElement": "overseas_workers",
                    "orgUnit": "80",
                    "value": 60,
                    "categoryOptionCombo": "JP",
                },
                {
                    "dataElement": "overseas_workers",
                    "orgUnit": "80",
                    "value": 30,
                    "categoryOptionCombo": "KR",
                },
                period="2024",
            ),
            actor="test",
        )
    assert "add up" in str(error.value)
    assert _counts() == before


def test_it_reports_an_unknown_part(setup):
    with pytest.raises(InvalidInput) as error:
        import_text(
            text=_json(
                {
                    "dataElement": "overseas_workers",
                    "orgUnit": "80",
                    "period": "2024",
                    "value": 1,
                    "categoryOptionCombo": "XX",
                }
            ),
            actor="test",
        )
    assert [(p.line, p.field) for p in error.value.problems] == [(1, "categoryOptionCombo")]


def test_it_reports_import_problems_and_save_problems_together(setup):
    with pytest.raises(InvalidInput) as error:
        import_text(
            text=_json(
                {
                    "dataElement": "overseas_workers",
                    "orgUnit": "80",
                    "value": 1,
                    "categoryOptionCombo": "XX",
                },
                {"dataElement": "jobs_created", "orgUnit": "80", "value": "x"},
                period="2024",
            ),
            actor="test",
        )
    assert {p.line for p in error.value.problems} == {1, 2}


def test_it_is_idempotent_on_reimport(setup):
    text = _json(
        {"dataElement": "jobs_created", "period": "2024", "orgUnit": "80", "value": "1500"},
        {"dataElement": "new_jobs", "period": "2024", "orgUnit": "80", "value": 3},
    )
    import_text(text=text, actor="test")
    before = _counts()
    again = import_text(text=text, actor="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert _counts() == before


def test_it_streams_a_large_csv_without_splitting_lines(setup):
    import io

    from tiendo.exchange.imports import import_stream

    # Longer than the 64 KiB read to detect the format, so rows cross that boundary.
    text = "dataelement,period,orgunit,value\n" + "".join(
        f"new_jobs,{y}{m:02d},80,{y}\n" for y in range(1500, 2024) for m in range(1, 13))
    assert len(text) > 64 * 1024
    result = import_stream(stream=io.StringIO(text), actor="test", dry_run=True)
    assert result.rows == result.created == (2024 - 1500) * 12
    assert DataValue.objects.count() == 0


def test_it_reads_short_csv_rows_skips_blank_lines_and_deletes_what_is_marked_deleted(setup):
    import_text(text="dataelement,period,orgunit,value\nnew_jobs,2024,80,3\n", actor="t")
    text = ("dataelement,period,orgunit,value,comment,deleted\n"
            "jobs_created,2024,80,7\n"
            "\n"
            " , , ,\n"
            "new_jobs,2024,80,3,,TRUE\n")
    assert import_text(text=text, actor="t").deleted == 1
    assert DataValue.objects.values_list("value", "comment").get() == (Decimal(7), "")
