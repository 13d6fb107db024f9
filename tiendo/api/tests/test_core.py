import json

import pytest
from django.test import Client

from tiendo.data.models import DataValue, Submission

pytestmark = pytest.mark.django_db


def _client(world, role):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.users[role])
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _report(world, values, submit=False):
    return {"unit": world.commune.pk, "data_set": "monthly", "period": "202610",
            "values": values, "submit": submit}


def test_it_stores_a_report_and_submits_it(world):
    client = _client(world, "officer")
    response = _post(client, "/api/v1/reports", _report(
        world, [{"element": "jobs_created", "value": "30"}], submit=True))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    jobs = next(v for v in body["values"] if v["element"] == "jobs_created" and not v["part"])
    assert float(jobs["value"]) == 30 and jobs["version"] >= 1


def test_a_stale_version_gets_422_with_the_problem_and_changes_nothing(world):
    client = _client(world, "officer")
    _post(client, "/api/v1/reports", _report(world, [{"element": "jobs_created", "value": 30}]))
    response = _post(client, "/api/v1/reports",
                     _report(world, [{"element": "jobs_created", "value": 31, "version": 0}]))
    assert response.status_code == 422
    assert "meanwhile" in response.json()["problems"][0]["message"]
    assert DataValue.objects.get().value == 30


def test_parts_that_do_not_add_up_are_refused(world):
    response = _post(_client(world, "officer"), "/api/v1/reports", _report(world, [
        {"element": "overseas_workers", "value": 10},
        {"element": "overseas_workers", "part": "JP", "value": 4},
    ]))
    assert response.status_code == 422
    assert not DataValue.objects.exists()


def test_the_specialist_approves_through_the_api(world):
    _post(_client(world, "officer"), "/api/v1/reports",
          _report(world, [{"element": "jobs_created", "value": 30}], submit=True))
    client = _client(world, "specialist")
    submission = client.get("/api/v1/submissions", {"status": "submitted"}).json()[0]
    response = _post(client, f"/api/v1/submissions/{submission['id']}/decision",
                     {"decision": "approve", "version": submission["version"]})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert Submission.objects.get().status == "approved"


def test_returning_without_a_reason_is_refused(world):
    _post(_client(world, "officer"), "/api/v1/reports",
          _report(world, [{"element": "jobs_created", "value": 30}], submit=True))
    client = _client(world, "specialist")
    submission = client.get("/api/v1/submissions").json()[0]
    response = _post(client, f"/api/v1/submissions/{submission['id']}/decision",
                     {"decision": "return"})
    assert response.status_code == 422


def test_the_openapi_document_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/dashboard" in schema["paths"]


def test_an_unknown_element_is_named_in_the_problem(world):
    response = _post(_client(world, "officer"), "/api/v1/reports",
                     _report(world, [{"element": "nope", "value": 1}]))
    assert response.status_code == 422
    assert response.json()["problems"][0]["value"] == "nope"


def test_it_answers_in_vietnamese_by_default(world):
    client = Client()
    client.force_login(world.users["officer"])
    response = _post(client, "/api/v1/reports", _report(world, [{"element": "nope", "value": 1}]))
    assert response.json()["problems"][0]["message"] == "không thuộc biểu mẫu này"


def test_the_submitter_cannot_approve_their_own_report_through_the_api(world):
    client = _client(world, "specialist")
    _post(client, "/api/v1/reports",
          _report(world, [{"element": "jobs_created", "value": 30}], submit=True))
    submission = client.get("/api/v1/submissions", {"status": "submitted"}).json()[0]
    response = _post(client, f"/api/v1/submissions/{submission['id']}/decision",
                     {"decision": "approve", "version": submission["version"]})
    assert response.status_code == 403
    assert "someone else at the approving level" in response.content.decode()
    assert Submission.objects.get().status == "submitted"
