"""A NUL or another control character in a comment is refused with its place, on every
database (PostgreSQL cannot store NUL at all), and nothing is stored."""

import json

import pytest

from tiendo.data.models import DataValue
from tiendo.testing import EnglishClient

pytestmark = pytest.mark.django_db
PERIOD = "202610"


def _api(world, comment: str):
    client = EnglishClient()
    client.force_login(world.users["officer"])
    return client.post("/api/v1/reports", json.dumps({
        "unit": world.commune.pk, "data_set": "monthly", "period": PERIOD,
        "values": [{"element": "jobs_created", "value": 30, "comment": comment}]}),
        content_type="application/json")


@pytest.mark.parametrize("comment", ["ước\x00tính", "\x1b[31m", "a\x7fb"])
def test_the_api_refuses_a_control_character_in_a_comment(world, comment):
    response = _api(world, comment)
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert "ký tự điều khiển" in problem["message"]  # the API answers in Vietnamese
    assert problem["field"] == "comment"
    assert not DataValue.objects.exists()


def test_tabs_and_new_lines_stay_allowed_in_a_comment(world):
    assert _api(world, "dòng 1\r\n\tdòng 2").status_code == 200
    assert DataValue.objects.get().comment == "dòng 1\r\n\tdòng 2"


def test_the_entry_page_shows_the_problem_beside_the_value(client, world):
    client.force_login(world.users["officer"])
    key = f"{world.elements['jobs_created'].pk}-total"
    response = client.post(
        f"/entry/?unit={world.commune.pk}&set=monthly&period={PERIOD}",
        {"action": "save", f"value-{key}": "30", f"version-{key}": "0",
         f"comment-{key}": "ghi chú\x00"})
    assert "control character (code 0)" in response.content.decode()
    assert not DataValue.objects.exists()
