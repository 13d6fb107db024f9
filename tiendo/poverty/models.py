"""The yearly household review (rà soát hộ nghèo, hộ cận nghèo): one row per commune and
year with its counts, the households of that review, the commune's procedure steps, and a
province's own higher standard.

Households are personal data: they are read only through `selectors.households_list`,
which checks the scope and audits the access, and never leave through exports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiendo.poverty.files import HOUSEHOLD_ID_MAX, NAME_MAX


class Review(models.Model):
    """A commune's review for a year, with what storing it worked out (counts by class,
    deprivations by indicator in the standard's order, transitions from the year before)."""

    commune = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("commune"))
    year = models.PositiveSmallIntegerField(_("year"))
    standard = models.CharField(_("standard"), max_length=32)
    households = models.PositiveIntegerField(_("households"), default=0)
    poor = models.PositiveIntegerField(_("poor households"), default=0)
    near_poor = models.PositiveIntegerField(_("near-poor households"), default=0)
    middle_income = models.PositiveIntegerField(_("middle-income households"), default=0)
    deprivations = models.JSONField(_("households deprived, by indicator"), default=list)
    # Poor households against the previous year's review, matched by household id.
    poor_start = models.PositiveIntegerField(default=0)
    poor_new = models.PositiveIntegerField(default=0)
    poor_fell_in = models.PositiveIntegerField(default=0)
    poor_left = models.PositiveIntegerField(default=0)
    poor_gone = models.PositiveIntegerField(default=0)
    has_previous = models.BooleanField(default=False)
    source = models.CharField(_("source"), max_length=255, blank=True)
    stored_at = models.DateTimeField(_("stored at"), auto_now=True)

    class Meta:
        verbose_name = _("poverty review")
        verbose_name_plural = _("poverty reviews")
        constraints = [models.UniqueConstraint(fields=["commune", "year"],
                                               name="poverty_review_commune_year")]
        indexes = [models.Index(fields=["year"], name="poverty_review_year")]

    def __str__(self) -> str:
        return f"{self.commune_id}/{self.year}"


KEY_SHIFT = 32  # a household's key: its review's id above this many bits, its line below


def household_key(review_id: int, line: int) -> int:
    return review_id << KEY_SHIFT | line


def households_of(review_ids) -> models.Q:
    """The households of these reviews, as ranges of the key (so through its index)."""
    q = models.Q(pk__in=[])
    for review_id in review_ids:
        q |= models.Q(key__gte=review_id << KEY_SHIFT, key__lt=(review_id + 1) << KEY_SHIFT)
    return q


def year_table(year: int) -> str:
    """On PostgreSQL, the partition of the household table holding a review year's rows
    (migration 0005): a national load fills a table of its own and attaches it."""
    return f"{Household._meta.db_table}_y{int(year)}"


class Household(models.Model):
    """One household of a review, as classified when stored. `flags` has bit i set when the
    household is deprived on the standard's indicator i. On PostgreSQL the table is
    partitioned by `year` (`year_table`), and its primary key there is (key, year)."""

    # The key is the review and the household's line in its file (a review's households come
    # from one file) packed into one integer, `household_key`: its index finds a commune's
    # households (`households_of`) and, built after a national load, sorts as one integer
    # (a two-column key on (review, line) ties on the review for nearly every comparison
    # and cost twice as much).
    key = models.BigIntegerField(primary_key=True)
    # No foreign key in the database: its check runs once per row at commit (about 10 µs
    # a household, minutes for the country); rows are written only by the review import,
    # in the transaction that creates their review, and deleted with it (Django cascades).
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+",
                               db_constraint=False, db_index=False)
    year = models.PositiveSmallIntegerField()  # the review's, for matching across years
    household_id = models.CharField(max_length=HOUSEHOLD_ID_MAX)
    name = models.CharField(max_length=NAME_MAX, blank=True)
    urban = models.BooleanField()
    members = models.PositiveSmallIntegerField()
    income = models.BigIntegerField()  # đồng per person per month
    flags = models.IntegerField()
    deprivation_count = models.PositiveSmallIntegerField()
    classification = models.PositiveSmallIntegerField()  # tiendo.lib.poverty codes
    line = models.PositiveIntegerField()  # in the file it came from

    class Meta:
        # A household id once per review year: the database refuses a repeat as it is
        # written (the import then locates every repeat, `services._duplicates`). Byte order
        # on PostgreSQL (the pattern operator class): only equality is asked of it, and it
        # sorts the country's ids faster than the database's collation. The id first: with
        # the year first (the same for a whole load) every comparison of the build went on
        # to the second column.
        constraints = [
            models.UniqueConstraint(fields=["household_id", "year"], name="poverty_hh_year_id",
                                    opclasses=["varchar_pattern_ops", "int2_ops"]),
        ]

    def __str__(self) -> str:
        return self.household_id


class ReviewStep(models.Model):
    """A step of Decision 24/2021's procedure done by a commune for a year."""

    class Step(models.TextChoices):
        MEETING = "meeting", _("village meeting")
        POSTED = "posted", _("result posted")
        RECOGNITION = "recognition", _("recognised by the commune chair")

    commune = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    done_on = models.DateField(_("date"))
    result = models.CharField(_("result"), max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "year", "step"],
                                               name="poverty_step_once")]

    def __str__(self) -> str:
        return f"{self.commune_id}/{self.year}/{self.step}"


class LocalStandard(models.Model):
    """A province's own higher standard for its reviews: its lines replace the national
    ones for the years given; the indicators are the national standard's it builds on."""

    province = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    based_on = models.CharField(_("national standard"), max_length=32)
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    rural_line = models.BigIntegerField()
    urban_line = models.BigIntegerField()
    rural_middle = models.BigIntegerField(null=True, blank=True)
    urban_middle = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.code
