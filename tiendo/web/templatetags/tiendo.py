"""Display filters: numbers the Vietnamese way (or English), labels for engine values."""

from decimal import Decimal

from django import template
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
