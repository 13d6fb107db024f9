"""The socio-economic rules through the engine: average growth over a term, counts of units
reaching a standard, estimates replaced, and a term of a unit that ended in 2025."""

import datetime
from decimal import Decimal as D

import pytest

from tiendo.analytics.evaluation import targets_evaluate
from tiendo.analytics.present import present
from tiendo.analytics.standards import standard_counts_for, units_reaching
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.loaders import SOCIO_ECONOMIC_PACK, catalogue_load
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.judge import Pace, Status
from tiendo.lib.periods import parse_period
from tiendo.org.models import OrgUnitSuccessor
from tiendo.org.services import orgunit_create
from tiendo.plans.models import Target, TargetSet
from tiendo.standards.services import standard_get_or_create, unit_standard_record

pytestmark = pytest.mark.django_db
OLD_END = datetime.date(2025, 6, 30)
NEW_START = datetime.date(2025, 7, 1)
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def units():
    catalogue_load()
    catalogue_load(pack_dir=SOCIO_ECONOMIC_PACK)
    vn = orgunit_create(code="VN", name="Việt Nam", kind="country")
    long_an = orgunit_create(code="80", name="Tỉnh Long An", kind="province", parent=vn,
                             valid_to=OLD_END)
    tay_ninh = orgunit_create(code="80", name="Tỉnh Tây Ninh", kind="province", parent=vn,
                              valid_from=NEW_START)
    tan_an = orgunit_create(code="794", name="Thành phố Tân An", kind="district",
                            parent=long_an, valid_to=OLD_END)
    communes = [orgunit_create(code=f"2770{i}", name=f"Xã {i}", kind="commune", parent=tan_an,
                               valid_to=OLD_END) for i in range(4)]
    return {"long_an": long_an, "tay_ninh": tay_ninh, "tan_an": tan_an, "communes": communes}


def store(unit, element, period, value, estimate=False):
    return datavalues_save(values=[ValueInput(
        element=DataElement.objects.get(code=element), org_unit=unit,
        period=parse_period(period), value=D(value), estimate=estimate)], actor="test")


def target(unit, indicator, period, comparison, value, value_max=None, set_name="NQ"):
    target_set, _ = TargetSet.objects.get_or_create(name=set_name)
    return Target.objects.create(
        target_set=target_set, indicator=Indicator.objects.get(code=indicator), org_unit=unit,
        period=period, comparison=comparison, value=D(value),
        value_max=None if value_max is None else D(value_max))


def only(unit, period, **kwargs):
    [result] = targets_evaluate(unit=unit, period=parse_period(period), today=TODAY,
                                **kwargs).results
    return result


def test_a_term_average_judged_mid_term_says_the_rate_still_needed(units):
    for year, growth in ((2021, 8), (2022, 10)):
        store(units["tay_ninh"], "grdp_growth", str(year), growth)
    target(units["tay_ninh"], "grdp_growth", "2021-2025", "average_growth", "9.2", "10")
    result = only(units["tay_ninh"], "2022")
    assert result.status == Status.IN_PROGRESS and result.pace == Pace.AT_RISK
    assert result.average_years == (2, 5) and result.average_span == (2021, 2022)
    assert result.needed.quantize(D("0.01")) == D("9.34")
    row = present(result, "vi")
    assert "bình quân nhân" in row.detail_text
    assert "cần bình quân 9,34%/năm trong các năm còn lại" in row.detail_text


def test_a_term_average_exactly_at_its_lower_bound_is_met(units):
    for year in range(2021, 2026):
        store(units["tay_ninh"], "grdp_growth", str(year), "9.2")
    target(units["tay_ninh"], "grdp_growth", "2021-2025", "average_growth", "9.2", "10")
    result = only(units["tay_ninh"], "2021-2025")
    assert result.status == Status.MET and result.actual == D("9.2")
    assert result.achievement_pct == 100 and result.needed is None


def test_a_count_of_communes_newly_reaching_a_standard_in_the_period(units):
    added = Indicator.objects.get(code="new_rural_communes_added")
    standard = standard_get_or_create(code="ntm", name_vi="Nông thôn mới", name_en="New rural",
                                      unit_kind="commune", indicator_added=added, actor="test")
    days = [datetime.date(2023, 12, 31), datetime.date(2024, 1, 1),
            datetime.date(2024, 12, 31), datetime.date(2025, 1, 1)]
    for commune, day in zip(units["communes"], days, strict=True):
        unit_standard_record(standard=standard, org_unit=commune, reached_on=day,
                             decision=f"QĐ {day.isoformat()}", actor="test")
    target(units["tan_an"], "new_rural_communes_added", "2024", "at_least", 2)
    result = only(units["tan_an"], "2024")
    # The first and last day of 2024 count; 31/12/2023 and 01/01/2025 do not.
    assert result.actual == 2 and result.status == Status.MET
    assert result.standard_code == "ntm"
    count = standard_counts_for([added.pk])[added.pk]
    listed = units_reaching(count=count, unit=units["tan_an"], start=datetime.date(2024, 1, 1),
                            end=datetime.date(2024, 12, 31))
    assert [row.org_unit.code for row in listed] == ["27701", "27702"]


def test_an_estimate_replaced_by_the_official_figure(units):
    store(units["tay_ninh"], "grdp_growth", "2025", "8.3", estimate=True)
    target(units["tay_ninh"], "grdp_growth", "2025", "range", "8", "8.5")
    estimated = only(units["tay_ninh"], "2025")
    assert estimated.estimate and estimated.actual == D("8.3")
    assert present(estimated, "vi").actual_text == "8,30 (ước)"
    result = store(units["tay_ninh"], "grdp_growth", "2025", "8.52")  # the spring figure
    assert result.updated == 1
    official = only(units["tay_ninh"], "2025")
    assert not official.estimate and official.status == Status.EXCEEDED
    assert present(official, "vi").actual_text == "8,52"


def test_a_term_of_a_unit_that_ended_is_judged_on_its_data_to_its_last_day(units):
    for year, amount in ((2021, 4), (2022, 5), (2023, 5), (2024, 6)):
        store(units["long_an"], "land_cleared", str(year), amount)
    store(units["tay_ninh"], "land_cleared", "202509", 7)  # after the merger: not Long An's
    target(units["long_an"], "land_cleared", "2021-2025", "at_least", 19)
    result = only(units["long_an"], "2021-2025")
    # Final (its last day has passed), on 2021 to 30/06/2025 only.
    assert result.unit_ended == OLD_END and result.period_over
    assert result.actual_span.end == OLD_END
    assert result.actual == 20 and result.status == Status.EXCEEDED
    assert "30/06/2025" in present(result, "vi").detail_text


def test_the_term_of_an_ended_unit_rolled_into_its_successor(units):
    OrgUnitSuccessor.objects.create(predecessor=units["long_an"], successor=units["tay_ninh"],
                                    share=1, effective=NEW_START)
    for year, amount in ((2021, 4), (2022, 5), (2023, 5), (2024, 6)):
        store(units["long_an"], "land_cleared", str(year), amount)
    store(units["tay_ninh"], "land_cleared", "202509", 7)
    target(units["long_an"], "land_cleared", "2021-2025", "at_least", 30)
    result = only(units["long_an"], "2021-2025", with_predecessors=True)
    assert result.rolled_into == units["tay_ninh"] and result.unit_ended is None
    assert result.actual == 27 and result.status == Status.NOT_MET
    assert "Tỉnh Tây Ninh" in present(result, "vi").detail_text


def test_a_term_average_of_an_ended_unit_counts_its_whole_years(units):
    for year, growth in ((2021, 9), (2022, 10), (2023, 9), (2024, 10)):
        store(units["long_an"], "grdp_growth", str(year), growth)
    target(units["long_an"], "grdp_growth", "2021-2025", "average_growth", "9.2", "10")
    result = only(units["long_an"], "2021-2025")
    assert result.average_years == (4, 5) and result.period_over
    assert result.status == Status.MET  # 9,4975…%


def test_an_estimate_below_does_not_flag_a_figure_that_does_not_use_it(units):
    # Tân An's estimated growth is not Long An's: a rate is not added up, and Long An's own
    # official figure is the one used.
    store(units["tan_an"], "grdp_growth", "2024", "9.1", estimate=True)
    store(units["long_an"], "grdp_growth", "2024", "8.4")
    store(units["tan_an"], "budget_revenue", "2024", 1_580, estimate=True)
    store(units["long_an"], "budget_revenue", "2024", 25_000)
    target(units["long_an"], "grdp_growth", "2024", "range", 8, "8.5")
    target(units["long_an"], "budget_revenue", "2024", "at_least", 24_000)
    results = targets_evaluate(unit=units["long_an"], period=parse_period("2024"),
                               today=TODAY).results
    assert [r.estimate for r in results] == [False, False]


@pytest.mark.parametrize("with_predecessors", [False, True])
@pytest.mark.parametrize(("through", "today"), [
    ("2024Q3", datetime.date(2024, 10, 15)), ("2024", TODAY),
    ("2025Q3", datetime.date(2025, 10, 15)), ("2025", TODAY)])
def test_targets_judged_together_are_each_judged_as_alone(units, through, today,
                                                          with_predecessors):
    """Targets sharing an indicator, set, period and comparison are judged as one plan over
    their units: the result of each is the one it gets alone, whatever is beside it."""
    from tiendo.analytics.evaluation import evaluate_targets

    OrgUnitSuccessor.objects.create(predecessor=units["long_an"], successor=units["tay_ninh"],
                                    share=1, effective=NEW_START)
    added = Indicator.objects.get(code="new_rural_communes_added")
    standard = standard_get_or_create(code="ntm", name_vi="Nông thôn mới", name_en="New rural",
                                      unit_kind="commune", indicator_added=added, actor="test")
    unit_standard_record(standard=standard, org_unit=units["communes"][0],
                         reached_on=datetime.date(2024, 5, 1), decision="QĐ 1", actor="test")
    jobs = DataElement.objects.get(code="jobs_created")
    rows = []
    for number, commune in enumerate(units["communes"]):
        rows += [(commune, f"2023{month:02d}", 10 + number) for month in range(1, 13)]
        # Some communes' data stops a month earlier: their figures are cut there.
        rows += [(commune, f"2024{month:02d}", 12 + 3 * number)
                 for month in range(1, 10 - number % 2)]
    rows += [(units["tay_ninh"], f"2025{month:02d}", 150) for month in range(7, 10)]
    datavalues_save(values=[ValueInput(element=jobs, org_unit=unit, period=parse_period(code),
                                       value=D(value)) for unit, code, value in rows],
                    actor="test")
    for year, growth in ((2021, 9), (2022, 10), (2023, 9), (2024, 10)):
        store(units["long_an"], "grdp_growth", str(year), growth)
        store(units["long_an"], "land_cleared", str(year), year - 2019)
    store(units["tay_ninh"], "grdp_growth", "2025", "8.3", estimate=True)
    store(units["tay_ninh"], "budget_revenue", "2024", 20_000)
    store(units["tay_ninh"], "budget_revenue", "2025", 23_000)
    targets = [
        target(units["long_an"], "grdp_growth", "2021-2025", "average_growth", "9.2", "10"),
        target(units["long_an"], "land_cleared", "2021-2025", "at_least", 19),
        target(units["tay_ninh"], "land_cleared", "2021-2025", "at_least", 30),
        target(units["tay_ninh"], "grdp_growth", "2025", "range", "8", "8.5"),
        target(units["tay_ninh"], "budget_revenue", "2025", "increase_pct", 10),
        target(units["tan_an"], "new_rural_communes_added", "2024", "at_least", 1),
        target(units["tay_ninh"], "jobs_created", "2025", "at_least", 1_000, set_name="KH"),
    ]
    for year in ("2024", "2025"):
        targets += [target(unit, "jobs_created", year, "at_least", value)
                    for unit, value in ((units["tay_ninh"], 1_500), (units["tan_an"], 600),
                                        *((c, 100 + 20 * (n % 2)) for n, c in
                                          enumerate(units["communes"])))]
        targets += [target(c, "jobs_created", year, "increase_pct", 5 + n, set_name="KH")
                    for n, c in enumerate(units["communes"])]
    targets = [t for t in targets if parse_period(t.period).contains(parse_period(through))]
    targets = targets[1::2] + targets[::2]  # not grouped by indicator in the input
    together = evaluate_targets(targets, parse_period(through), today=today,
                                with_predecessors=with_predecessors)
    alone = [evaluate_targets([t], parse_period(through), today=today,
                              with_predecessors=with_predecessors)[0] for t in targets]
    # How far the data runs is read when any target of the batch runs, and then given to
    # the finished ones too (where no page shows it): the rest is the same to the field.
    assert [_but_through(r) for r in together] == [_but_through(r) for r in alone]
    assert [r.data_through for r in together if not r.period_over] == [
        r.data_through for r in alone if not r.period_over]
    assert len({(r.target.indicator_id, r.target.period) for r in together}) < len(together)


def _but_through(result):
    return {name: getattr(result, name) for name in result.__slots__ if name != "data_through"}
