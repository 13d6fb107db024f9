from decimal import Decimal as D

import pytest

from tiendo.data.models import DataValue, Submission
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.data.submissions import submission_submit
from tiendo.lib.periods import parse_period
from tiendo.testing import EnglishClient

pytestmark = pytest.mark.django_db
OCTOBER = parse_period("202610")


@pytest.fixture
def submitted(world):
    datavalues_save(values=[ValueInput(element=world.elements["jobs_created"],
                                       org_unit=world.commune, period=OCTOBER, value=D(28))],
                    actor="officer")
    return submission_submit(data_set=world.data_set, org_unit=world.commune, period=OCTOBER,
                             actor="officer")


def _decide(client, submission, decision, reason=""):
    return client.post("/approval/decide/", {"id": submission.pk, "decision": decision,
                                             "version": submission.version, "reason": reason})


def test_the_specialist_sees_the_submitted_report_and_approves_it(client, world, submitted):
    client.force_login(world.users["specialist"])
    assert "Phường Tân Ninh" in client.get("/approval/").content.decode()
    _decide(client, submitted, "approve")
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.APPROVED
    assert submitted.decided_by == world.users["specialist"]
    assert DataValue.objects.get().status == DataValue.Status.APPROVED


def test_returning_without_a_reason_is_refused(client, world, submitted):
    client.force_login(world.users["specialist"])
    response = _decide(client, submitted, "return")
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED
    page = client.get(response["Location"]).content.decode()
    assert "a reason is required" in page


def test_a_returned_report_shows_its_reason_to_the_officer(client, world, submitted):
    specialist = EnglishClient()
    specialist.force_login(world.users["specialist"])
    _decide(specialist, submitted, "return", "Thiếu danh sách")
    client.force_login(world.users["officer"])
    page = client.get(f"/entry/?unit={world.commune.pk}&set=monthly&period=202610")
    assert "Thiếu danh sách" in page.content.decode()


def test_an_officer_sees_the_queue_but_cannot_decide(client, world, submitted):
    client.force_login(world.users["officer"])
    assert 'value="approve"' not in client.get("/approval/").content.decode()
    assert _decide(client, submitted, "approve").status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED


def test_a_specialist_of_another_province_cannot_find_the_report(client, world, submitted):
    client.force_login(world.users["stranger"])
    assert "Phường Tân Ninh" not in client.get("/approval/").content.decode()
    assert _decide(client, submitted, "approve").status_code == 404


def test_un_approving_needs_a_reason_and_unlocks(client, world, submitted):
    client.force_login(world.users["specialist"])
    _decide(client, submitted, "approve")
    submitted.refresh_from_db()
    _decide(client, submitted, "unapprove", "Rà soát lại")
    submitted.refresh_from_db()
    assert submitted.status == Submission.Status.SUBMITTED
    assert DataValue.objects.get().status == DataValue.Status.SUBMITTED


def test_the_submitter_is_told_someone_else_must_approve(client, world):
    datavalues_save(values=[ValueInput(element=world.elements["jobs_created"],
                                       org_unit=world.commune, period=OCTOBER, value=D(28))],
                    actor="specialist")
    own = submission_submit(data_set=world.data_set, org_unit=world.commune, period=OCTOBER,
                            actor="specialist", user=world.users["specialist"])
    client.force_login(world.users["specialist"])
    page = client.get(_decide(client, own, "approve")["Location"]).content.decode()
    assert "someone else at the approving level must approve it" in page
    own.refresh_from_db()
    assert own.status == Submission.Status.SUBMITTED


def test_after_a_decision_it_goes_back_only_to_one_of_our_pages(client, world, submitted):
    client.force_login(world.users["specialist"])
    response = client.post("/approval/decide/", {
        "id": submitted.pk, "decision": "approve", "version": submitted.version,
        "next": "https://evil.example/phish"})
    assert response["Location"].endswith("/approval/")
    assert "evil" not in response["Location"]
    response = client.post("/approval/decide/", {
        "id": submitted.pk, "decision": "unapprove", "reason": "sửa",
        "version": submitted.version + 1, "next": "/approval/?status=all"})
    assert response["Location"] == "/approval/?status=all"
