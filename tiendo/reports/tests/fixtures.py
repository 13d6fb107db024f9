"""A small province with three districts reporting monthly, and the users of the
permission tests: admin, the province's specialist and viewer, an officer of a district in
it, an officer of a district in a sibling province."""

import datetime
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings

from tiendo.accounts.services import user_with_membership
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.data.submissions import submission_submit
from tiendo.indicators.loaders import catalogue_load
from tiendo.indicators.models import DataSet, Indicator
from tiendo.lib.periods import parse_period
from tiendo.org.services import orgunit_create
from tiendo.plans.models import Target, TargetSet
from tiendo.reports.models import ReportingSchedule

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=9) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=VN)


def frozen(moment: datetime.datetime):
    """Freeze Django's clock (every service and selector reads timezone.now())."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _province() -> dict:
    vn = orgunit_create(code="VN", name="Việt Nam", kind="country")
    long_an = orgunit_create(code="80", name="Long An", kind="province", parent=vn)
    districts = [
        orgunit_create(code=code, name=name, kind="district", parent=long_an)
        for code, name in (("794", "Huyện Bến Lức"), ("795", "Huyện Đức Hòa"),
                           ("796", "Huyện Cần Giuộc"))
    ]
    ben_tre = orgunit_create(code="83", name="Bến Tre", kind="province", parent=vn)
    outside = orgunit_create(code="829", name="Huyện Châu Thành", kind="district",
                             parent=ben_tre)
    data_set = DataSet.objects.get(code="lao_dong")
    schedule = ReportingSchedule.objects.create(
        name="Báo cáo tháng lao động", data_set=data_set, root=long_an,
        unit_kind="district", period_type="month",
    )
    return {"province": long_an, "districts": districts, "outside": outside,
            "data_set": data_set, "schedule": schedule}


@pytest.fixture
def target(province):
    """One 2024 target of the province, so that it has a report to generate."""
    return Target.objects.create(
        target_set=TargetSet.objects.create(name="KH 2024"),
        indicator=Indicator.objects.get(code="jobs_created"), org_unit=province["province"],
        period="2024", comparison="at_least", value=Decimal(1000))


def submit(province, district, moment: datetime.datetime, period="202409") -> None:
    element = province["data_set"].elements.order_by("code").first()
    with frozen(moment):
        datavalues_save(values=[ValueInput(element=element, org_unit=district,
                                           period=parse_period(period), value=Decimal(10))],
                        actor="test")
        submission_submit(data_set=province["data_set"], org_unit=district,
                          period=parse_period(period), actor="test")


def _people(province) -> dict:
    def make(name, role, unit):
        return user_with_membership(username=name, password="x", role=role, org_unit=unit,
                                    actor="test", email=f"{name}@example.vn")
    district = province["districts"][0]
    return {
        "admin": make("admin", "admin", None),
        "specialist": make("specialist", "specialist", province["province"]),
        "officer": make("officer", "officer", district),
        "viewer": make("viewer", "viewer", province["province"]),
        "sibling": make("sibling", "officer", province["outside"]),
    }


@pytest.fixture(scope="module")
def _small_world(django_db_setup, django_db_blocker):
    """Built once per module (a test's own writes are rolled back after it), with a fast
    password hasher: hashing five passwords per test would dominate the suite's time."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=[
                "django.contrib.auth.hashers.MD5PasswordHasher"]):
            catalogue_load()
            province = _province()
            people = _people(province)
        yield {"province": province, "people": people}
        transaction.set_rollback(True)


@pytest.fixture
def province(_small_world, db):
    return _small_world["province"]


@pytest.fixture
def people(_small_world, db):
    return _small_world["people"]
