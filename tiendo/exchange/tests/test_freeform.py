import io
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
