"""Display filters: numbers the Vietnamese way (or English), labels for engine values."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tiendo.lib import numbers
from tiendo.lib.describe import describe_change, describe_target

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


@register.filter
def num(value, decimals=0):
    return "" if value is None else numbers.format_number(value, int(decimals), _lang())


@register.filter
def pct(value):
    return "" if value is None else numbers.format_percent(value, 2, _lang())


@register.filter
def period_label(period):
    return period.label(_lang())


@register.filter
def status_label(status):
    return {
        "exceeded": _("exceeded"), "met": _("met"), "near": _("nearly met"),
        "not_met": _("not met"), "no_data": _("no data"),
    }[str(status)]


@register.filter
def target_text(target):
    return describe_target(target.comparison, target.value, target.value_max,
                           target.indicator.decimals, _lang())


@register.filter
def change_text(result):
    return describe_change(result.target.comparison, result.change,
                           result.target.indicator.decimals, _lang())
