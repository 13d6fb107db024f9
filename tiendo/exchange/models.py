from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.org.models import OrgUnit


class LabelMapping(models.Model):
    """A label from an office's own sheet, confirmed to mean a data element or a unit.

    Remembered per scope: `scope_unit` is the unit at the top of the confirming user's
    scope (null for admins, which makes the mapping global). Unit names repeat across the
    country ("Huyện Châu Thành" is in six provinces) and each office words its rows its own
    way, so one province's confirmation must not steer another's; a global mapping is the
    fallback every scope sees.
    """

    class Kind(models.TextChoices):
        ELEMENT = "element", _("Data element")
        UNIT = "unit", _("Unit")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    label = models.CharField(_("label (folded)"), max_length=255)
    code = models.CharField(_("code"), max_length=64)
    scope_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("scope"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now=True)

    class Meta:
        verbose_name = _("label mapping")
        verbose_name_plural = _("label mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "label", "scope_unit"], name="labelmapping_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "label"], condition=models.Q(scope_unit__isnull=True),
                name="labelmapping_unique_global",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.label} → {self.code}"


class Upload(models.Model):
    """A file a user sent, kept while it is checked, mapped and stored, with its progress.

    The report (problems, warnings, what would change) is kept as JSON so the page can
    show it after the work ran in the background.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        NEEDS_MAPPING = "mapping", _("Needs mapping")
        STORING = "storing", _("Storing")
        STORED = "stored", _("Stored")
        FAILED = "failed", _("Has problems")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("user"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # What the user chose: expected unit/period/data set, free-form mapping, period.
    options = models.JSONField(_("options"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def working(self) -> bool:
        """Being checked or stored right now (the page shows progress)."""
        return self.status in (self.Status.CHECKING, self.Status.STORING)
