"""Fixtures shared by every app's tests."""

import datetime

import pytest
from django.utils import translation

from tiendo.indicators.loaders import catalogue_load
from tiendo.org.models import OrgUnit
from tiendo.org.services import orgunit_create

LONG_AN_END = datetime.date(2025, 6, 30)
TAY_NINH_START = datetime.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def _english_messages():
    """Tests read messages in English; pages and the CLI switch to Vietnamese on their own,
    and tiendo/front/tests/test_translations.py checks the Vietnamese catalogue is complete."""
    with translation.override("en"):
        yield


@pytest.fixture
def units(db) -> dict[str, OrgUnit]:
    """A tiny map with a reused code: "80" is Long An until 2025-06-30, Tây Ninh after."""
    vn = orgunit_create(code="VN", name="Việt Nam", kind="country")
    long_an = orgunit_create(
        code="80", name="Long An", kind="province", parent=vn, valid_to=LONG_AN_END
    )
    tay_ninh = orgunit_create(
        code="80", name="Tây Ninh", kind="province", parent=vn, valid_from=TAY_NINH_START
    )
    return {"vn": vn, "long_an": long_an, "tay_ninh": tay_ninh}


@pytest.fixture
def catalogue(db) -> None:
    catalogue_load()
