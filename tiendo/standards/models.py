"""Standards a unit reaches by a decision (a commune meeting the new-rural standard), and
which unit reached which on what day, so "thêm 8 xã đạt chuẩn nông thôn mới" is counted."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.indicators.models import BilingualName, Indicator
from tiendo.org.models import OrgUnit


class Standard(BilingualName):
    """A standard units of one kind reach (nông thôn mới, nâng cao, kiểu mẫu).

    `indicator_added` counts the units below a target's unit that reached it inside the
    target's period ("thêm 8 xã"); `indicator_total` those that have reached it by the end
    of the period ("tổng số xã đạt chuẩn").
    """

    code = models.CharField(_("code"), max_length=64, unique=True)
    unit_kind = models.CharField(_("kind of unit"), max_length=16, choices=OrgUnit.Kind.choices)
    indicator_added = models.OneToOneField(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("indicator counting units newly reaching it"),
    )
    indicator_total = models.OneToOneField(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("indicator counting every unit that has reached it"),
    )

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class UnitStandard(models.Model):
    """A unit reached a standard on the day of a decision (quyết định công nhận)."""

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="units",
                                 verbose_name=_("standard"))
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("unit"))
    reached_on = models.DateField(_("decision date"))
    decision = models.CharField(_("decision"), max_length=64, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("unit reaching a standard")
        verbose_name_plural = _("units reaching a standard")
        ordering = ["reached_on", "org_unit__code"]
        constraints = [models.UniqueConstraint(fields=["standard", "org_unit"],
                                               name="unit_standard_once")]

    def __str__(self) -> str:
        return f"{self.org_unit.code} {self.standard.code} {self.reached_on}"
