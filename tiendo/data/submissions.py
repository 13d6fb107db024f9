"""Submission and approval of a unit's report (a data set for a period): services.

Submitting marks the report's values submitted; the level above approves (values locked) or
returns it with a reason (values back to draft). Un-approving needs a reason too. Every step
is one transaction with an audit record; faces check who may do it (tiendo.accounts.access).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.selectors import reviewers_of
from tiendo.audit.services import Actor, Change, audit_record, audit_records
from tiendo.data.models import DataValue, Submission
from tiendo.data.services import EntryInput, SaveResult, datavalues_enter
from tiendo.errors import Conflict, Forbidden, InvalidInput, Locked, Problem
from tiendo.indicators.models import DataSet
from tiendo.lib.periods import Period
from tiendo.org.models import OrgUnit

ENTITY = "submission"


def _snapshot(submission: Submission) -> dict:
    return {"status": submission.status, "reason": submission.reason,
            "version": submission.version}


def _key(submission: Submission) -> str:
    return f"{submission.data_set.code} {submission.org_unit.code} {submission.period}"


def submission_values(submission: Submission):
    """The stored values a submission covers: its set's elements, its unit, its period."""
    return DataValue.objects.filter(
        data_element__in=submission.data_set.elements.all(),
        org_unit=submission.org_unit,
        period=submission.period,
    )


def submission_get(*, data_set: DataSet, org_unit: OrgUnit, period: Period) -> Submission:
    """The submission for the cell, unsaved (draft) when nothing was submitted yet."""
    found = Submission.objects.filter(
        data_set=data_set, org_unit=org_unit, period=period.code
    ).first()
    return found or Submission(data_set=data_set, org_unit=org_unit, period=period.code)


def _change(
    submission: Submission, *, to: str, user, actor: str, reason: str,
    expected_version: int | None, values_to: str, by_unit: bool = False,
) -> Submission:
    if expected_version is not None and submission.pk and expected_version != submission.version:
        raise Conflict(
            _("someone else changed this report meanwhile (version %(now)s, you had %(had)s)")
            % {"now": submission.version, "had": expected_version}
        )
    old = _snapshot(submission) if submission.pk else None
    now = timezone.now()
    submission.status = to
    submission.reason = reason
    if by_unit:
        submission.submitted_at, submission.submitted_by = now, user
        submission.first_submitted_at = submission.first_submitted_at or now
    else:
        submission.decided_at, submission.decided_by = now, user
    if submission.pk:
        submission.version += 1
    submission.save()
    rows = list(
        submission_values(submission).exclude(status=values_to)
        .select_related("data_element").select_for_update()
    )
    changes = []
    for row in rows:
        row_old = {"status": row.status, "version": row.version}
        row.status = values_to
        row.version += 1
        part = f"[{row.part}]" if row.part else ""
        changes.append(Change(
            entity_id=row.pk,
            key=f"{row.data_element.code}{part} {submission.org_unit.code} {row.period}",
            old=row_old, new={"status": row.status, "version": row.version},
        ))
    DataValue.objects.bulk_update(rows, ["status", "version"])
    who = Actor(name=actor, user=user)
    audit_records(actor=who, action="status", entity="datavalue", changes=changes,
                  reason=reason)
    audit_record(actor=who, action=to, entity=ENTITY, entity_id=submission.pk,
                 key=_key(submission), old=old, new=_snapshot(submission), reason=reason)
    return submission


def _locked_for_update(data_set: DataSet, org_unit: OrgUnit, period: Period) -> Submission:
    found = (
        Submission.objects.select_for_update()
        .filter(data_set=data_set, org_unit=org_unit, period=period.code)
        .first()
    )
    return found or Submission(data_set=data_set, org_unit=org_unit, period=period.code)


def _reason_required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput([Problem(_("a reason is required"), field="reason")])
    return reason


def submission_submit(
    *, data_set: DataSet, org_unit: OrgUnit, period: Period, actor: str, user=None,
    expected_version: int | None = None,
) -> Submission:
    """Send the unit's report upwards; its values become submitted (still editable by the
    unit until approved: an edit after submission keeps them submitted)."""
    with transaction.atomic():
        submission = _locked_for_update(data_set, org_unit, period)
        if submission.status == Submission.Status.APPROVED:
            raise Locked(_("the report is approved; it must be un-approved first"))
        if not submission_values(submission).exists():
            raise InvalidInput([Problem(_("there is nothing to submit: no value is entered"))])
        return _change(
            submission, to=Submission.Status.SUBMITTED, user=user, actor=actor, reason="",
            expected_version=expected_version, values_to=DataValue.Status.SUBMITTED,
            by_unit=True,
        )


def _self_approval_refused(submission: Submission, user) -> None:
    """Separation of duties: the submitter does not approve their own report, unless they
    are the unit's only reviewer and TIENDO_SELF_APPROVAL_WHEN_ALONE allows it."""
    if user is None or submission.submitted_by_id is None or submission.submitted_by_id != user.pk:
        return
    if settings.TIENDO_SELF_APPROVAL_WHEN_ALONE and not (
        reviewers_of(submission.org_unit).exclude(user=user).exists()
    ):
        return
    raise Forbidden(_("you submitted this report; someone else at the approving level must "
                      "approve it"))


def submission_approve(
    *, data_set: DataSet, org_unit: OrgUnit, period: Period, actor: str, user=None,
    expected_version: int | None = None,
) -> Submission:
    """Approve a submitted report: its values are locked."""
    with transaction.atomic():
        submission = _locked_for_update(data_set, org_unit, period)
        if submission.status != Submission.Status.SUBMITTED:
            raise InvalidInput([Problem(_("only a submitted report can be approved"))])
        _self_approval_refused(submission, user)
        return _change(
            submission, to=Submission.Status.APPROVED, user=user, actor=actor, reason="",
            expected_version=expected_version, values_to=DataValue.Status.APPROVED,
        )


def submission_return(
    *, data_set: DataSet, org_unit: OrgUnit, period: Period, reason: str, actor: str,
    user=None, expected_version: int | None = None,
) -> Submission:
    """Send a submitted report back to the unit with a reason; its values become drafts."""
    reason = _reason_required(reason)
    with transaction.atomic():
        submission = _locked_for_update(data_set, org_unit, period)
        if submission.status != Submission.Status.SUBMITTED:
            raise InvalidInput([Problem(_("only a submitted report can be returned"))])
        return _change(
            submission, to=Submission.Status.RETURNED, user=user, actor=actor, reason=reason,
            expected_version=expected_version, values_to=DataValue.Status.DRAFT,
        )


def submission_unapprove(
    *, data_set: DataSet, org_unit: OrgUnit, period: Period, reason: str, actor: str,
    user=None, expected_version: int | None = None,
) -> Submission:
    """Unlock an approved report (back to submitted) with a reason, so it can be corrected."""
    reason = _reason_required(reason)
    with transaction.atomic():
        submission = _locked_for_update(data_set, org_unit, period)
        if submission.status != Submission.Status.APPROVED:
            raise InvalidInput([Problem(_("only an approved report can be un-approved"))])
        return _change(
            submission, to=Submission.Status.SUBMITTED, user=user, actor=actor, reason=reason,
            expected_version=expected_version, values_to=DataValue.Status.SUBMITTED,
        )


def report_enter(
    *, data_set: DataSet, org_unit: OrgUnit, period: Period, entries: list[EntryInput],
    submit: bool, actor: str, user=None,
) -> SaveResult:
    """What a person typed into a report, stored and, with `submit`, sent for approval: both
    or neither (a report that cannot be submitted keeps none of the typed values)."""
    with transaction.atomic():
        result = datavalues_enter(org_unit=org_unit, period=period, entries=entries,
                                  actor=actor, user=user)
        if submit:
            submission_submit(data_set=data_set, org_unit=org_unit, period=period, actor=actor,
                              user=user)
        return result
