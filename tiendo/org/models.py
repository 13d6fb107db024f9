from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    """An area (country, province, district, commune) or an agency, valid for a span of time.

    Codes are the official zero-padded strings and are reused across maps (80 is Long An
    before 1 July 2025 and Tây Ninh after), so a code is resolved together with a date; see
    `tiendo.org.selectors.orgunit_resolve`.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")
        AGENCY = "agency", _("Agency")

    code = models.CharField(_("code"), max_length=32, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # "/<id>/<id>/.../" from the root; '/' sorts before digits, so ordering by path lists
    # every unit directly followed by its descendants.
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_span",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class OrgUnitSuccessor(models.Model):
    """A unit replaced in a reorganisation points to the unit(s) that took over its area.

    `share` is the part of the predecessor that went to this successor (1 when whole), so
    old figures can be rolled into today's map without losing history.
    """

    predecessor = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="successor_links",
        verbose_name=_("predecessor"),
    )
    successor = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="predecessor_links",
        verbose_name=_("successor"),
    )
    share = models.DecimalField(_("share"), max_digits=7, decimal_places=6, default=1)
    effective = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("successor link")
        verbose_name_plural = _("successor links")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="orgunit_successor_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=1),
                name="orgunit_successor_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.share})"
