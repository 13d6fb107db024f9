from decimal import Decimal as D

import pytest

from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue, Submission
from tiendo.data.services import EntryInput, ValueInput, datavalues_enter, datavalues_save
from tiendo.data.submissions import (
    submission_approve,
    submission_return,
    submission_submit,
    submission_unapprove,
)
from tiendo.errors import Conflict, Forbidden, InvalidInput, Locked
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db
OCTOBER = parse_period("202610")


@pytest.fixture
def report(world):
    datavalues_save(values=[ValueInput(element=world.elements["jobs_created"],
                                       org_unit=world.commune, period=OCTOBER, value=D(28))],
                    actor="officer")
    return {"data_set": world.data_set, "org_unit": world.commune, "period": OCTOBER,
            "actor": "test"}


def _value(world):
    return DataValue.objects.get(data_element=world.elements["jobs_created"],
                                 org_unit=world.commune, period="202610")


def test_it_submits_and_marks_the_values_submitted(world, report):
    submission = submission_submit(**report)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.first_submitted_at is not None
    assert _value(world).status == DataValue.Status.SUBMITTED


def test_it_refuses_to_submit_an_empty_report(world):
    with pytest.raises(InvalidInput):
        submission_submit(data_set=world.data_set, org_unit=world.sibling, period=OCTOBER,
                          actor="test")


def test_approval_locks_the_values(world, report):
    submission_submit(**report)
    submission_approve(**report)
    assert _value(world).status == DataValue.Status.APPROVED
    with pytest.raises(InvalidInput, match="approved and locked"):
        datavalues_save(values=[ValueInput(element=world.elements["jobs_created"],
                                           org_unit=world.commune, period=OCTOBER,
                                           value=D(30))], actor="officer")


def test_a_returned_report_goes_back_to_draft_with_its_reason(world, report):
    submission_submit(**report)
    submission = submission_return(**report, reason="Số liệu chưa khớp")
    assert submission.status == Submission.Status.RETURNED
    assert submission.reason == "Số liệu chưa khớp"
    assert _value(world).status == DataValue.Status.DRAFT


def test_returning_needs_a_reason(world, report):
    submission_submit(**report)
    with pytest.raises(InvalidInput):
        submission_return(**report, reason="  ")


def test_resubmitting_keeps_the_first_submission_time(world, report):
    first = submission_submit(**report).first_submitted_at
    submission_return(**report, reason="sửa")
    again = submission_submit(**report)
    assert again.first_submitted_at == first
    assert again.submitted_at >= first


def test_un_approving_unlocks_with_a_reason_and_is_audited(world, report):
    submission_submit(**report)
    submission_approve(**report)
    submission = submission_unapprove(**report, reason="Điều chỉnh theo rà soát")
    assert submission.status == Submission.Status.SUBMITTED
    assert _value(world).status == DataValue.Status.SUBMITTED
    record = AuditRecord.objects.filter(entity="submission").first()
    assert record.reason == "Điều chỉnh theo rà soát"


def test_an_approved_report_cannot_be_submitted_again(world, report):
    submission_submit(**report)
    submission_approve(**report)
    with pytest.raises(Locked):
        submission_submit(**report)


def test_a_decision_on_a_stale_version_is_refused(world, report):
    submission = submission_submit(**report)
    with pytest.raises(Conflict):
        submission_approve(**report, expected_version=submission.version - 1)


def _entry(world, value, seen, line=0):
    return EntryInput(world.elements["jobs_created"], "", value, False, "", seen, line)


def test_an_entry_over_a_value_saved_meanwhile_is_refused(world, report):
    stale = _value(world).version
    datavalues_enter(org_unit=world.commune, period=OCTOBER,
                     entries=[_entry(world, D(30), stale)], actor="first")
    with pytest.raises(InvalidInput, match="meanwhile"):
        datavalues_enter(org_unit=world.commune, period=OCTOBER,
                         entries=[_entry(world, D(31), stale)], actor="second")
    assert _value(world).value == 30


def test_an_entry_cannot_empty_a_stored_value(world, report):
    with pytest.raises(InvalidInput, match="emptied"):
        datavalues_enter(org_unit=world.commune, period=OCTOBER,
                         entries=[_entry(world, None, _value(world).version)], actor="x")
    assert _value(world).value == 28


def _submitted_by_the_specialist(world, report):
    specialist = world.users["specialist"]
    submission_submit(**report, user=specialist)
    return specialist


def test_the_submitter_cannot_approve_their_own_report(world, report):
    specialist = _submitted_by_the_specialist(world, report)
    with pytest.raises(Forbidden, match="you submitted this report"):
        submission_approve(**report, user=specialist)
    assert _value(world).status == DataValue.Status.SUBMITTED


def test_someone_else_at_the_approving_level_approves_it(world, report):
    _submitted_by_the_specialist(world, report)
    submission = submission_approve(**report, user=world.users["admin"])
    assert submission.status == Submission.Status.APPROVED


def test_the_only_reviewer_approves_their_own_report_when_the_setting_allows(
        world, report, settings):
    settings.TIENDO_SELF_APPROVAL_WHEN_ALONE = True
    specialist = _submitted_by_the_specialist(world, report)
    assert submission_approve(**report, user=specialist).status == Submission.Status.APPROVED


def test_the_setting_does_not_help_when_another_reviewer_exists(world, report, settings):
    from tiendo.accounts.services import user_with_membership

    settings.TIENDO_SELF_APPROVAL_WHEN_ALONE = True
    user_with_membership(username="colleague", password=world.PASSWORD, role="specialist",
                         org_unit=world.province, actor="test")
    specialist = _submitted_by_the_specialist(world, report)
    with pytest.raises(Forbidden):
        submission_approve(**report, user=specialist)


def test_a_specialist_of_the_unit_that_replaced_it_counts_as_another_reviewer(
        world, settings):
    import datetime

    from tiendo.accounts.services import user_with_membership
    from tiendo.org.services import orgunit_create, orgunit_link_successor

    settings.TIENDO_SELF_APPROVAL_WHEN_ALONE = True
    old = orgunit_create(code="70", name="Bình Phước", kind="province", parent=world.vn,
                         valid_to=datetime.date(2025, 6, 30))
    orgunit_link_successor(predecessor=old, successor=world.province, share=D(1),
                           effective=datetime.date(2025, 7, 1), actor="test")
    alone = user_with_membership(username="old", password=world.PASSWORD, role="specialist",
                                 org_unit=old, actor="test")
    datavalues_save(values=[ValueInput(element=world.elements["jobs_created"], org_unit=old,
                                       period=parse_period("202506"), value=D(3))],
                    actor="old")
    report = {"data_set": world.data_set, "org_unit": old, "period": parse_period("202506"),
              "actor": "old"}
    submission_submit(**report, user=alone)
    with pytest.raises(Forbidden):  # Tây Ninh's specialist reviews Bình Phước's reports too
        submission_approve(**report, user=alone)
