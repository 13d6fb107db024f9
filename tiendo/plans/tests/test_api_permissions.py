"""Who may read and write through /api/v1/targets/: the same six roles as the pages. Outside
the scope the answer is 404, as for an id that does not exist; anonymous callers get 401."""

import pytest

from tiendo.plans.models import Target, TargetSet
from tiendo.plans.tests.conftest import ROLES

pytestmark = pytest.mark.django_db

API = "/api/v1/targets"
READ = {"admin": 200, "specialist": 200, "officer_below": 200, "viewer": 200,
        "officer_sibling": 404, "anonymous": 401}
# Writes to the province's set or its province-level target.
WRITE = {"admin": 200, "specialist": 200, "officer_below": 403, "viewer": 403,
         "officer_sibling": 404, "anonymous": 401}
# A target of the province: outside a district officer's scope, so not found for them.
WRITE_PROVINCE_TARGET = dict(WRITE, officer_below=404)
READ_PROVINCE_TARGET = dict(READ, officer_below=404)


def _created(expected: int) -> int:
    return 201 if expected == 200 else expected


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_only_sets_in_scope(as_role, world, role):
    response = as_role(role).get(f"{API}/sets")
    if role == "anonymous":
        assert response.status_code == 401
        return
    names = [s["name"] for s in response.json()]
    assert names == ([] if role == "officer_sibling" else [world.target_set.name])


@pytest.mark.parametrize("role", ROLES)
def test_it_reads_a_set_for_its_readers_only(as_role, world, role):
    response = as_role(role).get(f"{API}/sets/{world.target_set.pk}")
    assert response.status_code == READ[role]


def test_it_gives_a_district_officer_only_their_targets_of_a_set(as_role, world):
    body = as_role("officer_below").get(f"{API}/sets/{world.target_set.pk}").json()
    assert [t["id"] for t in body["targets"]] == [world.district_target.pk]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_of_the_province_create_a_set_there(as_role, world, role):
    response = as_role(role).post(f"{API}/sets", {
        "name": "QĐ giao 2027", "scope_id": world.province.pk, "period": "2027",
        "document": {"symbol": "12/QĐ-UBND", "kind": "decision"},
    }, content_type="application/json")
    # A district officer cannot see the province at all: not found, like a missing id.
    expected = dict(WRITE, officer_below=404)[role]
    assert response.status_code == _created(expected)
    assert TargetSet.objects.filter(name="QĐ giao 2027").exists() == (expected == 200)


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_add_a_target(as_role, world, role):
    response = as_role(role).post(f"{API}/sets/{world.target_set.pk}/targets", {
        "indicator": "jobs_created", "org_unit_id": world.other_district.pk, "period": "2026",
        "comparison": "at_least", "value": "400",
    }, content_type="application/json")
    assert response.status_code == _created(WRITE[role])
    assert Target.objects.filter(org_unit=world.other_district).exists() == (
        WRITE[role] == 200
    )


@pytest.mark.parametrize("role", ROLES)
def test_it_reads_a_target_for_those_who_see_its_unit(as_role, world, role):
    response = as_role(role).get(f"{API}/targets/{world.province_target.pk}")
    assert response.status_code == READ_PROVINCE_TARGET[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_change_a_target(as_role, world, role):
    response = as_role(role).put(f"{API}/targets/{world.province_target.pk}", {
        "comparison": "at_least", "value": "1100"}, content_type="application/json")
    assert response.status_code == WRITE_PROVINCE_TARGET[role]
    world.province_target.refresh_from_db()
    assert (world.province_target.value == 1100) == (WRITE[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_delete_a_target(as_role, world, role):
    response = as_role(role).delete(f"{API}/targets/{world.province_target.pk}")
    expected = WRITE_PROVINCE_TARGET[role]
    assert response.status_code == (204 if expected == 200 else expected)
    assert Target.objects.filter(pk=world.province_target.pk).exists() == (expected != 200)


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_allocation_form_only_to_planners(as_role, world, role):
    response = as_role(role).get(f"{API}/targets/{world.province_target.pk}/allocation")
    assert response.status_code == WRITE_PROVINCE_TARGET[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_allocate(as_role, world, role):
    response = as_role(role).post(
        f"{API}/targets/{world.province_target.pk}/allocation",
        {"amounts": [{"unit_id": world.district.pk, "value": "600"},
                     {"unit_id": world.other_district.pk, "value": "400"}]},
        content_type="application/json",
    )
    assert response.status_code == WRITE_PROVINCE_TARGET[role]
    assert Target.objects.filter(org_unit=world.other_district).exists() == (
        WRITE[role] == 200
    )


def test_it_lets_a_district_officer_read_their_own_target(as_role, world):
    response = as_role("officer_below").get(f"{API}/targets/{world.district_target.pk}")
    assert response.status_code == 200


def test_it_refuses_a_district_officer_changing_their_own_target(as_role, world):
    response = as_role("officer_below").put(f"{API}/targets/{world.district_target.pk}", {
        "comparison": "at_least", "value": "1"}, content_type="application/json")
    assert response.status_code == 403


def test_it_answers_a_guessed_target_id_like_a_missing_one(as_role, world):
    client = as_role("officer_sibling")
    guessed = client.get(f"{API}/targets/{world.province_target.pk}")
    missing = client.get(f"{API}/targets/999999")
    assert (guessed.status_code, guessed.json()) == (missing.status_code, missing.json())


def test_it_accepts_a_bearer_token(client, world, token_for):
    response = client.get(f"{API}/sets/{world.target_set.pk}",
                          HTTP_AUTHORIZATION=f"Bearer {token_for('specialist')}")
    assert response.status_code == 200


def test_it_refuses_a_target_outside_the_sets_scope(as_role, world):
    response = as_role("admin").post(f"{API}/sets/{world.target_set.pk}/targets", {
        "indicator": "jobs_created", "org_unit_id": world.sibling.pk, "period": "2026",
        "comparison": "at_least", "value": "1",
    }, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "org_unit"


def test_it_describes_the_targets_routes_in_the_openapi_schema(as_role, world):
    paths = as_role("viewer").get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/targets/sets", "/api/v1/targets/sets/{set_id}/targets",
            "/api/v1/targets/targets/{target_id}/allocation"} <= set(paths)


def test_it_gives_values_as_plain_numbers_with_how_they_read(as_role, world):
    body = as_role("viewer").get(f"{API}/targets/{world.province_target.pk}").json()
    assert (body["value"], body["reads"]) == (1000, "1.000")  # Vietnamese by default
