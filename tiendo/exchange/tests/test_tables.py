import io
from decimal import Decimal

from openpyxl import load_workbook

from tiendo.exchange.tables import neutralise, number_format
from tiendo.web.responses import table_response


def test_it_neutralises_text_a_spreadsheet_would_run():
    for text in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1"):
        assert neutralise(text) == "'" + text
    assert neutralise("Huyện Cần Đước") == "Huyện Cần Đước"


def test_it_keeps_numbers_as_numbers_with_a_grouped_format():
    response = table_response(title="Bảng 1", headers=["Chỉ tiêu", "Giá trị"],
                              rows=[["=HYPERLINK(\"x\")", Decimal("15500")],
                                    ["Tỷ lệ", Decimal("101.43")], ["Âm", -5]],
                              fmt="xlsx", filename="bảng")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''b%E1%BA%A3ng.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Bảng 1"
    assert [c.value for c in sheet[2]] == ["Chỉ tiêu", "Giá trị"]
    assert sheet["A3"].value == "'=HYPERLINK(\"x\")" and sheet["A3"].data_type == "s"
    assert (sheet["B3"].value, sheet["B3"].number_format) == (15500, "#,##0")
    assert (sheet["B4"].value, sheet["B4"].number_format) == (101.43, "#,##0.00")
    assert sheet["B5"].value == -5


def test_it_writes_csv_with_a_byte_order_mark_for_excel():
    response = table_response(title="t", headers=["Tên", "Số"],
                              rows=[["-cmd", Decimal("1.50")], ["Đức Hòa", None]],
                              fmt="csv", filename="t")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffTên,Số\r\n")
    assert "'-cmd,1.5\r\n" in text and "Đức Hòa,\r\n" in text


def test_it_formats_decimals_as_written():
    assert number_format(Decimal("3.250")) == "#,##0.00"
    assert number_format(7) == "#,##0"
