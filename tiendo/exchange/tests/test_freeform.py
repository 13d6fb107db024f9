import io
import json
from decimal import Decimal

import pytest

from tiendo.data.models import DataValue
from tiendo.exchange.freeform import labelmappings_remember
from tiendo.exchange.models import LabelMapping
from tiendo.exchange.services import Mapping, upload_import
from tiendo.exchange.template import Expected
from tiendo.exchange.tests.conftest import office_sheet, snapshot
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db
P2024 = parse_period("2024")


def _propose(user=None):
    outcome = upload_import(stream=io.BytesIO(office_sheet()), filename="bieu01.xlsx",
                            user=user, actor="test", store=True,
                            expected=Expected(period=P2024))
    return outcome.proposal


def test_it_proposes_units_and_elements_from_vietnamese_labels(area):
    before = snapshot()
    proposal = _propose()
    assert (proposal.heading_row, proposal.label_column) == (5, 2)
    assert [(label.text, label.code) for label in proposal.columns] == [
        ("Toàn tỉnh", ""), ("TP. Tân An", "794"), ("H. Cần Đước", "805"), ("Đức Hòa", "802")]
    assert [(label.index, label.code, label.how) for label in proposal.rows] == [
        (6, "jobs_created", "exact"), (7, "new_jobs", "without diacritics"),
        (8, "urban_unemployment_rate", "exact"), (9, "", "")]
    assert snapshot() == before


def test_it_stores_the_confirmed_mapping_and_warns_about_text_numbers(area):
    proposal = _propose()
    mapping = Mapping(period=P2024, heading_row=proposal.heading_row,
                      rows={6: "jobs_created", 7: "new_jobs", 8: "urban_unemployment_rate"},
                      columns={4: "80", 5: "794", 6: "805", 7: "802"})
    outcome = upload_import(stream=io.BytesIO(office_sheet()), filename="bieu01.xlsx",
                            user=None, actor="test", store=True, accept_warnings=True,
                            mapping=mapping)
    assert [(w.line, w.field, w.value) for w in outcome.warnings] == [(6, "F", "2.000")]
    stored = {(v.data_element.code, v.org_unit.code): v.value
              for v in DataValue.objects.select_related("data_element", "org_unit")}
    assert stored[("jobs_created", "805")] == Decimal(2000)
    assert stored[("jobs_created", "80")] == Decimal(4500)
    assert stored[("urban_unemployment_rate", "794")] == Decimal("2.1")
    assert ("urban_unemployment_rate", "802") not in stored  # "-" means no figure
    assert len(stored) == 10


def test_it_remembers_confirmed_labels_for_the_scope(area, people):
    labelmappings_remember(user=people["specialist"], labels={
        "unit": {"Toàn tỉnh": "80"}, "element": {"Ghi chú: số liệu ước tính": ""}})
    mapping = LabelMapping.objects.get()
    assert (mapping.kind, mapping.label, mapping.scope_unit) == (
        "unit", "toàn tỉnh", area["long_an"])
    mine = _propose(user=people["specialist"])
    assert [(label.text, label.code, label.how) for label in mine.columns][0] == (
        "Toàn tỉnh", "80", "remembered")
    # An admin's proposal (global scope) does not see the province's own wording.
    theirs = _propose(user=people["admin"])
    assert theirs.columns[0].code == ""


def test_it_offers_only_units_of_the_users_scope(area, people):
    proposal = _propose(user=people["officer"])  # an officer of Cần Đước
    assert [label.code for label in proposal.columns] == ["", "", "805", ""]


def test_the_command_line_proposes_then_stores_a_corrected_mapping(area, tmp_path, capsys):
    from tiendo.cli import main

    sheet, mapping = tmp_path / "bieu01.xlsx", tmp_path / "map.csv"
    sheet.write_bytes(office_sheet())
    before = snapshot()
    assert main(["import", str(sheet), "--period", "2024", "--mapping-out", str(mapping)]) == 1
    printed = capsys.readouterr().out
    assert "hàng 7: so lao dong duoc tao viec lam moi → new_jobs" in printed
    assert "cột D: Toàn tỉnh → —" in printed
    assert snapshot() == before
    lines = mapping.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "kind,index,label,code,how"
    assert "column,4,Toàn tỉnh,," in lines
    mapping.write_text("\n".join(
        line.replace("column,4,Toàn tỉnh,,", "column,4,Toàn tỉnh,80,") for line in lines),
        encoding="utf-8")
    assert main(["import", str(sheet), "--period", "2024", "--mapping", str(mapping),
                 "--accept-warnings"]) == 0
    assert DataValue.objects.count() == 10
    assert LabelMapping.objects.get(label="toàn tỉnh").code == "80"  # remembered


def test_the_api_stores_an_own_table_with_the_mapping_sent(client, area, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tiendo.accounts.services import apitoken_create

    headers = {"HTTP_AUTHORIZATION": f"Bearer {apitoken_create(user=people['specialist'])}"}

    def send(**fields):
        return client.post("/api/v1/exchange/uploads", {
            "file": SimpleUploadedFile("bieu01.xlsx", office_sheet()), "period": "2024",
            **fields}, **headers)

    proposal = send().json()["proposal"]
    assert [label["code"] for label in proposal["columns"]] == ["", "794", "805", "802"]
    wrong = send(mapping='{"rows": {"99": "new_jobs"}}')
    assert wrong.status_code == 422 and wrong.json()["problems"][0]["value"] == "99"
    stored = send(store="true", accept_warnings="true", mapping=json.dumps(
        {"rows": {"6": "jobs_created", "7": "new_jobs"}, "columns": {"5": "794", "6": "805"}}))
    assert stored.status_code == 200 and stored.json()["stored"] is True
    assert DataValue.objects.count() == 4
