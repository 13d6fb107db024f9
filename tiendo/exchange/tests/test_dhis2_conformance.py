"""DHIS2's own test files (tests/data/dhis2, identifiers rewritten to ours) imported as
DHIS2 imports them, and our exports checked against what DHIS2 and the ADX schema expect."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue
from tiendo.errors import InvalidInput
from tiendo.exchange.exports import values_file
from tiendo.exchange.formats import adx_chunks, dhis2_csv_chunks, dhis2_json_chunks, join
from tiendo.exchange.selectors import Choice
from tiendo.exchange.services import upload_import
from tiendo.exchange.tests.conftest import snapshot, store
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "dhis2"


def _upload(data: bytes | str, name="x"):
    data = data.encode() if isinstance(data, str) else data
    return upload_import(stream=io.BytesIO(data), filename=name, user=None, actor="test",
                         store=True)


def _fixture(name: str):
    return _upload((DATA / name).read_bytes(), name)


def _refused(data: bytes | str) -> list:
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        _upload(data)
    assert snapshot() == before
    return caught.value.problems


def _values() -> dict:
    return {(v.data_element.code, v.part, v.org_unit.code, v.period): v.value
            for v in DataValue.objects.select_related("data_element", "org_unit")}


def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / "adx_schema" / "adx_loose.xsd")))


def test_it_imports_dhis2_json_fixtures(area):
    assert _fixture("dataValueSetJ.json").result.created == 1
    outcome = _fixture("dataValueSetCreateDate.json")  # storedBy, created, null comment
    assert outcome.result.updated == 1
    assert _values() == {("jobs_created", "", "805", "201201"): Decimal(20)}


def test_it_imports_the_dhis2_csv_fixture(area):
    assert _fixture("dataValueSetB.csv").result.created == 12
    assert _values()[("job_fair_sessions", "", "802", "201202")] == Decimal(10012)


def test_it_imports_dxf2_xml_fixtures_by_code(area):
    outcome = _fixture("dataValueSetACode.xml")  # period and unit on the dataValueSet
    assert (outcome.kind, outcome.result.created) == ("dxf2_xml", 3)
    result = _fixture("dataValueSetA.xml").result  # 805 in January is stored already
    assert (result.created, result.unchanged) == (2, 1)
    assert _values()[("jobs_created", "", "802", "201201")] == Decimal(10002)
    assert DataValue.objects.get(org_unit__code="802").comment == "comment"


def test_it_deletes_what_dhis2_marks_deleted_and_audits_it(area):
    _fixture("dataValueSetA.xml")
    outcome = _fixture("dataValueSetADeleted.xml")
    assert (outcome.result.deleted, DataValue.objects.count()) == (3, 0)
    assert AuditRecord.objects.filter(action="delete").count() == 3
    store(area["can_duoc"], "jobs_created", 5, period="201201")
    deleted = json.dumps({"dataValues": [{"dataElement": "jobs_created", "period": "201201",
                                          "orgUnit": "805", "deleted": True}]})
    assert _upload(deleted).result.deleted == 1


def test_it_refuses_to_delete_an_approved_value(area):
    store(area["can_duoc"], "jobs_created", 5, period="201201")
    DataValue.objects.update(status=DataValue.Status.APPROVED)
    [problem] = _refused(json.dumps({"dataValues": [{
        "dataElement": "jobs_created", "period": "201201", "orgUnit": "805", "value": "5",
        "deleted": True}]}))
    assert (problem.line, "approved") == (1, "approved" if "approved" in problem.message else "")


def test_it_refuses_to_delete_outside_the_users_scope(area, people):
    store(area["tan_an"], "jobs_created", 5, period="201201")
    text = "dataelement,period,orgunit,value,deleted\njobs_created,201201,794,,true\n"
    with pytest.raises(InvalidInput) as caught:
        upload_import(stream=io.BytesIO(text.encode()), filename="x", user=people["officer"],
                      actor="officer", store=True)
    assert caught.value.problems[0].field == "orgunit"
    assert DataValue.objects.count() == 1


def test_it_imports_dhis2_adx_with_comments_annotations_and_dates(area):
    outcome = _fixture("exportA.adx.xml")
    assert (outcome.kind, outcome.result.created) == ("adx", 2)
    assert DataValue.objects.get(data_element__code="jobs_created").comment == "Some text"
    _fixture("importDates.adx.xml")  # created/lastUpdated attributes and elements
    row = DataValue.objects.get(part="KR")
    assert (row.value, row.comment) == (Decimal(33), "33333")
    text = ('<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="805" period="2024-03-01/P1M">'
            '<dataValue dataElement="jobs_created" value="7" comment="checked by district" '
            'followup="false" storedBy="anna" created="2024-04-01T10:00:00.000+0000" '
            'lastUpdated="2024-04-02T10:00:00.000+0000"><annotation>ignored</annotation>'
            '</dataValue></group></adx>')
    _upload(text)
    assert DataValue.objects.get(period="202403").comment == "checked by district"


def test_it_refuses_attribute_option_combos_everywhere(area):
    problems = _refused((DATA / "adx_data_sample1.xml").read_bytes())
    assert [(p.line, p.field) for p in problems][:1] == [(10, "attributeOptionCombo")]
    problems = _refused((DATA / "importB.adx.xml").read_bytes())
    assert [(p.line, p.field) for p in problems] == [
        (14, "mechanism"), (17, "mechanism"), (20, "attributeOptionCombo")]
    assert "only the default" in problems[0].message
    json_text = json.dumps({"dataValues": [
        {"dataElement": "jobs_created", "period": "2024", "orgUnit": "805", "value": "1",
         "attributeOptionCombo": "PEPFAR"},
        {"dataElement": "jobs_created", "period": "2024", "orgUnit": "805", "value": "2",
         "attributeOptionCombo": "McDonalds"}]})
    assert [p.field for p in _refused(json_text)] == ["attributeOptionCombo"] * 2
    csv_text = ("dataelement,period,orgunit,attributeoptioncombo,value\n"
                "jobs_created,2024,805,HllvX50cXC0,1\njobs_created,2024,802,PEPFAR,2\n")
    assert [(p.line, p.field) for p in _refused(csv_text)] == [(3, "attributeoptioncombo")]


def test_it_checks_adx_category_names_and_data_sets(area):
    text = ('<adx xmlns="urn:ihe:qrph:adx:2015">\n'
            '<group orgUnit="805" period="2024-01-01/P3M" dataSet="lao_dong">\n'
            '<dataValue dataElement="overseas_workers" training_level="JP" value="1"/>\n'
            '<dataValue dataElement="jobs_created" destination_country="JP" value="1"/>\n'
            '</group>\n<group orgUnit="805" period="2024-01-01/P3M" dataSet="nope">\n'
            '<dataValue dataElement="jobs_created" value="1"/></group></adx>')
    problems = _refused(text)
    assert [(p.line, p.field) for p in problems] == [
        (3, "training_level"), (4, "destination_country"), (6, "dataSet")]
    assert "destination_country" in problems[0].message


def test_it_reports_a_bad_adx_period_once_on_its_line(area):
    text = ('<adx xmlns="urn:ihe:qrph:adx:2015">\n<group orgUnit="805" period="2024-02-01/P3M">'
            '\n<dataValue dataElement="jobs_created" value="1"/>'
            '\n<dataValue dataElement="new_jobs" value="1"/></group></adx>')
    assert [(p.line, p.field) for p in _refused(text)] == [(2, "period")]


def test_it_refuses_xml_that_is_neither_adx_nor_a_data_value_set(area):
    [problem] = _refused("<html><body/></html>")
    assert "<html>" in problem.message


@pytest.fixture
def machine(area):
    """3.125, 1.250 and 1.000 stored as numbers, one an estimate, one with a comment."""
    store(area["can_duoc"], "urban_unemployment_rate", "3.125", period="2024Q1")
    store(area["can_duoc"], "urban_unemployment_rate", "1.250", period="2024Q2")
    store(area["can_duoc"], "jobs_created", "1000", period="202403")
    DataValue.objects.filter(period="2024Q1").update(estimate=True, comment='đã "kiểm tra"\nlần 2')
    return area


def _export(area):
    from tiendo.exchange.formats import values_for_export
    return values_for_export(unit=area["can_duoc"], period=parse_period("2024"))


@pytest.mark.parametrize("chunks", [dhis2_json_chunks, dhis2_csv_chunks, adx_chunks])
def test_it_round_trips_decimals_and_the_estimate_flag(machine, chunks):
    text = join(chunks(_export(machine)))
    before = _values(), set(DataValue.objects.values_list("period", "estimate", "comment"))
    DataValue.objects.update(value=0, estimate=False, comment="")
    result = _upload(text).result
    assert result.updated == 3
    assert (_values(), set(DataValue.objects.values_list("period", "estimate", "comment"))) == (
        before)
    assert _values()[("urban_unemployment_rate", "", "805", "2024Q1")] == Decimal("3.125")


def test_it_reads_machine_numbers_with_a_dot_in_every_exchange_format(area):
    json_text = json.dumps({"dataValues": [{"dataElement": "urban_unemployment_rate",
                                            "period": "2024", "orgUnit": "805",
                                            "value": "1.000"}]})
    _upload(json_text)
    assert _values()[("urban_unemployment_rate", "", "805", "2024")] == Decimal(1)
    [problem] = _refused(json_text.replace('"1.000"', '"1.000,5"'))
    assert (problem.field, problem.value) == ("value", "1.000,5")


def test_every_adx_export_validates_against_the_adx_schema(machine, lao_dong):
    store(machine["can_duoc"], "overseas_workers", 3, period="2024Q1", part="JP")
    schema = _schema()
    for data_set in (None, lao_dong):
        document = etree.fromstring(join(adx_chunks(_export(machine), data_set=data_set))
                                    .encode())
        assert schema.validate(document), schema.error_log
    for fixture in ("exportA.adx.xml",):
        assert not schema.validate(etree.parse(str(DATA / fixture)))  # it lacks `exported`


def test_json_exports_are_written_as_dhis2_writes_them(machine):
    data = json.loads(join(dhis2_json_chunks(_export(machine))))
    assert data["idScheme"] == "CODE"
    item = data["dataValues"][0]
    assert {"storedBy", "lastUpdated", "followup"} <= set(item)
    assert item["storedBy"] == "tiendo" and item["followup"] is False
    assert item["lastUpdated"].endswith("+0000") and item["lastUpdated"][19] == "."


@pytest.mark.parametrize("period,within", [("2024YTD09", "2024"), ("2021-2025", "2021-2025")])
def test_dhis2_exports_refuse_periods_dhis2_cannot_hold(area, period, within):
    store(area["can_duoc"], "jobs_created", 9, period=period)
    choice = Choice(unit=area["can_duoc"], period=parse_period(within), data_set=None)
    for fmt in ("dhis2-json", "dhis2-csv", "adx"):
        with pytest.raises(InvalidInput) as caught:
            values_file(choice, fmt=fmt, scope=None)
        assert period in caught.value.problems[0].message


def test_dhis2_periods_are_ours_where_dhis2_has_them():
    from tiendo.exchange.formats import dhis2_period
    assert [dhis2_period(code) for code in ("2024", "2024Q3", "2024S1", "202409",
                                            "2024YTD06", "2024YTD12")] == [
        "2024", "2024Q3", "2024S1", "202409", "2024S1", "2024"]


def test_an_export_piped_into_a_reader_that_stops_ends_quietly(monkeypatch):
    import os
    import sys

    from tiendo.exchange.cli import _to_stdout

    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head` has read its lines and gone
    saved = os.dup(1)
    try:
        with os.fdopen(write_end, "w") as pipe:
            monkeypatch.setattr(sys, "stdout", pipe)
            assert _to_stdout(lambda: [pipe.write("x" * 65536) for _ in range(4)]) == 0
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def test_the_api_counts_and_lists_deletions(area, people, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tiendo.accounts.services import apitoken_create

    store(area["can_duoc"], "jobs_created", 5, period="201201")
    token = apitoken_create(user=people["specialist"])
    text = b"dataelement,period,orgunit,value,deleted\njobs_created,201201,805,,true\n"
    answer = client.post("/api/v1/exchange/uploads",
                         {"file": SimpleUploadedFile("d.csv", text), "store": "true"},
                         HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["counts"]["deleted"] == 1 and body["changes"][0]["new"] is None
    assert DataValue.objects.count() == 0
