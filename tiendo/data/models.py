from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.indicators.models import DataElement, DataSet
from tiendo.org.models import OrgUnit


class DataValue(models.Model):
    """One number: data element × disaggregation part × org unit × period.

    `part` is the disaggregation part's code, '' for the total. The period is kept as its
    code plus its dates so that range queries need no join.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")

    # No index of their own for the two keys: the unique constraint and datavalue_range
    # start with the data element, datavalue_unit_cover with the unit. Each index is written
    # for every value of a large upload.
    # On PostgreSQL the element and the unit are checked per statement by triggers instead
    # of these foreign keys' constraints (migration 0013, docs/data-model.md).
    data_element = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, related_name="values",
        verbose_name=_("data element"), db_index=False,
    )
    part = models.CharField(_("disaggregation part"), max_length=32, blank=True, default="")
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="values", verbose_name=_("unit"),
        db_index=False,
    )
    period = models.CharField(_("period"), max_length=16)
    period_type = models.CharField(_("period type"), max_length=10)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    estimate = models.BooleanField(_("estimate"), default=False)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # No index: values are never looked up by who saved them (deleting a user, which
    # clears this, may scan the table). No foreign key in the database either, as for
    # AuditRecord.user, on PostgreSQL: its check ran once per value at commit (a
    # million-value import spent 3 s of its 39 on it); values are written only by the
    # services, with the signed-in user, and Django clears it when a user is deleted.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("updated by"), db_index=False, db_constraint=False,
    )
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(
                fields=["data_element", "part", "org_unit", "period"], name="datavalue_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["data_element", "period_start", "period_end"], name="datavalue_range"
            ),
            # Covering: the engine's group query over a province's units reads the index
            # alone (no visit to the table), on both databases.
            models.Index(
                fields=["org_unit", "period_start", "data_element", "part", "period_type",
                        "period_end", "value", "estimate"],
                name="datavalue_unit_cover",
            ),
        ]

    def __str__(self) -> str:
        part = f"/{self.part}" if self.part else ""
        return f"{self.data_element_id}{part} {self.org_unit_id} {self.period} = {self.value}"


class Submission(models.Model):
    """A unit's report of one data set for one period, and where it stands in approval.

    Submitting marks the values of the set submitted; approving locks them; returning sends
    them back to draft with a reason. `first_submitted_at` decides whether the report was
    on time, `submitted_at` is the latest submission (after a return).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    data_set = models.ForeignKey(
        DataSet, on_delete=models.PROTECT, related_name="submissions",
        verbose_name=_("data set"),
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=16)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("decided by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "org_unit", "period"], name="submission_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_set_id} {self.org_unit_id} {self.period} {self.status}"


class DraftText(models.Model):
    """What a person typed into a cell of a draft that is not (yet) a valid value ("1a", a
    rate of 150): kept as text, never as a value, until they correct it. Submitting needs
    a form without any; a stored value of the cell, if any, stays as it was."""

    data_element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("data element"))
    part = models.CharField(_("disaggregation part"), max_length=32, blank=True, default="")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("unit"))
    period = models.CharField(_("period"), max_length=16)
    text = models.CharField(_("text typed"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("draft text")
        verbose_name_plural = _("draft texts")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "period", "data_element", "part"],
                                    name="drafttext_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.data_element_id}[{self.part}] {self.org_unit_id} {self.period}: {self.text}"
# The aggregates kept beside the values (their own module, registered with this app).
from tiendo.data.aggregates import (  # noqa: E402, F401
    AggregateCell,
    AggregateOwnYear,
    AggregateReporters,
    AggregateValue,
    AggregateYear,
)
