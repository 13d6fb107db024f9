from django import template

from tiendo.assignments.present import count_sentences, deadline_text, status_text
from tiendo.language import current_lang

register = template.Library()


@register.filter
def task_status(status):
    return status_text(status, current_lang())


@register.filter
def task_deadline(task):
    return deadline_text(task, current_lang())


@register.filter
def count_sentence(count):
    return " ".join(count_sentences(count, current_lang()))


@register.filter
def period_label(period):
    return period.label(current_lang())
