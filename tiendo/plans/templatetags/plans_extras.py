"""Numbers as an input expects them back: no grouping, a dot for decimals (15500, 12.5)."""

from django import template

register = template.Library()


@register.filter
def plain(value):
    return "" if value is None else f"{value.normalize():f}"
