"""Answers never tell "exists but not yours" from "does not exist": target sets named in a
targets import or asked for by id on the API, and units named as a target's responsible
unit (issue 14, finding 9)."""

from decimal import Decimal as D

import pytest
from django.test import Client

from tiendo.errors import InvalidInput
from tiendo.exchange.readers.targets import targets_csv_records
from tiendo.plans.checks import targets_check
from tiendo.plans.services import target_save, target_set_get_or_create

pytestmark = pytest.mark.django_db
HEADER = "target_set,indicator,org_unit,period,comparison,value,responsible_unit\n"


@pytest.fixture
def plan(world):
    """Tây Ninh's set with one province target; nobody in Hồ Chí Minh City may see it."""
    target_set = target_set_get_or_create(name="KH 2026 Tây Ninh", scope=world.province,
                                          period="2026", actor="test")
    jobs = world.elements["jobs_created"].indicators.get(code="jobs_created")
    target_save(target_set=target_set, indicator=jobs, org_unit=world.province,
                period="2026", comparison="at_least", value=D(1000), actor="test")
    return target_set


def _problems(user, rows: str) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        targets_check(records=targets_csv_records(HEADER + rows), user=user)
    return [(p.field, p.message) for p in caught.value.problems]


def test_a_targets_import_words_a_foreign_set_as_a_missing_one(world, plan):
    stranger = world.users["stranger"]
    foreign = _problems(stranger, "KH 2026 Tây Ninh,jobs_created,79,2026,at_least,5,\n")
    missing = _problems(stranger, "KH không có,jobs_created,79,2026,at_least,5,\n")
    assert foreign == missing
    assert [m for f, m in foreign if f == "target_set"] == [
        "there is no target set with this name; create it on the target sets page first"]


def test_a_targets_import_refuses_a_responsible_unit_outside_the_scope_as_unknown(world, plan):
    specialist = world.users["specialist"]
    foreign = _problems(specialist, "KH 2026 Tây Ninh,jobs_created,80,2026,at_least,5,79\n")
    missing = _problems(specialist, "KH 2026 Tây Ninh,jobs_created,80,2026,at_least,5,77\n")
    assert foreign == [("responsible_unit", "No unit has code 79 on 2026-12-31.")]
    assert missing == [("responsible_unit", "No unit has code 77 on 2026-12-31.")]


def test_a_targets_import_keeps_a_responsible_unit_inside_the_scope(world, plan):
    rows = targets_check(records=targets_csv_records(
        HEADER + "KH 2026 Tây Ninh,jobs_created,80,2026,at_least,5,25459\n"),
        user=world.users["specialist"])
    assert rows[0]["responsible_unit"] == world.commune


@pytest.mark.parametrize("route", ["evaluation", "dashboard"])
def test_a_foreign_target_set_id_answers_like_a_missing_one(world, plan, route):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.users["stranger"])
    asked = f"/api/v1/{route}?unit={world.other_province.pk}&period=2026&target_set="
    foreign = client.get(asked + str(plan.pk))
    missing = client.get(asked + str(plan.pk + 1000))
    assert (foreign.status_code, foreign.json()) == (missing.status_code, missing.json())
    assert foreign.status_code == 404
    assert "no such target set" in foreign.content.decode()


def test_the_set_answers_for_those_who_may_see_it(world, plan):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.users["specialist"])
    response = client.get(f"/api/v1/evaluation?unit={world.province.pk}&period=2026"
                          f"&target_set={plan.pk}")
    assert response.status_code == 200
