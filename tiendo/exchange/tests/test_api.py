"""API: the same rules as the pages, with a bearer token."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tiendo.accounts.services import apitoken_create
from tiendo.data.models import DataValue
from tiendo.exchange.tests.conftest import snapshot, store

pytestmark = pytest.mark.django_db
EVERYONE = ["admin", "specialist", "officer", "commune", "viewer", "sibling", None]
READ_805 = {"admin", "specialist", "officer", "viewer"}
WRITE_805 = {"admin", "specialist", "officer"}


def _headers(people, who) -> dict:
    if who is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {apitoken_create(user=people[who])}"}


def _values_json(number=7) -> bytes:
    return json.dumps({"dataValues": [{"dataElement": "new_jobs", "period": "2024",
                                       "orgUnit": "805", "value": number}]}).encode()


@pytest.mark.parametrize("who", EVERYONE)
def test_it_gives_the_form_to_those_who_may_read(client, people, lao_dong, who):
    response = client.get("/api/v1/exchange/template",
                          {"data_set": "lao_dong", "unit": "805", "period": "2024"},
                          **_headers(people, who))
    assert response.status_code == (401 if who is None else 200 if who in READ_805 else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_it_exports_values_as_adx(client, people, area, who):
    store(area["can_duoc"], "new_jobs", 5)
    response = client.get("/api/v1/exchange/values",
                          {"unit": "805", "period": "2024", "format": "adx"},
                          **_headers(people, who))
    assert response.status_code == (401 if who is None else 200 if who in READ_805 else 404)
    if response.status_code == 200:
        assert b'dataElement="new_jobs"' in b"".join(response.streaming_content)


@pytest.mark.parametrize("who", EVERYONE)
def test_it_stores_uploads_only_for_those_who_may_enter(client, people, area, who):
    headers = _headers(people, who)  # making the token is audited: before the snapshot
    before = snapshot()
    response = client.post("/api/v1/exchange/uploads",
                           {"file": SimpleUploadedFile("v.json", _values_json()),
                            "store": "true"}, **headers)
    if who in WRITE_805:
        assert response.status_code == 200
        assert response.json()["counts"]["created"] == 1 and response.json()["stored"]
        assert DataValue.objects.get().value == 7
        return
    assert response.status_code == {None: 401, "viewer": 403}.get(who, 422)
    assert snapshot() == before


def test_it_checks_without_storing_by_default(client, people, area):
    response = client.post("/api/v1/exchange/uploads",
                           {"file": SimpleUploadedFile("v.json", _values_json())},
                           **_headers(people, "officer"))
    body = response.json()
    assert (body["stored"], body["counts"]["created"], body["changes"][0]["key"]) == (
        False, 1, "new_jobs 805 2024")
    assert not DataValue.objects.exists()


def test_it_answers_problems_with_their_place(client, people, area):
    response = client.post("/api/v1/exchange/uploads",
                           {"file": SimpleUploadedFile("v.json", _values_json("abc")),
                            "store": "true"}, **_headers(people, "officer"))
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "value"
