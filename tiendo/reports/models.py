from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.indicators.models import DataSet
from tiendo.org.models import OrgUnit
from tiendo.plans.models import TargetSet


class ReportingSchedule(models.Model):
    """Which units report which data set for which period type, and when (Decree 09/2019).

    The reporting units are the units of `unit_kind` under `root` (e.g. every commune of a
    province), or the root itself when no kind is given. Cut-off days and the number of
    working days to the deadline are the province's own regime.
    """

    class PeriodType(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")
        SEMESTER = "semester", _("Half-yearly")
        YEAR = "year", _("Yearly")

    name = models.CharField(_("name"), max_length=255)
    data_set = models.ForeignKey(
        DataSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("data set")
    )
    root = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("province or unit")
    )
    unit_kind = models.CharField(
        _("reporting units"), max_length=16, choices=OrgUnit.Kind.choices, blank=True,
        help_text=_("the kind of units under the root that report; empty: the root itself"),
    )
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices)
    cutoff_start_day = models.PositiveSmallIntegerField(_("data from day"), default=15)
    cutoff_end_day = models.PositiveSmallIntegerField(_("cut-off day"), default=14)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("working days to the deadline"), default=2
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cutoff_start_day__gte=1, cutoff_start_day__lte=28)
                & models.Q(cutoff_end_day__gte=1, cutoff_end_day__lte=28),
                name="schedule_cutoff_days",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """A reminder sent to a unit for one period of a schedule; one per (schedule, unit,
    period), so running the reminders again does not e-mail anyone twice."""

    schedule = models.ForeignKey(
        ReportingSchedule, on_delete=models.CASCADE, related_name="reminders",
        verbose_name=_("reporting schedule"),
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=16)
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "org_unit", "period"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.org_unit_id} {self.period}"


class GeneratedReport(models.Model):
    """A periodic report as it was generated: its parameters, the engine's figures it was
    built from (`content`, the whole report structure) and the file, so it can be produced
    again identically whatever happens to the data later."""

    class Format(models.TextChoices):
        DOCX = "docx", "Word (.docx)"
        XLSX = "xlsx", "Excel (.xlsx)"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"),
    )
    actor = models.CharField(_("actor"), max_length=255, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=16)
    target_set = models.ForeignKey(
        TargetSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("target set"),
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    lang = models.CharField(_("language"), max_length=8, default="vi")
    params = models.JSONField(_("parameters"), default=dict)
    content = models.JSONField(_("content"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.BinaryField(_("file"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename or f"{self.org_unit_id} {self.period} {self.format}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class Holiday(models.Model):
    """A public holiday or a day off moved by the Government (Tết, 2/9, swapped days): it does
    not count as a working day towards a reporting deadline."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class ReportIssuer(models.Model):
    """Who issues a unit's reports and who signs them: the unit's People's Committee, or one
    of its departments (Sở), with the symbol, the signer and where the report goes. The
    report's title block is drafted from these; the specialist may still change any line."""

    class Layout(models.TextChoices):
        COMMITTEE = "committee", _("People's Committee (UBND)")
        DEPARTMENT = "department", _("Department (Sở)")

    org_unit = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    layout = models.CharField(_("issued by"), max_length=12, choices=Layout.choices,
                              default=Layout.COMMITTEE)
    department_name = models.CharField(
        _("department"), max_length=255, blank=True,
        help_text=_("e.g. Sở Lao động - Thương binh và Xã hội"))
    department_symbol = models.CharField(
        _("department's abbreviation"), max_length=32, blank=True,
        help_text=_("e.g. SLĐTBXH: the symbol of its reports is BC-SLĐTBXH"))
    signer_name = models.CharField(_("signer's name"), max_length=255, blank=True)
    signer_is_deputy = models.BooleanField(
        _("signed by a deputy"), default=False,
        help_text=_("KT. GIÁM ĐỐC – PHÓ GIÁM ĐỐC, KT. CHỦ TỊCH – PHÓ CHỦ TỊCH"))
    addressee = models.CharField(
        _("to (Kính gửi)"), max_length=255, blank=True,
        help_text=_("where the report is sent upwards; empty: the People's Committee for a "
                    "department's report"))
    archive_office = models.CharField(
        _("drafting office"), max_length=64, blank=True,
        help_text=_("kept in the last recipient line: Lưu: VT, <office>"))

    class Meta:
        verbose_name = _("report issuer")
        verbose_name_plural = _("report issuers")

    def __str__(self) -> str:
        return self.department_name or str(self.org_unit)
