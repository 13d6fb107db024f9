from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.language import current_lang


class BilingualName(models.Model):
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if current_lang() == "en" and self.name_en:
            return self.name_en
        return self.name_vi


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Integer")
    NUMBER = "number", _("Number")
    PERCENT = "percent", _("Percent")
    MONEY = "money", _("Money (VND)")


DEFAULT_DECIMALS = {"integer": 0, "number": 2, "percent": 2, "money": 0}


class Disaggregation(BilingualName):
    """A way of splitting a total (destination country, training level, sex)."""

    code = models.CharField(_("code"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")

    def __str__(self) -> str:
        return self.code


class DisaggregationPart(BilingualName):
    disaggregation = models.ForeignKey(
        Disaggregation, on_delete=models.CASCADE, related_name="parts",
        verbose_name=_("disaggregation"),
    )
    code = models.CharField(_("code"), max_length=32)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("disaggregation part")
        verbose_name_plural = _("disaggregation parts")
        ordering = ["disaggregation", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["disaggregation", "code"], name="part_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.disaggregation.code}:{self.code}"


class DataElement(BilingualName):
    """What is collected, with the rules for adding it up over units and over time."""

    class TimeAggregation(models.TextChoices):
        SUM = "sum", _("Sum (flow)")
        LAST = "last", _("Last value (stock)")
        AVERAGE = "average", _("Average")

    class UnitAggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        NONE = "none", _("Not aggregated")

    code = models.CharField(_("code"), max_length=64, unique=True)
    unit_vi = models.CharField(_("unit of measure"), max_length=32, blank=True)
    value_type = models.CharField(_("value type"), max_length=16, choices=ValueType.choices)
    time_aggregation = models.CharField(
        _("aggregation over time"), max_length=16, choices=TimeAggregation.choices
    )
    unit_aggregation = models.CharField(
        _("aggregation over units"), max_length=16, choices=UnitAggregation.choices
    )
    disaggregation = models.ForeignKey(
        Disaggregation, null=True, blank=True, on_delete=models.PROTECT,
        verbose_name=_("disaggregation"),
    )
    sector = models.CharField(_("sector"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Indicator(BilingualName):
    """What is judged: one data element or a formula over data elements."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    code = models.CharField(_("code"), max_length=64, unique=True)
    unit_vi = models.CharField(_("unit of measure"), max_length=32, blank=True)
    value_type = models.CharField(_("value type"), max_length=16, choices=ValueType.choices)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, blank=True
    )
    # An expression over data element codes, e.g. "trained_workers / labour_force * 100".
    formula = models.CharField(_("formula"), max_length=500)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=0)
    sector = models.CharField(_("sector"), max_length=64, blank=True)
    elements = models.ManyToManyField(
        DataElement, related_name="indicators", verbose_name=_("data elements"), blank=True
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class DataSet(BilingualName):
    """A group of data elements entered, uploaded, submitted and scheduled together (a form).

    The catalogue gives one per sector; a province may define its own.
    """

    code = models.CharField(_("code"), max_length=64, unique=True)
    elements = models.ManyToManyField(
        DataElement, related_name="data_sets", verbose_name=_("data elements")
    )

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code
