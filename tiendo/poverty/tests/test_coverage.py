"""A unit whose poverty figures rest on a review that has reached only some of its communes
says so beside its figures: on the dashboard, through the API and in the report."""

from decimal import Decimal as D

import pytest

from tiendo.analytics.dashboard import dashboard_build
from tiendo.audit.services import Actor
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target, TargetSet
from tiendo.poverty.services import review_import
from tiendo.poverty.tests.helpers import household_file
from tiendo.reports.content import report_content

pytestmark = pytest.mark.django_db
YEAR = parse_period("2024")
LINE = "1/2 xã đã rà soát năm 2024: số liệu chỉ gồm các xã đã rà soát"
ONE_COMMUNE = [{"household_id": "TN-0001", "commune": "25459", "income_per_capita": 1_400_000,
                "deprived": ["health_insurance", "water", "sanitation"]},
               {"household_id": "TN-0002", "commune": "25459"}]


@pytest.fixture
def plan(world):
    review_import(data=household_file(ONE_COMMUNE), name="r.csv", actor=Actor.system("test"))
    target_set = TargetSet.objects.create(name="KH 2024", period="2024")
    Target.objects.create(target_set=target_set, org_unit=world.province, period="2024",
                          indicator=Indicator.objects.get(code="poverty_rate"),
                          comparison="at_most", value=D(60))
    return target_set


def test_a_partly_reviewed_province_says_how_many_communes_its_figures_rest_on(world, plan,
                                                                             client):
    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan)
    assert [c.text("vi") for c in board.coverage] == [LINE]
    assert board.cells[0].result.actual == 50  # 1 poor of the reviewed commune's 2

    client.force_login(world.users["viewer"])
    page = client.get(f"/?unit={world.province.pk}&period=2024&set={plan.pk}")
    assert LINE in page.content.decode()
    api = client.get(f"/api/v1/dashboard?unit={world.province.pk}&period=2024&set={plan.pk}",
                     headers={"accept-language": "en"}).json()
    assert api["coverage"] == [{
        "covered": 1, "expected": 2,
        "text": "1/2 communes reviewed in 2024: the figures cover only the communes reviewed"}]
    report = report_content(unit=world.province, period=YEAR, target_set=plan)
    assert report["summary"]["text"].endswith(f"(100,00%). {LINE}.")


def test_a_reviewed_commune_and_a_province_with_its_own_figures_say_nothing(world, plan):
    assert dashboard_build(unit=world.commune, period=YEAR, target_set=plan).coverage == []
    elements = {e.code: e for e in DataElement.objects.filter(
        code__in=["households_total", "poor_households"])}
    datavalues_save(values=[  # the province's published totals
        ValueInput(element=elements["households_total"], org_unit=world.province,
                   period=YEAR, value=D(1000)),
        ValueInput(element=elements["poor_households"], org_unit=world.province, period=YEAR,
                   value=D(30))], actor="test")
    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan)
    assert board.coverage == [] and board.cells[0].result.actual == 3
    assert dashboard_build(unit=world.province, period=parse_period("2024Q3"),
                           target_set=plan).coverage == []
