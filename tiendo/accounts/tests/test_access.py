import datetime
from decimal import Decimal

import pytest

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.accounts.services import user_with_membership
from tiendo.errors import Forbidden, NotFound
from tiendo.org.services import orgunit_create, orgunit_link_successor

pytestmark = pytest.mark.django_db


def test_an_officer_reads_and_enters_for_their_unit_but_never_approves(world):
    scope = user_scope(world.users["officer"])
    assert scope.can_read(world.commune) and scope.can_enter(world.commune)
    assert not scope.can_approve(world.commune)
    assert not scope.can_plan(world.commune)


def test_an_officer_does_not_see_the_unit_above_nor_a_sibling(world):
    scope = user_scope(world.users["officer"])
    assert not scope.can_read(world.province)
    assert not scope.can_read(world.sibling)


def test_a_specialist_does_everything_below_their_province_and_nothing_outside(world):
    scope = user_scope(world.users["specialist"])
    for action in Action:
        assert scope.can(action, world.commune)
        assert not scope.can(action, world.other_province)


def test_a_viewer_only_reads(world):
    scope = user_scope(world.users["viewer"])
    assert scope.can_read(world.commune)
    assert not any(scope.can(a, world.commune) for a in (Action.ENTER, Action.APPROVE,
                                                         Action.PLAN))


def test_an_admin_does_everything_everywhere(world):
    scope = user_scope(world.users["admin"])
    assert all(scope.can(a, world.other_province) for a in Action)


def test_a_user_without_membership_sees_nothing(world, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    scope = user_scope(user)
    assert not scope.can_read(world.vn)
    assert list(scope.units()) == []


def test_a_unit_outside_the_scope_is_not_found_like_a_missing_id(world):
    with pytest.raises(NotFound):
        orgunit_for(world.users["officer"], world.sibling.pk)
    with pytest.raises(NotFound):
        orgunit_for(world.users["officer"], 10**9)
    with pytest.raises(NotFound):
        orgunit_for(world.users["officer"], "not-a-number")


def test_a_visible_unit_without_the_right_is_forbidden(world):
    with pytest.raises(Forbidden):
        orgunit_for(world.users["viewer"], world.commune.pk, Action.ENTER)


def test_the_scope_includes_what_the_unit_replaced_in_the_reorganisation(world):
    legacy = orgunit_create(code="72", name="Tây Ninh (cũ)", kind="province", parent=world.vn)
    district = orgunit_create(code="703", name="TP. Tây Ninh", kind="district", parent=legacy)
    orgunit_link_successor(predecessor=legacy, successor=world.province, share=Decimal(1),
                           effective=datetime.date(2025, 7, 1))
    user = user_with_membership(username="lead", password="x", role="viewer",
                                org_unit=world.province, actor="test")
    assert user_scope(user).can_read(district)


def test_the_unit_filter_selects_exactly_the_scope(world):
    scope = user_scope(world.users["specialist"])
    codes = set(scope.units().values_list("code", flat=True))
    assert codes == {"80", "25459", "25480"}
