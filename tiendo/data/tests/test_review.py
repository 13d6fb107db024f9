"""Reviewing before approval: figures against last period and last year, the read-only
review page, approving many reports in one audited action, the returned report told."""

from decimal import Decimal as D

import pytest

from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue, Submission
from tiendo.data.review import review_figures, submissions_approve_many
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.data.submissions import submission_submit
from tiendo.errors import InvalidInput
from tiendo.lib.periods import parse_period
from tiendo.testing import EnglishClient

pytestmark = pytest.mark.django_db


def _report(world, unit, values: dict[str, int], actor="officer"):
    for code, value in values.items():
        period, number = code.split(":")[0], value
        datavalues_save(values=[ValueInput(element=world.elements["jobs_created"], org_unit=unit,
                                           period=parse_period(period), value=D(number))],
                        actor=actor)
    return submission_submit(data_set=world.data_set, org_unit=unit,
                             period=parse_period("202610"), actor=actor)


def test_the_figures_stand_beside_last_period_and_last_year_with_big_jumps_flagged(world):
    submission = _report(world, world.commune, {"202510": 20, "202609": 28, "202610": 90})
    jobs = next(f for f in review_figures([submission])[submission.pk]
                if f.element.code == "jobs_created")
    assert (jobs.value, jobs.previous, jobs.last_year) == (D(90), D(28), D(20))
    assert jobs.previous_jump == D(62) / D(28) * 100 and jobs.last_year_jump == D(350)
    small = _report(world, world.sibling, {"202609": 28, "202610": 30})
    assert not next(f for f in review_figures([small])[small.pk]
                    if f.element.code == "jobs_created").flagged


def test_the_list_shows_the_figures_and_opens_a_read_only_review(world):
    submission = _report(world, world.commune, {"202609": 28, "202610": 90})
    client = EnglishClient()
    client.force_login(world.users["specialist"])
    page = client.get("/en/approval/").content.decode()
    assert "90" in page and "last period 28" in page and "+221.43%" in page
    assert f"/approval/{submission.pk}/" in page and "/entry/" not in page.split("<main>")[1]
    review = client.get(f"/en/approval/{submission.pk}/").content.decode()
    assert "<input" not in review.split("<table")[1].split("</table>")[0]
    assert "Approve" in review and "Return" in review and "data-confirm" in review


def test_many_reports_are_approved_in_one_audited_action(world):
    first = _report(world, world.commune, {"202610": 10})
    second = _report(world, world.sibling, {"202610": 12})
    approved = submissions_approve_many(user=world.users["specialist"],
                                        ids=[first.pk, second.pk])
    assert {s.status for s in approved} == {Submission.Status.APPROVED}
    assert set(DataValue.objects.values_list("status", flat=True)) == {"approved"}
    record = AuditRecord.objects.get(action="approve_many")
    assert record.new == {"approved": [first.pk, second.pk]}
    assert AuditRecord.objects.filter(entity="submission", action="approved").count() == 2


def test_bulk_approval_is_all_or_nothing(world):
    first = _report(world, world.commune, {"202610": 10})
    own = _report(world, world.sibling, {"202610": 12}, actor="specialist")
    own.submitted_by = world.users["specialist"]
    own.save()
    with pytest.raises(InvalidInput) as raised:
        submissions_approve_many(user=world.users["specialist"], ids=[first.pk, own.pk])
    assert "Phường Bình Minh" in str(raised.value)
    assert not Submission.objects.filter(status="approved").exists()


def test_the_bulk_page_action_approves_the_ticked_reports(world):
    first = _report(world, world.commune, {"202610": 10})
    second = _report(world, world.sibling, {"202610": 12})
    client = EnglishClient()
    client.force_login(world.users["specialist"])
    response = client.post("/en/approval/approve/", {
        "id": [first.pk, second.pk], f"version-{first.pk}": first.version,
        f"version-{second.pk}": second.version, "next": "/en/approval/"}, follow=True)
    assert "Approved 2 reports." in response.content.decode()


def test_a_ticked_report_without_the_version_seen_is_not_approved(world):
    first = _report(world, world.commune, {"202610": 10})
    second = _report(world, world.sibling, {"202610": 12})
    client = EnglishClient()
    client.force_login(world.users["specialist"])
    response = client.post("/en/approval/approve/", {
        "id": [first.pk, second.pk], f"version-{first.pk}": first.version,
        f"version-{second.pk}": "x", "next": "/en/approval/"}, follow=True)
    assert "Nothing was approved" in response.content.decode()
    assert not Submission.objects.filter(pk__in=[first.pk, second.pk],
                                         status="approved").exists()


def test_a_returned_report_is_announced_to_its_unit_on_its_next_visit(world):
    submission = _report(world, world.commune, {"202610": 10})
    specialist = EnglishClient()
    specialist.force_login(world.users["specialist"])
    specialist.post("/en/approval/decide/", {"id": submission.pk, "decision": "return",
                                             "version": submission.version,
                                             "reason": "thiếu số liệu tháng 10"})
    officer = EnglishClient()
    officer.force_login(world.users["officer"])
    page = officer.get("/en/").content.decode()
    assert "was returned to you" in page and "thiếu số liệu tháng 10" in page
    assert "Phường Bình Minh" not in page
