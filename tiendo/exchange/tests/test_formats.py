import io
import json
from decimal import Decimal

import pytest

from tiendo.data.aggregates import aggregates_rebuild
from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.errors import InvalidInput
from tiendo.exchange.formats import (
    adx_chunks,
    adx_period,
    dhis2_csv_chunks,
    dhis2_json_chunks,
    join,
    period_from_adx,
    values_for_export,
)
from tiendo.exchange.services import upload_import
from tiendo.exchange.tests.conftest import snapshot, store
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import PeriodError, parse_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(area):
    store(area["can_duoc"], "jobs_created", 1500, period="202403")
    element, q1 = DataElement.objects.get(code="overseas_workers"), parse_period("2024Q1")
    datavalues_save(values=[
        ValueInput(element=element, org_unit=area["can_duoc"], period=q1, value=Decimal(v),
                   part=part) for part, v in (("", 5), ("JP", 3), ("KR", 2))], actor="test")
    store(area["tan_lan"], "new_jobs", 40, period="2024")
    store(area["duc_hoa"], "new_jobs", 99, period="2023")
    DataValue.objects.filter(data_element__code="new_jobs").update(comment="=cmd|' /C calc'!A0")
    return area


def _export(area, unit="can_duoc", period="2024"):
    return values_for_export(unit=area[unit], period=parse_period(period))


def _reimport(text: str, **kwargs):
    return upload_import(stream=io.BytesIO(text.encode()), filename="x", user=None,
                         actor="test", store=True, **kwargs)


@pytest.mark.parametrize("code,adx", [
    ("2024", "2024-01-01/P1Y"), ("2024Q3", "2024-07-01/P3M"), ("2024S2", "2024-07-01/P6M"),
    ("202409", "2024-09-01/P1M"), ("2024YTD09", "2024-01-01/P9M"),
    ("2021-2025", "2021-01-01/P5Y"),
])
def test_it_writes_and_reads_periods_the_adx_way(code, adx):
    assert adx_period(parse_period(code)) == adx
    assert period_from_adx(adx).code == code


def test_it_refuses_an_adx_period_it_has_no_code_for():
    for text in ("2024-02-01/P3M", "2024-01-15/P1M", "2024-03-01/P1Y", "2024W3"):
        with pytest.raises(PeriodError):
            period_from_adx(text)


def test_it_exports_the_unit_and_the_units_below_within_the_period(stored):
    rows = {(v.org_unit.code, v.data_element.code, v.part) for v in _export(stored)}
    assert rows == {("805", "jobs_created", ""), ("805", "overseas_workers", ""),
                    ("805", "overseas_workers", "JP"), ("805", "overseas_workers", "KR"),
                    ("27991", "new_jobs", "")}


def test_it_round_trips_dhis2_json_without_changing_anything(stored):
    text = join(dhis2_json_chunks(_export(stored)))
    assert len(json.loads(text)["dataValues"]) == 5
    before = snapshot()
    result = _reimport(text).result
    assert (result.format, result.unchanged, result.created, result.updated) == (
        "dhis2_json", 5, 0, 0)
    assert snapshot() == before


def test_it_neutralises_formulas_in_csv_text_cells(stored):
    text = join(dhis2_csv_chunks(_export(stored)))
    assert "'=cmd|' /C calc'!A0" in text
    assert text.splitlines()[0].startswith("dataelement,period,orgunit")


def test_it_round_trips_adx(stored):
    text = join(adx_chunks(_export(stored)))
    assert 'destination_country="JP"' in text and 'period="2024-01-01/P3M"' in text
    DataValue.objects.filter(data_element__code="jobs_created").update(value=1)
    aggregates_rebuild()  # the value changed behind the services' back
    result = _reimport(text).result
    assert (result.format, result.updated, result.unchanged) == ("adx", 1, 4)
    assert DataValue.objects.get(data_element__code="jobs_created").value == 1500


def test_it_reports_adx_problems_with_their_place(stored):
    text = ('<adx xmlns="urn:ihe:qrph:adx:2015">\n<group orgUnit="805" period="2024-01-01/P1Y">'
            '\n<dataValue dataElement="nope" value="1"/>'
            '\n\n<dataValue dataElement="new_jobs" value="abc"/></group></adx>')
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        _reimport(text)
    assert [(p.line, p.field) for p in caught.value.problems] == [  # the file's lines
        (3, "dataElement"), (5, "value")]
    assert snapshot() == before


def test_it_refuses_broken_xml(stored):
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        _reimport('<adx><group orgUnit="805"><dataValue')
    assert "XML" in caught.value.problems[0].message
    assert snapshot() == before
