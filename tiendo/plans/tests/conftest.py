"""A province with two districts and a commune, a sibling province, one user per role and a
target set of the province holding a province target and a district target."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import override_settings

from tiendo.accounts.services import apitoken_create, user_with_membership
from tiendo.indicators.loaders import catalogue_load
from tiendo.indicators.models import Indicator
from tiendo.org.models import OrgUnit
from tiendo.org.services import orgunit_create
from tiendo.plans.models import Target, TargetSet
from tiendo.plans.services import target_save, target_set_get_or_create

PASSWORD = "a long enough password 42"
ROLES = ["admin", "specialist", "officer_below", "viewer", "officer_sibling", "anonymous"]


@dataclass
class World:
    province: OrgUnit
    district: OrgUnit
    other_district: OrgUnit
    commune: OrgUnit
    sibling: OrgUnit
    target_set: TargetSet
    province_target: Target
    district_target: Target
    users: dict


@pytest.fixture(scope="module")
def _world_ids(django_db_setup, django_db_blocker) -> dict:
    """Built once per module inside a transaction rolled back at its end (loading the
    catalogue and hashing six passwords per test would dominate the run)."""
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(
        PASSWORD_HASHERS=md5
    ):
        catalogue_load()
        vn = orgunit_create(code="VN", name="Việt Nam", kind="country")
        province = orgunit_create(code="79", name="Tỉnh Mẫu", kind="province", parent=vn)
        district = orgunit_create(code="760", name="Huyện Một", kind="district",
                                  parent=province)
        other = orgunit_create(code="761", name="Huyện Hai", kind="district", parent=province)
        commune = orgunit_create(code="26734", name="Xã Một", kind="commune", parent=district)
        sibling = orgunit_create(code="01", name="Tỉnh Bên", kind="province", parent=vn)
        memberships = {
            "admin": ("admin", None),
            "specialist": ("specialist", province),
            "officer_below": ("officer", district),
            "viewer": ("viewer", province),
            "officer_sibling": ("officer", sibling),
        }
        users = {
            name: user_with_membership(username=name, password=PASSWORD, role=role,
                                       org_unit=unit, actor="test").pk
            for name, (role, unit) in memberships.items()
        }
        target_set = target_set_get_or_create(name="KH 2026 tỉnh", scope=province,
                                              period="2026", actor="test")
        jobs = Indicator.objects.get(code="jobs_created")
        province_target = target_save(target_set=target_set, indicator=jobs,
                                      org_unit=province, period="2026",
                                      comparison="at_least", value=Decimal(1000), actor="test")
        district_target = target_save(target_set=target_set, indicator=jobs,
                                      org_unit=district, period="2026",
                                      comparison="at_least", value=Decimal(600), actor="test")
        yield {
            "province": province.pk, "district": district.pk, "other_district": other.pk,
            "commune": commune.pk, "sibling": sibling.pk, "target_set": target_set.pk,
            "province_target": province_target.pk, "district_target": district_target.pk,
            "users": users,
        }
        transaction.set_rollback(True)


@pytest.fixture
def world(_world_ids, db) -> World:
    """Fresh objects for each test (each test's changes are rolled back)."""
    ids = dict(_world_ids)
    users = {name: User.objects.get(pk=pk) for name, pk in ids.pop("users").items()}
    units = {name: OrgUnit.objects.get(pk=ids.pop(name))
             for name in ("province", "district", "other_district", "commune", "sibling")}
    return World(
        **units, target_set=TargetSet.objects.get(pk=ids["target_set"]),
        province_target=Target.objects.get(pk=ids["province_target"]),
        district_target=Target.objects.get(pk=ids["district_target"]), users=users,
    )


@pytest.fixture
def as_role(client, world):
    """A client logged in as the role (or anonymous)."""

    def login(role: str):
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return login


@pytest.fixture
def token_for(world):
    def make(role: str) -> str:
        return apitoken_create(user=world.users[role])

    return make
