"""Reads of the poverty review for the faces: a unit's review (counts by unit below,
transitions, deprivations, which communes have finished their steps) and the household list
of a commune (scoped, audited). Every figure is worked out here, the faces only lay it out."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.analytics.completeness import Coverage
from tiendo.audit.services import Actor, audit_record
from tiendo.data.models import DataValue
from tiendo.errors import InvalidInput, NotFound, text_problems
from tiendo.lib import periods
from tiendo.lib.numbers import format_number, round_half_up
from tiendo.lib.poverty import CLASS_LABELS, CLASSES, Explainer, Standard
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_resolve, valid_on
from tiendo.poverty.files import national_standards
from tiendo.poverty.models import Household, Review, ReviewStep, households_of
from tiendo.poverty.services import (
    ELEMENTS,
    FIRST_YEAR,
    LAST_YEAR,
    SOURCE,
    review_date,
    standards_for,
)

HUNDRED = Decimal(100)


def _rate(part: int, whole: int) -> Decimal | None:
    return round_half_up(Decimal(part) * HUNDRED / whole, 2) if whole else None


@dataclass
class Counts:
    """A unit's figures, added up over its communes' reviews."""

    households: int = 0
    poor: int = 0
    near_poor: int = 0
    middle_income: int = 0
    start: int = 0
    new: int = 0
    fell_in: int = 0
    left: int = 0
    gone: int = 0
    communes: int = 0
    finished: int = 0  # communes with the meeting and the recognition recorded
    # Communes under the unit on the map of the review year, reviewed or not: a unit whose
    # figures come from `communes` < `communes_total` of them is only partly reviewed.
    communes_total: int = 0
    deprivations: list[int] = field(default_factory=list)

    def add(self, review: Review, finished: bool) -> None:
        self.households += review.households
        self.poor += review.poor
        self.near_poor += review.near_poor
        self.middle_income += review.middle_income
        self.start += review.poor_start
        self.new += review.poor_new
        self.fell_in += review.poor_fell_in
        self.left += review.poor_left
        self.gone += review.poor_gone
        self.communes += 1
        self.finished += finished
        if len(self.deprivations) < len(review.deprivations):
            self.deprivations += [0] * (len(review.deprivations) - len(self.deprivations))
        for i, v in enumerate(review.deprivations):
            self.deprivations[i] += v

    @property
    def poverty_rate(self) -> Decimal | None:
        return _rate(self.poor, self.households)

    @property
    def near_poverty_rate(self) -> Decimal | None:
        return _rate(self.near_poor, self.households)

    @property
    def complete(self) -> bool:
        return self.communes >= self.communes_total

    @property
    def balanced(self) -> bool:
        return self.start + self.new + self.fell_in - self.left - self.gone == self.poor


@dataclass
class Row:
    unit: OrgUnit
    counts: Counts


@dataclass
class Prevalence:
    code: str
    label: str
    households: int
    rate: Decimal | None


@dataclass
class StepState:
    commune: OrgUnit
    meeting: ReviewStep | None
    recognition: ReviewStep | None

    @property
    def finished(self) -> bool:
        return self.meeting is not None and self.recognition is not None


@dataclass
class ReviewView:
    unit: OrgUnit
    year: int
    years: list[int]
    standard: Standard | None
    total: Counts
    rows: list[Row]
    prevalence: list[Prevalence]
    steps: list[StepState]
    has_previous: bool
    can_enter: bool
    is_commune: bool
    lang: str = "vi"
    province: OrgUnit | None = None  # whose standards the review is classified with

    @property
    def completeness(self) -> str:
        """How many of the unit's communes the figures come from ("13/186 xã đã rà soát năm
        2024" for Long An in the demo), so a partly reviewed unit is not read as complete."""
        return completeness_text(self.total, self.year, self.lang)


def completeness_text(counts: Counts, year: int, lang: str) -> str:
    figures = {"reviewed": format_number(counts.communes, 0, lang),
               "all": format_number(counts.communes_total, 0, lang), "year": year}
    if counts.complete:
        return _("%(reviewed)s/%(all)s communes reviewed in %(year)s.") % figures
    return _("%(reviewed)s/%(all)s communes reviewed in %(year)s: the figures cover only the "
             "communes reviewed.") % figures


def review_coverage(unit: OrgUnit, period: periods.Period, element_codes) -> list[Coverage]:
    """For the dashboard and the report: the figures of a year's poverty elements rest on
    the communes reviewed, so a unit that only some have reached says how many. Nothing
    when all are reviewed, none is (the figures were typed in), or the unit stored its own
    figures for the year (a province's published totals come before its communes')."""
    year = period.end.year
    if (not element_codes & set(ELEMENTS) or period.start.year != year
            or not FIRST_YEAR <= year <= LAST_YEAR):
        return []
    counts = Counts(communes=Review.objects.filter(commune__path__startswith=unit.path,
                                                  year=year).count())
    if not counts.communes:
        return []
    counts.communes_total = OrgUnit.objects.filter(
        valid_on(review_date(year)), kind=OrgUnit.Kind.COMMUNE,
        path__startswith=unit.path).count()
    whole = periods.year(year)
    own = DataValue.objects.filter(
        org_unit=unit, data_element__code__in=ELEMENTS, period_start__gte=whole.start,
        period_end__lte=whole.end).exclude(source=SOURCE)
    if counts.complete or own.exists():
        return []

    def words(lang: str) -> str:
        with translation.override(lang):  # a line among others: no full stop of its own
            return completeness_text(counts, year, lang).rstrip(".")

    return [Coverage(counts.communes, counts.communes_total, words)]


def review_years(user) -> list[int]:
    """The years with a review the user may see, newest first."""
    scope = user_scope(user)
    return sorted(set(Review.objects.filter(scope.unit_filter("commune__")).values_list(
        "year", flat=True)), reverse=True)


def review_unit(user, code: str, year: int) -> OrgUnit:
    """The unit with this code on the map of the review year, if the user may see it."""
    problems = text_problems({"unit": code})
    if problems:
        raise InvalidInput(problems)
    unit = orgunit_resolve(code=code, on=review_date(year))
    return orgunit_for(user, unit.pk, Action.READ)


def review_view(*, user, unit: OrgUnit, year: int, lang: str, scoped: bool = True
                ) -> ReviewView:
    """The review of `unit` (a commune, or any unit above: added up over its communes) for
    `year`, with a row per unit directly below and the communes' steps. `scoped=False` (the
    periodic report of a unit, aggregates only) does not narrow it to the user's scope."""
    scope = user_scope(user)
    reviews = Review.objects.filter(commune__path__startswith=unit.path, year=year)
    if scoped:
        reviews = reviews.filter(scope.unit_filter("commune__"))
    reviews = list(reviews.select_related("commune").order_by("commune__path"))
    steps = defaultdict(dict)
    for step in ReviewStep.objects.filter(year=year, commune__path__startswith=unit.path):
        steps[step.commune_id][step.step] = step
    states = [StepState(r.commune, steps[r.commune_id].get(ReviewStep.Step.MEETING),
                        steps[r.commune_id].get(ReviewStep.Step.RECOGNITION)) for r in reviews]
    finished = {s.commune.id: s.finished for s in states}
    total = Counts()
    below: dict[int, Counts] = {}
    depth = unit.path.count("/")

    def child_of(path: str, commune_id: int) -> int:
        """The unit right below `unit` on a commune's path (the commune itself at the end)."""
        parts = path.strip("/").split("/")
        return int(parts[depth - 1]) if len(parts) >= depth else commune_id

    for review in reviews:
        total.add(review, finished[review.commune_id])
        below.setdefault(child_of(review.commune.path, review.commune_id), Counts()).add(
            review, finished[review.commune_id])
    on_map = (OrgUnit.objects.filter(valid_on(review_date(year)), kind=OrgUnit.Kind.COMMUNE,
                                     path__startswith=unit.path).values_list("id", "path"))
    for commune_id, path in on_map:
        total.communes_total += 1
        below.setdefault(child_of(path, commune_id), Counts()).communes_total += 1
    children = {u.id: u for u in OrgUnit.objects.filter(id__in=below)}
    rows = [Row(children[k], v) for k, v in below.items()
            if k in children and k != unit.id and v.communes]
    rows.sort(key=lambda r: r.unit.path)
    province_unit = OrgUnit.objects.filter(
        id__in=[int(p) for p in unit.path.strip("/").split("/")], kind="province").first()
    province = province_unit.pk if province_unit else None
    standard = next((s for s in standards_for(province) if s.applies_to(year)), None)
    if reviews:
        standard = next((s for s in standards_for(province) if s.code == reviews[0].standard),
                        standard)
    indicators = standard.indicators if standard else ()
    prevalence = [Prevalence(ind.code, ind.label(lang), n, _rate(n, total.households))
                  for ind, n in zip(indicators, total.deprivations, strict=False)]
    prevalence.sort(key=lambda p: -p.households)
    years = sorted(set(Review.objects.filter(commune__path__startswith=unit.path)
                       .values_list("year", flat=True)), reverse=True)
    return ReviewView(
        unit=unit, year=year, years=years, standard=standard, total=total, rows=rows,
        prevalence=prevalence, steps=states,
        has_previous=any(r.has_previous for r in reviews),
        can_enter=scope.can_enter(unit), is_commune=unit.kind == OrgUnit.Kind.COMMUNE,
        lang=lang, province=province_unit)


@dataclass
class HouseholdRow:
    household_id: str
    name: str
    area: str
    members: int
    income: int
    classification: str
    label: str
    deprivation_count: int
    deprivations: str
    explanation: str


def households_list(*, user, unit: OrgUnit, year: int, lang: str, via: str = "web",
                    offset: int = 0, limit: int = 500) -> tuple[int, list[HouseholdRow]]:
    """A commune's households for the year with the explanation of each, for a user whose
    scope covers the commune. Personal data: every access leaves an audit record."""
    if unit.kind != OrgUnit.Kind.COMMUNE:
        raise NotFound(_("household lists are per commune"))
    if not user_scope(user).covers(unit):
        raise NotFound(_("no such unit"))
    review = Review.objects.filter(commune=unit, year=year).first()
    if review is None:
        raise NotFound(_("no review of this commune for this year"))
    province = next((int(p) for p in unit.path.strip("/").split("/")
                     if OrgUnit.objects.filter(id=int(p), kind="province").exists()), None)
    standard = next((s for s in standards_for(province) if s.code == review.standard),
                    next((s for s in national_standards() if s.code == review.standard), None))
    if standard is None:
        raise NotFound(_("unknown poverty standard"))
    explain = Explainer(standard, lang)
    labels = CLASS_LABELS["en" if lang == "en" else "vi"]
    query = Household.objects.filter(households_of([review.id]), year=review.year).order_by(
        "-classification", "household_id")
    total = query.count()
    rows = [
        HouseholdRow(h.household_id, h.name, "urban" if h.urban else "rural", h.members, h.income,
                     CLASSES[h.classification], labels[h.classification], h.deprivation_count,
                     explain.codes(h.flags),
                     explain(h.urban, h.income, h.classification, h.flags))
        for h in query[offset:offset + limit]
    ]
    audit_record(actor=Actor.of(user, via=via), action="read", entity="poverty.households",
                 entity_id=review.id, key=f"{unit.code}/{year}",
                 new={"offset": offset, "count": len(rows)})
    return total, rows
