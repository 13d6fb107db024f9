"""Numbers as an input expects them back: no grouping, a dot for decimals (15500, 12.5)."""

from django import template

from tiendo.lib.numbers import plain_number

register = template.Library()


@register.filter
def plain(value):
    return "" if value is None else plain_number(value)
