"""Fixtures for import tests: a tiny map (VN; "80" Long An until 2025-06-30, "80" Tây Ninh
from 2025-07-01) and the labour and social catalogue."""

import datetime

import pytest

from tiendo.indicators.loaders import catalogue_load
from tiendo.org.models import OrgUnit
from tiendo.org.services import orgunit_create

LONG_AN_END = datetime.date(2025, 6, 30)
TAY_NINH_START = datetime.date(2025, 7, 1)


def _unit_on(code: str, kind: str, on: datetime.date) -> OrgUnit | None:
    for unit in OrgUnit.objects.filter(code=code, kind=kind):
        if (unit.valid_from is None or unit.valid_from <= on) and (
            unit.valid_to is None or on <= unit.valid_to
        ):
            return unit
    return None


@pytest.fixture
def units(db) -> dict[str, OrgUnit]:
    """Reuses units of the same code and dates if a fuller map is already loaded."""
    vn = _unit_on("VN", "country", datetime.date(2024, 1, 1)) or orgunit_create(
        code="VN", name="Việt Nam", kind="country"
    )
    long_an = _unit_on("80", "province", datetime.date(2023, 1, 1)) or orgunit_create(
        code="80", name="Long An", kind="province", parent=vn, valid_to=LONG_AN_END
    )
    tay_ninh = _unit_on("80", "province", datetime.date(2026, 1, 1)) or orgunit_create(
        code="80", name="Tây Ninh", kind="province", parent=vn, valid_from=TAY_NINH_START
    )
    return {"vn": vn, "long_an": long_an, "tay_ninh": tay_ninh}


@pytest.fixture
def catalogue(db) -> None:
    catalogue_load()
