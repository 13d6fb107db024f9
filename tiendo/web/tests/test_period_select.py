"""The period picker of the face kit: labels in the user's language, this year by default."""

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db


def _render(text: str) -> str:
    return Template("{% load tiendo %}" + text).render(Context({}))


def test_it_offers_periods_by_label_and_posts_their_codes():
    with translation.override("vi"):
        html = _render('{% period_select "period" "2026YTD09" %}')
    assert '<option value="2026YTD09" selected>9 tháng năm 2026</option>' in html


def test_a_required_picker_starts_on_this_year():
    year = timezone.localdate().year
    with translation.override("en"):
        html = _render('{% period_select "period" "" required=True %}')
    assert f'<option value="{year}" selected>' in html


def test_a_plan_picker_offers_years_and_five_year_periods():
    with translation.override("vi"):
        html = _render('{% period_select "period" "2026-2030" kind="plan" %}')
    assert 'value="2026-2030" selected' in html and 'value="202609"' not in html
