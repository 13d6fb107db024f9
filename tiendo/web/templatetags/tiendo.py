"""Display filters: numbers the Vietnamese way (or English), labels for engine values."""

import html
from decimal import Decimal

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tiendo.analytics import present
from tiendo.language import current_lang
from tiendo.lib import numbers
from tiendo.lib.describe import describe_change, describe_target

register = template.Library()



@register.filter
def num(value, decimals=0):
    return "" if value is None else numbers.format_number(value, int(decimals), current_lang())


@register.filter
def pct(value):
    return "" if value is None else numbers.format_percent(value, 2, current_lang())


@register.filter
def period_label(period):
    return period.label(current_lang())


@register.filter
def status_label(status):
    return present.status_label(status)


@register.filter
def verdict(result):
    """A judged target's status in words, with the pace of one still running."""
    return present.verdict_label(result)


@register.filter
def target_text(target):
    return describe_target(target.comparison, target.value, target.value_max,
                           target.indicator.decimals, current_lang())


@register.filter
def change_text(result):
    return describe_change(result.target.comparison, result.change,
                           result.target.indicator.decimals, current_lang())


@register.filter
def signed(value, decimals=0):
    """A change with its sign: +1.234 or −56."""
    if value is None:
        return ""
    text = numbers.format_number(abs(value), int(decimals), current_lang())
    return ("+" if value > 0 else "−" if value < 0 else "") + text


@register.filter
def signed_pct(value):
    if value is None:
        return ""
    text = numbers.format_percent(abs(value), 2, current_lang())
    return ("+" if value > 0 else "−" if value < 0 else "") + text


@register.filter
def entry_num(value):
    """A stored number as the user would type it back: all its decimals, local separators."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    decimals = max(-value.as_tuple().exponent, 0)
    return numbers.format_number(value, decimals, current_lang())


@register.filter
def audit_action(action):
    """What an audit record says was done, in the user's language."""
    return {
        "create": _("created"), "update": _("changed"), "status": _("status changed"),
        "submitted": _("submitted"), "approved": _("approved"), "returned": _("returned"),
    }.get(str(action), action)


@register.filter
def value_status(status):
    return {"draft": _("draft"), "submitted": _("submitted"), "approved": _("approved"),
            "returned": _("returned")}.get(str(status), status)


@register.filter
def code_label(code):
    """A period given by its code ("2026YTD09"), in words ("9 tháng năm 2026"); text that
    is not a period code is shown as it is."""
    from tiendo.lib.periods import PeriodError, parse_period

    try:
        return parse_period(str(code)).label(current_lang())
    except PeriodError:
        return code


@register.filter
def unit_label(unit):
    """A unit as a picker names it: "Tây Ninh (80)", and for a unit of the old map the day
    it ended ("Tây Ninh (72), until 30/06/2025")."""
    if unit is None:
        return ""
    text = f"{unit.name} ({unit.code})"
    if unit.valid_to:
        text += ", " + _("until %(date)s") % {"date": f"{unit.valid_to:%d/%m/%Y}"}
    return text


@register.inclusion_tag("web/_period_select.html")
def period_select(name, chosen="", kind="all", required=False, blank="", element_id=""):
    """A period picker by label in the user's language, never a code to type: for "all"
    the year, 9 and 6 months, quarters and months of next year back to five years ago;
    for "plan" the years and the five-year periods. Posts the period's code."""
    from django.utils import timezone

    from tiendo.lib.periods import PeriodError, multi_year, parse_period, period_options
    from tiendo.lib.periods import year as year_period

    lang, this_year = current_lang(), timezone.localdate().year
    years = range(this_year + 1, this_year - 6, -1)
    if kind == "plan":
        first = (this_year - 1) // 5 * 5 + 1  # 2026-2030 while in it
        blocks = [multi_year(start, start + 4) for start in (first + 5, first, first - 5)]
        groups = [(_("Five-year periods"), blocks),
                  (_("Years"), [year_period(y) for y in years])]
    else:
        groups = [(str(y), period_options(y)) for y in years]
    chosen = str(chosen or "").strip()
    if not chosen and required:
        chosen = str(this_year)  # not next year's first option: this year so far
    listed = {p.code for _label, periods in groups for p in periods}
    extra = None
    if chosen and chosen not in listed:
        try:
            extra = parse_period(chosen)
        except PeriodError:
            extra = None
    return {
        "name": name, "id": element_id or f"period-{name}", "required": required,
        "blank": blank, "chosen": chosen,
        "extra": (extra.code, extra.label(lang)) if extra else None,
        "groups": [(label, [(p.code, p.label(lang)) for p in periods])
                   for label, periods in groups],
    }


@register.simple_tag
def unit_rows(children, period, target_set):
    """The rows of the dashboard's table of units below: the unit with its link, how many of
    its targets are met, then each cell (its figure, then its verdict or, not judged, its
    change on last year). Written here rather than in the template because a province's
    page has thousands of cells (168 communes × 20 targets); the markup is the template's
    as it was, each value escaped and localized as the template would. A verdict's words
    depend only on its status, pace and whether the period is over, so they are worded once
    for each of those."""
    lang = current_lang()
    link = f"&amp;period={html.escape(str(period.code))}"
    if target_set:
        link += f"&amp;set={localize(target_set.pk)}"
    notes: dict[tuple, str] = {}
    out = []
    for child in children:
        summary = child.summary
        if summary.judged:
            met = f"{localize(summary.met)}/{localize(summary.judged)}"
            if summary.on_track:
                met += ('<br><span class="note on_track">'
                        + _("on track: %(n)s") % {"n": localize(summary.on_track)}
                        + "</span>")
        else:
            met = "—"
        out.append(f'\n<tr><td><a href="?unit={localize(child.unit.pk)}{link}">'
                   f'{html.escape(str(child.unit.name))}</a></td>\n<td class="n">{met}</td>\n')
        for cell in child.cells:
            result = cell.result
            actual = result.actual
            figure = "—" if actual is None else numbers.format_number(
                actual, result.target.indicator.decimals, lang)
            if cell.judged and result.status != "no_data":
                key = (result.status, result.pace, result.period_over)
                note = notes.get(key)
                if note is None:
                    pace = f" {result.pace}" if result.pace else ""
                    note = notes[key] = (
                        f'<br><span class="s {html.escape(str(cell.status))}'
                        f'{html.escape(pace)}">{html.escape(verdict(result))}</span>')
            elif result.change_vs_last_year_pct is not None:
                note = (f'<br><span class="note">'
                        f'{html.escape(signed_pct(result.change_vs_last_year_pct))}</span>')
            else:
                note = ""
            out.append(f'<td class="n">{html.escape(figure)}{note}</td>')
        out.append("</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 (each part escaped)
