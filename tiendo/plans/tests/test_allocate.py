import datetime
from decimal import Decimal as D

import pytest

from tiendo.analytics.evaluation import targets_evaluate
from tiendo.audit.models import AuditRecord
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.errors import InvalidInput
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.periods import parse_period
from tiendo.org.services import orgunit_create
from tiendo.plans.models import Target, TargetSet
from tiendo.plans.selectors import allocation_plan
from tiendo.plans.services import allocation_units, target_save, targets_allocate

pytestmark = pytest.mark.django_db


def _allocate(world, target=None, **amounts):
    units = {"d1": world.district.pk, "d2": world.other_district.pk}
    return targets_allocate(target=target or world.province_target,
                            amounts={units[k]: v for k, v in amounts.items()}, actor="test")


def _rate_target(world, value=D(75)):
    return target_save(target_set=world.target_set,
                       indicator=Indicator.objects.get(code="trained_labour_rate"),
                       org_unit=world.province, period="2026", comparison="at_least",
                       value=value, actor="test")


def test_it_creates_the_districts_targets_when_they_add_up_to_the_whole(world):
    allocation = _allocate(world, d1=D(600), d2=D(400))
    assert sorted(t.value for t in allocation.saved) == [D(400), D(600)]
    assert allocation.warnings == []
    record = AuditRecord.objects.get(action="allocate")
    assert record.new["parts"] == {"760": "600", "761": "400"}


def test_it_refuses_parts_short_of_the_whole_and_writes_nothing(world):
    before = (Target.objects.count(), AuditRecord.objects.count())
    with pytest.raises(InvalidInput) as error:
        _allocate(world, d1=D(600), d2=D(399))
    assert [p.field for p in error.value.problems] == ["amounts"]
    assert "999" in error.value.problems[0].message
    assert (Target.objects.count(), AuditRecord.objects.count()) == before


def test_it_saves_parts_above_the_whole_with_a_warning(world):
    allocation = _allocate(world, d1=D(700), d2=D(400))
    assert len(allocation.saved) == 2
    assert "1,100" in allocation.warnings[0]


def test_it_removes_the_target_of_a_unit_left_empty(world):
    allocation = _allocate(world, d1=None, d2=D(1000))
    assert allocation.deleted == 1
    assert not Target.objects.filter(pk=world.district_target.pk).exists()
    assert AuditRecord.objects.filter(action="delete", entity_id=world.district_target.pk)


def test_it_refuses_a_unit_that_is_not_directly_below(world):
    with pytest.raises(InvalidInput):
        targets_allocate(target=world.province_target,
                         amounts={world.commune.pk: D(1000)}, actor="test")


def test_it_refuses_a_negative_part(world):
    with pytest.raises(InvalidInput) as error:
        _allocate(world, d1=D(1200), d2=D(-200))
    assert error.value.problems[0].field == f"unit_{world.other_district.pk}"


def test_it_requires_every_unit_of_a_rate(world):
    with pytest.raises(InvalidInput) as error:
        _allocate(world, _rate_target(world), d1=D(80))
    assert [p.field for p in error.value.problems] == [f"unit_{world.other_district.pk}"]


def test_it_refuses_a_rate_part_below_the_whole(world):
    with pytest.raises(InvalidInput) as error:
        _allocate(world, _rate_target(world), d1=D(80), d2=D("74.5"))
    assert "average" in error.value.problems[0].message


def test_it_accepts_a_rate_when_every_unit_reaches_the_whole(world):
    assert len(_allocate(world, _rate_target(world), d1=D(80), d2=D(75)).saved) == 2


def test_it_refuses_to_split_a_range(world):
    target = target_save(target_set=world.target_set,
                         indicator=Indicator.objects.get(code="trained_labour_rate"),
                         org_unit=world.province, period="2026", comparison="range",
                         value=D(30), value_max=D(35), actor="test")
    with pytest.raises(InvalidInput):
        _allocate(world, target, d1=D(31), d2=D(32))


def test_it_leaves_the_provinces_summary_alone(world):
    before = targets_evaluate(unit=world.province, period=parse_period("2026"))
    _allocate(world, d1=D(600), d2=D(400))
    after = targets_evaluate(unit=world.province, period=parse_period("2026"))
    assert len(after.results) == len(before.results) == 1


def test_it_can_put_the_parts_in_another_set(world):
    other = TargetSet.objects.create(name="QĐ giao huyện", scope=world.province)
    targets_allocate(target=world.province_target, target_set=other, actor="test",
                     amounts={world.district.pk: D(500), world.other_district.pk: D(500)})
    assert other.targets.count() == 2
    assert world.target_set.targets.get(org_unit=world.district).value == D(600)


def test_it_offers_only_units_valid_in_the_targets_period(world):
    orgunit_create(code="762", name="Huyện Cũ", kind="district", parent=world.province,
                   valid_to=datetime.date(2024, 12, 31))
    assert allocation_units(world.province_target) == [world.district, world.other_district]


def test_it_proposes_shares_in_proportion_to_last_years_actual(world):
    jobs = DataElement.objects.get(code="jobs_created")
    datavalues_save(values=[
        ValueInput(element=jobs, org_unit=world.district, period=parse_period("2025"),
                   value=D(300)),
        ValueInput(element=jobs, org_unit=world.other_district, period=parse_period("2025"),
                   value=D(100)),
    ], actor="test")
    plan = allocation_plan(world.province_target)
    assert [(r.last_year, r.proposed, r.current) for r in plan.rows] == [
        (D(300), D(750), D(600)), (D(100), D(250), None)
    ]
    assert plan.last_year_whole == D(400)


def test_it_proposes_the_whole_rate_to_every_unit(world):
    plan = allocation_plan(_rate_target(world, D(70)))
    assert [r.proposed for r in plan.rows] == [D(70), D(70)]


def test_it_refuses_a_destination_set_whose_scope_leaves_the_units_out(world):
    elsewhere = TargetSet.objects.create(name="Huyện Một 2026", scope=world.district)
    with pytest.raises(InvalidInput) as error:
        targets_allocate(target=world.province_target, target_set=elsewhere, actor="test",
                         amounts={world.district.pk: D(600), world.other_district.pk: D(400)})
    assert error.value.problems[0].field == "target_set"


def test_it_proposes_whole_people_on_the_last_complete_year_and_shows_them_in_vietnamese(
    world, as_role
):
    jobs = DataElement.objects.get(code="jobs_created")
    datavalues_save(values=[
        ValueInput(element=jobs, org_unit=world.district, period=parse_period("2025"),
                   value=D(2)),
        ValueInput(element=jobs, org_unit=world.other_district, period=parse_period("2025"),
                   value=D(5)),
        # 2026 is not over on 2 December: not the basis of a 2027 proposal.
        ValueInput(element=jobs, org_unit=world.district, period=parse_period("2026"),
                   value=D(1)),
    ], actor="test")
    target = target_save(target_set=world.target_set, indicator=world.province_target.indicator,
                         org_unit=world.province, period="2027", comparison="at_least",
                         value=D(1008), actor="test")
    plan = allocation_plan(target, today=datetime.date(2026, 12, 2))
    assert plan.last_year_period.code == "2025"
    assert [r.proposed for r in plan.rows] == [D(288), D(720)]
    assert all(r.proposed == r.proposed.to_integral() for r in plan.rows)
    assert allocation_plan(world.province_target,
                           today=datetime.date(2026, 12, 2)).last_year_period.code == "2025"
