"""A province with two districts and a commune, the catalogue, and one user per role."""

import io
import unicodedata
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tiendo.accounts.services import user_with_membership
from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.models import DataElement, DataSet
from tiendo.lib.periods import parse_period
from tiendo.org.services import orgunit_create


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    """Uploads run in the request; six users a test cannot each cost a slow password hash."""
    settings.TIENDO_EXCHANGE_INLINE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def area(units, catalogue):
    """Long An (80, until mid-2025) with Tân An city, Cần Đước and Đức Hòa districts, and a
    commune of Cần Đước; Tây Ninh (80 after) as the sibling outside Long An's scope."""
    long_an = units["long_an"]
    day = {"valid_to": long_an.valid_to}
    tan_an = orgunit_create(code="794", name="Thành phố Tân An", kind="district",
                            parent=long_an, **day)
    can_duoc = orgunit_create(code="805", name="Huyện Cần Đước", kind="district",
                              parent=long_an, **day)
    duc_hoa = orgunit_create(code="802", name="Huyện Đức Hòa", kind="district",
                             parent=long_an, **day)
    tan_lan = orgunit_create(code="27991", name="Xã Tân Lân", kind="commune", parent=can_duoc,
                             **day)
    return {**units, "tan_an": tan_an, "can_duoc": can_duoc, "duc_hoa": duc_hoa,
            "tan_lan": tan_lan}


@pytest.fixture
def people(area):
    def make(name, role, unit):
        return user_with_membership(username=name, password="pw-" + name, role=role,
                                    org_unit=unit, actor="test")

    return {
        "admin": make("admin", "admin", None),
        "specialist": make("specialist", "specialist", area["long_an"]),
        "officer": make("officer", "officer", area["can_duoc"]),
        "commune": make("commune", "officer", area["tan_lan"]),
        "viewer": make("viewer", "viewer", area["long_an"]),
        "sibling": make("sibling", "officer", area["tan_an"]),
    }


@pytest.fixture
def lao_dong(catalogue):
    return DataSet.objects.get(code="lao_dong")


def store(unit, code, value, period="2024", part="", user=None):
    datavalues_save(values=[ValueInput(element=DataElement.objects.get(code=code),
                                       org_unit=unit, period=parse_period(period),
                                       value=Decimal(value), part=part)],
                    actor="test", user=user)


def snapshot() -> tuple:
    """Everything stored that an upload could change, to compare before and after."""
    values = tuple(DataValue.objects.order_by("pk").values_list(
        "pk", "data_element_id", "part", "org_unit_id", "period", "value", "estimate",
        "comment", "status", "version"))
    return values, AuditRecord.objects.count()


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office_sheet() -> bytes:
    """A district office's own table as they send it: title rows, merged headings, row
    numbers, units of measure, abbreviated unit names, one typed without its prefix and in
    decomposed Unicode, a province total and a note row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu 01"
    sheet["A1"] = "UBND TỈNH LONG AN"
    sheet["A2"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU LAO ĐỘNG NĂM 2024"
    sheet.merge_cells("A2:G2")
    sheet.append([])
    sheet.append(["TT", "Chỉ tiêu", "ĐVT", "Toàn tỉnh", "Chia ra"])
    sheet.merge_cells("E4:G4")
    sheet.append([None, None, None, None, "TP. Tân An", "H. Cần Đước",
                  unicodedata.normalize("NFD", "Đức Hòa")])
    sheet.append(["1", "Số lao động được giải quyết việc làm", "người", 4500, 1500, "2.000",
                  1000])
    sheet.append(["2", "so lao dong duoc tao viec lam moi", "người", 1200, 400, 500, 300])
    sheet.append(["3", "Tỷ lệ thất nghiệp khu vực thành thị", "%", 2.5, 2.1, None, "-"])
    sheet.append([None, "Ghi chú: số liệu ước tính", None, None, None, None, None])
    return save(book)
