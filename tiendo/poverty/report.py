"""The poverty section of the periodic report: the review's tables for the report's unit and
year (aggregates only, never a household), as plain data for the report's renderers."""

from decimal import Decimal

from django.utils.translation import gettext as _

from tiendo.lib.numbers import format_number, format_percent
from tiendo.lib.periods import Period
from tiendo.org.models import OrgUnit
from tiendo.poverty.selectors import review_view


def poverty_section(*, unit: OrgUnit, period: Period, lang: str) -> dict | None:
    """The review of the period's year under `unit`: a row per unit below (households, poor,
    rate, near-poor, rate, left poverty), the total, the transitions in one sentence and the
    most lacking indicators; None when no commune under the unit has a review that year."""
    year = period.end.year
    view = review_view(user=None, unit=unit, year=year, lang=lang, scoped=False)
    if not view.total.communes:
        return None

    def cells(name, c):
        return [name, format_number(c.households, 0, lang), format_number(c.poor, 0, lang),
                format_percent(c.poverty_rate, 2, lang), format_number(c.near_poor, 0, lang),
                format_percent(c.near_poverty_rate, 2, lang), format_number(c.left, 0, lang),
                reviewed(c)]

    def reviewed(c):
        return f"{format_number(c.communes, 0, lang)}/{format_number(c.communes_total, 0, lang)}"

    def numbers(name, c):  # the same row as plain values, for a renderer that keeps numbers
        return [name, c.households, c.poor, _plain(c.poverty_rate), c.near_poor,
                _plain(c.near_poverty_rate), c.left, reviewed(c)]

    total = view.total
    transitions = ""
    if view.has_previous:
        transitions = _(
            "Poor households: %(start)s at the previous review, %(new)s new, %(fell)s fell "
            "into poverty, %(left)s left poverty, %(gone)s no longer in the review: %(end)s "
            "now.") % {k: format_number(v, 0, lang) for k, v in (
                ("start", total.start), ("new", total.new), ("fell", total.fell_in),
                ("left", total.left), ("gone", total.gone), ("end", total.poor))}
    lacking = ", ".join(f"{p.label} {format_percent(p.rate, 2, lang)}"
                        for p in view.prevalence[:3] if p.households)
    return {
        "title": _("Poverty review %(year)s") % {"year": year},
        "standard": view.standard.name(lang) if view.standard else "",
        "columns": [_("Unit"), _("Households"), _("Poor"), _("Poverty rate"), _("Near-poor"),
                    _("Near-poverty rate"), _("Left poverty"), _("Communes reviewed")],
        "rows": [cells(row.unit.name, row.counts) for row in view.rows],
        "total": cells(_("Total"), total),
        "numbers": [numbers(row.unit.name, row.counts) for row in view.rows],
        "total_numbers": numbers(_("Total"), total),
        "completeness": view.completeness,
        "transitions": transitions,
        "deprivations": (_("Most lacking: %(list)s.") % {"list": lacking}) if lacking else "",
        "finished": _("%(done)s of %(all)s communes have held the village meeting and had the "
                      "result recognised.") % {"done": total.finished, "all": total.communes},
    }


def _plain(rate: Decimal | None) -> str | None:
    return None if rate is None else str(rate)


def poverty_sentences(section: dict) -> list[str]:
    """The section's sentences in the order every renderer writes them."""
    return [text for text in (section["standard"], section.get("completeness", ""),
                              section["transitions"], section["deprivations"],
                              section["finished"]) if text]

