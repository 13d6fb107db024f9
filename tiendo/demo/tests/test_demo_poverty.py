"""The demo's simulated poverty review: Tân An city's communes for 2023 and 2024 on the old
map, a few of today's Tây Ninh communes for 2025; the poverty targets judged from it."""

import datetime
from decimal import Decimal

from tiendo.analytics.evaluation import targets_evaluate
from tiendo.data.models import DataValue
from tiendo.demo.poverty import SIMULATED, TAN_AN_2024_SET, TAY_NINH_COMMUNES
from tiendo.lib.periods import parse_period
from tiendo.plans.models import TargetSet
from tiendo.poverty.models import Review


def test_the_demo_holds_the_simulated_reviews(demo):
    tan_an = Review.objects.filter(year=2024, commune__valid_to=datetime.date(2025, 6, 30))
    assert tan_an.count() == Review.objects.filter(year=2023).count() > 5
    assert all(SIMULATED in r.source for r in Review.objects.all())
    assert Review.objects.filter(year=2025).count() == TAY_NINH_COMMUNES
    assert all(r.has_previous for r in tan_an)
    stored = DataValue.objects.filter(source="poverty review", period="2024",
                                      data_element__code="poor_households")
    assert {v.org_unit_id: v.value for v in stored} == {r.commune_id: r.poor for r in tan_an}
    assert all(v.comment == SIMULATED for v in stored)


def test_tan_ans_targets_are_judged_from_the_households_and_long_an_keeps_its_own(demo):
    target_set = TargetSet.objects.get(name=TAN_AN_2024_SET)
    evaluation = targets_evaluate(unit=target_set.scope, period=parse_period("2024"),
                                  target_set=target_set, today=datetime.date(2025, 3, 1))
    poor = next(r for r in evaluation.results if r.target.indicator.code == "poor_households")
    reviews = Review.objects.filter(commune__parent=target_set.scope)
    assert poor.actual == sum(r.poor for r in reviews.filter(year=2024))
    assert poor.baseline == sum(r.poor for r in reviews.filter(year=2023))
    long_an = DataValue.objects.get(data_element__code="poor_households", period="2023",
                                    org_unit=target_set.scope.parent)
    assert long_an.value == Decimal(3716)  # as published


def test_the_demo_says_long_an_was_only_partly_reviewed(demo):
    from django.utils import translation

    from tiendo.poverty.selectors import review_view

    target_set = TargetSet.objects.get(name=TAN_AN_2024_SET)
    tan_an, long_an = target_set.scope, target_set.scope.parent
    city = review_view(user=None, unit=tan_an, year=2024, lang="vi", scoped=False)
    province = review_view(user=None, unit=long_an, year=2024, lang="vi", scoped=False)
    assert city.total.complete and city.total.communes == city.total.communes_total
    assert province.total.communes == city.total.communes < province.total.communes_total
    with translation.override("vi"):
        assert province.completeness.startswith(  # 13/186 on the old map
            f"{province.total.communes}/{province.total.communes_total} xã đã rà soát năm "
            "2024:")
