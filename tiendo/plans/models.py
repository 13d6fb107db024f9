from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.indicators.models import Indicator
from tiendo.org.models import OrgUnit


class Document(models.Model):
    """The resolution, decision or plan that sets targets or tasks."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution")
        DECISION = "decision", _("Decision")
        PLAN = "plan", _("Plan")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    symbol = models.CharField(_("number and symbol"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PLAN)
    date = models.DateField(_("date"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [models.UniqueConstraint(fields=["symbol"], name="document_symbol_unique")]

    def __str__(self) -> str:
        return self.symbol


class TargetSet(models.Model):
    """Targets from one document for one scope and period."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        ASPIRATIONAL = "aspirational", _("Aspirational")

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ASSIGNED)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="target_sets",
        verbose_name=_("document"),
    )
    scope = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("scope"),
    )
    period = models.CharField(_("period"), max_length=16, blank=True)
    # "Gần đạt" band: a not-met target at or above this achievement % is reported as near.
    near_pct = models.DecimalField(
        _("near band (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("target set")
        verbose_name_plural = _("target sets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")
    RANGE = "range", _("Range")
    DECREASE_PCT = "decrease_pct", _("Decrease by % of baseline")
    DECREASE_ABS = "decrease_abs", _("Decrease by an amount")
    INCREASE_PCT = "increase_pct", _("Increase by % of baseline")
    INCREASE_ABS = "increase_abs", _("Increase by an amount")
    AVERAGE_GROWTH = "average_growth", _("Average annual growth over the period (compound)")


class Target(models.Model):
    """An indicator × org unit × period with what counts as reaching it."""

    target_set = models.ForeignKey(
        TargetSet, on_delete=models.CASCADE, related_name="targets",
        verbose_name=_("target set"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="targets", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=16)
    comparison = models.CharField(_("comparison"), max_length=16, choices=Comparison.choices)
    value = models.DecimalField(_("target value"), max_digits=24, decimal_places=6)
    value_max = models.DecimalField(
        _("upper value"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    baseline_period = models.CharField(_("baseline period"), max_length=16, blank=True)
    responsible_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("responsible unit"),
    )
    follow_up_person = models.CharField(_("follow-up person"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["target_set", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_set", "indicator", "org_unit", "period"], name="target_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.org_unit.code} {self.period}"

