"""A NUL or another control character in a target's text is refused with its field, on every
database, and the target stays as it was."""

import pytest

from tiendo.errors import InvalidInput
from tiendo.plans.services import target_set_get_or_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["note", "follow_up_person"])
def test_the_api_refuses_a_nul_in_a_target_text(as_role, world, field):
    before = (world.province_target.note, world.province_target.follow_up_person)
    response = as_role("specialist").put(
        f"/api/v1/targets/targets/{world.province_target.pk}",
        {"comparison": "at_least", "value": "1100", field: "Nguyễn\x00Văn A"},
        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == field
    world.province_target.refresh_from_db()
    assert world.province_target.value == 1000
    assert (world.province_target.note, world.province_target.follow_up_person) == before


def test_a_target_set_name_with_a_control_character_is_refused(world):
    with pytest.raises(InvalidInput) as error:
        target_set_get_or_create(name="KH\x08 2027", actor="test")
    assert error.value.problems[0].field == "target_set"
