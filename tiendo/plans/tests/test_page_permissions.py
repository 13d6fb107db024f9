"""Who may read and who may write on every targets page: admin, specialist of the province,
officer of a district in it, viewer of the province, officer of a sibling province,
anonymous. Outside the scope the answer is the same 404 as for an id that does not exist."""

from decimal import Decimal

import pytest

from tiendo.plans.models import Target, TargetSet
from tiendo.plans.tests.conftest import ROLES

pytestmark = pytest.mark.django_db

READ = {"admin": 200, "specialist": 200, "officer_below": 200, "viewer": 200,
        "officer_sibling": 404, "anonymous": "login"}
# Writing a set of the province: only who may plan the province.
WRITE = {"admin": 200, "specialist": 200, "officer_below": 403, "viewer": 403,
         "officer_sibling": 404, "anonymous": "login"}
CREATE = {"admin": 200, "specialist": 200, "officer_below": 403, "viewer": 403,
          "officer_sibling": 403, "anonymous": "login"}


def _status(response) -> int | str:
    """The status, or "login" for a redirect to the login page."""
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


def _ok_after_post(expected: int | str) -> int | str:
    return 302 if expected == 200 else expected


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_target_sets_only_within_scope(as_role, world, role):
    response = as_role(role).get("/targets/")
    if role == "anonymous":
        assert _status(response) == "login"
        return
    assert response.status_code == 200
    assert (world.target_set.name in response.content.decode()) == (role != "officer_sibling")


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_a_set_to_its_readers(as_role, world, role):
    response = as_role(role).get(f"/targets/{world.target_set.pk}/")
    assert _status(response) == READ[role]


@pytest.mark.parametrize("role", ["officer_below"])
def test_it_shows_an_officer_only_the_targets_of_their_units(as_role, world, role):
    rows = as_role(role).get(f"/targets/{world.target_set.pk}/").context["rows"]
    assert [row["target"] for row in rows] == [world.district_target]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_open_the_new_set_page(as_role, role):
    assert _status(as_role(role).get("/targets/new/")) == CREATE[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_create_a_set(as_role, world, role):
    response = as_role(role).post("/targets/new/", {
        "name": "QĐ giao 2027", "kind": "assigned", "scope": world.province.pk,
        "period": "2027", "document_symbol": "12/QĐ-UBND", "document_kind": "decision",
    })
    assert _status(response) == _ok_after_post(CREATE[role])
    assert TargetSet.objects.filter(name="QĐ giao 2027").exists() == (CREATE[role] == 200)


def _target_post(world, value="1200"):
    return {"indicator": world.province_target.indicator_id, "org_unit": "761",
            "period": "2026", "comparison": "at_least", "value": value}


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_of_the_set_open_the_add_page(as_role, world, role):
    response = as_role(role).get(f"/targets/{world.target_set.pk}/add/")
    assert _status(response) == WRITE[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_of_the_set_add_a_target(as_role, world, role):
    response = as_role(role).post(f"/targets/{world.target_set.pk}/add/", _target_post(world))
    assert _status(response) == _ok_after_post(WRITE[role])
    added = Target.objects.filter(org_unit=world.other_district).exists()
    assert added == (WRITE[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_edit_a_target(as_role, world, role):
    url = f"/targets/{world.target_set.pk}/{world.province_target.pk}/edit/"
    client = as_role(role)
    assert _status(client.get(url)) == WRITE[role]
    post = dict(_target_post(world), org_unit="79")
    assert _status(client.post(url, post)) == _ok_after_post(WRITE[role])
    world.province_target.refresh_from_db()
    assert (world.province_target.value == Decimal(1200)) == (WRITE[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_delete_a_target(as_role, world, role):
    url = f"/targets/{world.target_set.pk}/{world.province_target.pk}/delete/"
    client = as_role(role)
    assert _status(client.get(url)) == WRITE[role]
    assert _status(client.post(url)) == _ok_after_post(WRITE[role])
    gone = not Target.objects.filter(pk=world.province_target.pk).exists()
    assert gone == (WRITE[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_planners_allocate_a_target(as_role, world, role):
    url = f"/targets/{world.target_set.pk}/{world.province_target.pk}/allocate/"
    client = as_role(role)
    assert _status(client.get(url)) == WRITE[role]
    post = {f"unit_{world.district.pk}": "600", f"unit_{world.other_district.pk}": "400"}
    assert _status(client.post(url, post)) == _ok_after_post(WRITE[role])
    allocated = Target.objects.filter(org_unit=world.other_district).exists()
    assert allocated == (WRITE[role] == 200)


def test_it_answers_a_guessed_set_id_like_a_missing_one(as_role, world):
    client = as_role("officer_sibling")
    assert client.get(f"/targets/{world.target_set.pk}/").status_code == 404
    assert client.get("/targets/999999/").status_code == 404


def test_it_does_not_let_a_planner_reach_a_target_through_another_set(as_role, world):
    other = TargetSet.objects.create(name="Khác", scope=world.province, period="2026")
    url = f"/targets/{other.pk}/{world.province_target.pk}/edit/"
    assert as_role("specialist").get(url).status_code == 404


def test_it_refuses_a_district_specialist_a_target_of_the_province_set(client, world):
    from tiendo.accounts.services import user_with_membership

    user = user_with_membership(username="district-specialist", password="x" * 20,
                                role="specialist", org_unit=world.district, actor="test")
    client.force_login(user)
    url = f"/targets/{world.target_set.pk}/{world.district_target.pk}/edit/"
    assert client.get(url).status_code == 403
