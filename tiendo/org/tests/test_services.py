import datetime
from decimal import Decimal

import pytest

from tiendo.audit.models import AuditRecord
from tiendo.errors import InvalidInput
from tiendo.org.models import OrgUnit, OrgUnitSuccessor
from tiendo.org.services import (
    orgunit_create,
    orgunit_link_successor,
    orgunit_move,
    orgunit_update,
)

Kind = OrgUnit.Kind
JULY_1 = datetime.date(2025, 7, 1)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # the whole map, loaded once for org


@pytest.fixture
def root() -> OrgUnit:
    return orgunit_create(code="SO-NV", name="Sở Nội vụ", kind=Kind.AGENCY)


@pytest.fixture
def child(root) -> OrgUnit:
    return orgunit_create(code="SO-NV-P1", name="Phòng Lao động", kind=Kind.AGENCY, parent=root)


def test_it_gives_a_root_the_path_of_its_own_id(root):
    assert (root.path, root.depth) == (f"/{root.pk}/", 0)


def test_it_gives_a_child_its_parents_path_plus_its_id(root, child):
    assert (child.path, child.depth) == (f"{root.path}{child.pk}/", 1)


def test_it_refuses_a_unit_that_ends_before_it_starts():
    with pytest.raises(InvalidInput):
        orgunit_create(
            code="X",
            name="X",
            kind=Kind.AGENCY,
            valid_from=datetime.date(2025, 1, 1),
            valid_to=datetime.date(2024, 1, 1),
        )


def test_it_refuses_an_unknown_kind():
    with pytest.raises(InvalidInput):
        orgunit_create(code="X", name="X", kind="ministry")


def test_it_audits_a_created_unit(root):
    assert AuditRecord.objects.filter(entity="orgunit", entity_id=root.pk, action="create").exists()


def test_it_moves_a_unit_with_its_subtree(root, child):
    grandchild = orgunit_create(code="G", name="Tổ", kind=Kind.AGENCY, parent=child)
    other = orgunit_create(code="SO-YT", name="Sở Y tế", kind=Kind.AGENCY)
    orgunit_move(unit=child, parent=other)
    grandchild.refresh_from_db()
    assert (grandchild.path, grandchild.depth) == (f"/{other.pk}/{child.pk}/{grandchild.pk}/", 2)


def test_it_moves_a_unit_to_the_top(root, child):
    orgunit_move(unit=child, parent=None)
    assert (child.parent_id, child.path, child.depth) == (None, f"/{child.pk}/", 0)


def test_it_refuses_to_move_a_unit_under_its_descendant(root, child):
    with pytest.raises(InvalidInput):
        orgunit_move(unit=root, parent=child)


def test_it_updates_a_name_with_an_audit_record(root):
    root.name = "Sở Nội vụ tỉnh"
    orgunit_update(unit=root)
    assert AuditRecord.objects.filter(entity_id=root.pk, action="update").get().new["name"] == (
        "Sở Nội vụ tỉnh"
    )


def test_it_links_a_successor(root, child):
    link = orgunit_link_successor(
        predecessor=child, successor=root, share=Decimal("0.5"), effective=JULY_1
    )
    assert OrgUnitSuccessor.objects.get(pk=link.pk).share == Decimal("0.5")


def test_it_updates_the_share_when_linking_the_same_pair_again(root, child):
    orgunit_link_successor(
        predecessor=child, successor=root, share=Decimal("0.5"), effective=JULY_1
    )
    orgunit_link_successor(predecessor=child, successor=root, share=Decimal(1), effective=JULY_1)
    assert OrgUnitSuccessor.objects.get(predecessor=child).share == Decimal(1)


@pytest.mark.parametrize("share", [Decimal(0), Decimal("1.5"), Decimal("0.1234567")])
def test_it_refuses_a_share_outside_0_to_1_or_too_precise(root, child, share):
    with pytest.raises(InvalidInput):
        orgunit_link_successor(predecessor=child, successor=root, share=share, effective=JULY_1)


def test_it_refuses_a_unit_succeeding_itself(root):
    with pytest.raises(InvalidInput):
        orgunit_link_successor(predecessor=root, successor=root, share=Decimal(1), effective=JULY_1)
