"""The aggregates kept on write give every figure the values give (docs/aggregates.md).

Random values are written through the services — several levels on both maps with
successors, stocks and flows, parts, estimates, mixed period types, edits, deletes, and
saves that fail and are rolled back — and after each step every figure read with the
aggregates is compared with the figure read from the values alone, and the tables with
what the values give (`aggregates_check`).
"""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.analytics.aggregated import figures_from_aggregates
from tiendo.analytics.values import (
    Span,
    direct_element_figures,
    element_figures,
    element_figures_of_spans,
)
from tiendo.data import aggregates
from tiendo.data.aggregates import (
    AggregateOwnYear,
    AggregateValue,
    AggregateYear,
    aggregates_check,
    aggregates_rebuild,
)
from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalues_delete, datavalues_save
from tiendo.errors import InvalidInput
from tiendo.indicators.loaders import catalogue_load
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.services import orgunit_create, orgunit_link_successor, orgunit_move

pytestmark = pytest.mark.django_db
OLD_END = datetime.date(2025, 6, 30)
NEW_START = OLD_END + datetime.timedelta(days=1)

# A flow, a stock, a flow with parts, a rate typed as a rate (not added over units).
ELEMENTS = ["jobs_created", "poor_households", "overseas_workers", "urban_unemployment_rate"]
PARTS = {"overseas_workers": ["", "JP", "KR"]}
# Months, quarters and years overlapping each other, on both sides of the reorganisation,
# and multi-year periods, one inside the other (each its own yearly row).
PERIODS = ["2024", "202412", "2025Q1", "202501", "202502", "202503", "2025", "202507",
           "202508", "2025Q3", "2024-2025", "2023-2025"]
# Whole years (read from the yearly rows: one, the other, both) and spans that are not.
SPANS = [Span.of(parse_period(code)) for code in ("2025", "2024", "2024-2025", "2025Q1",
                                                  "2025Q3")] + [
    Span(datetime.date(2024, 12, 1), datetime.date(2025, 2, 28))]


@pytest.fixture
def world():
    catalogue_load()
    vn = orgunit_create(code="VN", name="Việt Nam", kind="country")
    old = orgunit_create(code="80", name="Tỉnh Long An", kind="province", parent=vn,
                         valid_to=OLD_END)
    new = orgunit_create(code="80", name="Tỉnh Tây Ninh", kind="province", parent=vn,
                         valid_from=NEW_START)
    district = orgunit_create(code="794", name="Thành phố Tân An", kind="district", parent=old,
                              valid_to=OLD_END)
    units = {
        "vn": vn, "old": old, "new": new, "district": district,
        "c1": orgunit_create(code="27694", name="Phường 1", kind="commune", parent=district,
                             valid_to=OLD_END),
        "c2": orgunit_create(code="27695", name="Phường 2", kind="commune", parent=district,
                             valid_to=OLD_END),
        "c3": orgunit_create(code="27700", name="Xã Lợi Bình Nhơn", kind="commune", parent=old,
                             valid_to=OLD_END),
        "n1": orgunit_create(code="27696", name="Phường Long An", kind="commune", parent=new,
                             valid_from=NEW_START),
        "n2": orgunit_create(code="27697", name="Phường Tân An", kind="commune", parent=new,
                             valid_from=NEW_START),
    }
    orgunit_link_successor(predecessor=old, successor=new, share=D(1), effective=NEW_START)
    for name, share in (("c1", D("0.5")), ("c2", D(1))):
        orgunit_link_successor(predecessor=units[name], successor=units["n1"], share=share,
                               effective=NEW_START)
    orgunit_link_successor(predecessor=units["c1"], successor=units["n2"], share=D("0.5"),
                           effective=NEW_START)
    return units


def _element(code):
    return DataElement.objects.get(code=code)


def _all_figures(units):
    elements = [_element(code) for code in ELEMENTS]
    roots = list(units.values())
    figures = {
        (span, with_parts, with_old): element_figures(
            elements=elements, span=span, roots=roots, with_parts=with_parts,
            with_through=with_parts, with_predecessors=with_old)
        for span in SPANS for with_parts in (False, True) for with_old in (False, True)
    }
    # All the spans in one read, each for other units: the same figures as one by one.
    reads = [(span, roots[index % 2::2] if index else roots) for index, span in enumerate(SPANS)]
    for with_parts in (False, True):
        together = element_figures_of_spans(elements=elements, reads=reads,
                                            with_parts=with_parts, with_through=with_parts)
        for (span, some), found in zip(reads, together, strict=True):
            ids = {unit.id for unit in some}
            assert found == {key: figure for key, figure in figures[(span, with_parts, False)]
                             .items() if key[2] in ids}, (span, with_parts)
    return figures


def assert_same_as_the_values(units):
    with_aggregates = _all_figures(units)
    with override_settings(TIENDO_AGGREGATES=False):
        from_values = _all_figures(units)
    for key, figures in from_values.items():
        assert with_aggregates[key] == figures, key
    checked, differences = aggregates_check()
    assert differences == [], differences[:5]


unit_names = st.sampled_from(["vn", "old", "new", "district"])
commune_names = st.sampled_from(["c1", "c2", "c3", "n1", "n2"])


@st.composite
def a_value(draw):
    code = draw(st.sampled_from([*ELEMENTS, "jobs_created", "poor_households"]))
    # Communes most of the time, so that the aggregates have something to add up.
    unit = draw(st.one_of(commune_names, commune_names, commune_names, unit_names))
    part = draw(st.sampled_from(PARTS.get(code, [""])))
    top = 100 if code == "urban_unemployment_rate" else 5000
    return ("save", code, unit, part, draw(st.sampled_from(PERIODS)),
            D(draw(st.integers(0, top))), draw(st.booleans()))


steps = st.one_of(
    a_value(),
    a_value(),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("failed"), st.lists(a_value(), min_size=1, max_size=3)),
)


def _input(units, step):
    _kind, code, unit, part, period, number, estimate = step
    return ValueInput(element=_element(code), org_unit=units[unit], period=parse_period(period),
                      value=number, part=part, estimate=estimate)


def apply(units, step):
    if step[0] == "save":
        try:
            datavalues_save(values=[_input(units, step)], actor="test")
        except InvalidInput:
            pass  # parts that do not add up to the total: refused, nothing written
    elif step[0] == "delete":
        ids = list(DataValue.objects.order_by("id").values_list("id", flat=True))
        if ids:
            datavalues_delete(value_ids=[ids[step[1] % len(ids)]], actor="test")
    else:
        # An import of good values, one chunk at a time (each written before the next is
        # read), ending on a value that is refused: all of it is undone, aggregates too.
        bad = ValueInput(element=_element("urban_unemployment_rate"), org_unit=units["n1"],
                         period=parse_period("2025"), value=D(140))
        with pytest.raises(InvalidInput):
            datavalues_save(values=[*(_input(units, s) for s in step[1]), bad], actor="test",
                            chunk_size=1)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(story=st.lists(steps, min_size=1, max_size=12))
def test_every_figure_from_the_aggregates_equals_the_figure_from_the_values(world, story):
    with transaction.atomic():
        for step in story:
            apply(world, step)
            assert_same_as_the_values(world)
        transaction.set_rollback(True)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(story=st.lists(steps, min_size=1, max_size=8))
def test_upserts_staged_in_a_temporary_table_keep_them_equal(world, story, monkeypatch):
    # Every batch upserted as an import's are (on PostgreSQL: COPYed into a temporary table,
    # read from it in key order).
    monkeypatch.setattr(aggregates, "STAGED_ROWS", 1)
    with transaction.atomic():
        for step in story:
            apply(world, step)
            assert_same_as_the_values(world)
        transaction.set_rollback(True)


def _store(units, name, code, period, number, part=""):
    datavalues_save(values=[ValueInput(element=_element(code), org_unit=units[name],
                                       period=parse_period(period), value=D(number),
                                       part=part)], actor="test")


def test_a_province_of_communes_is_answered_by_the_aggregates_alone(world):
    for name, number in (("n1", 10), ("n2", 15)):
        for month in ("202507", "202508"):
            _store(world, name, "jobs_created", month, number)
            _store(world, name, "poor_households", month, number)
    span = Span.of(parse_period("2025"))
    elements = [_element("jobs_created"), _element("poor_households")]
    found, rest = figures_from_aggregates(elements, span, [world["new"]], with_parts=False,
                                          with_through=True)
    assert rest == {}
    jobs, poor = elements
    assert found[(jobs.id, "", world["new"].id)][0] == 50  # (10 + 15) × 2 months
    assert found[(poor.id, "", world["new"].id)][0] == 25  # the last month: 10 + 15
    assert found[(poor.id, "", world["new"].id)][2] == datetime.date(2025, 8, 31)


def test_exceptions_are_read_from_the_values(world):
    # The province stored its own figure, and one commune's stock stopped a month early.
    _store(world, "new", "jobs_created", "2025", 100)
    _store(world, "n1", "jobs_created", "202507", 10)
    _store(world, "n1", "poor_households", "202507", 7)
    _store(world, "n2", "poor_households", "202507", 5)
    _store(world, "n2", "poor_households", "202508", 6)
    jobs, poor = _element("jobs_created"), _element("poor_households")
    span = Span.of(parse_period("2025"))
    _found, rest = figures_from_aggregates([jobs, poor], span, [world["new"]],
                                           with_parts=False, with_through=False)
    assert rest == {world["new"].id: {jobs.id, poor.id}}
    figures = element_figures(elements=[jobs, poor], span=span, roots=[world["new"]])
    assert figures[(jobs.id, "", world["new"].id)].value == 100  # its own, not 100 + 10
    assert figures[(poor.id, "", world["new"].id)].value == 13  # 7 (July) + 6 (August)
    assert figures == direct_element_figures(elements=[jobs, poor], span=span,
                                             roots=[world["new"]])


def test_a_move_and_a_rebuild_keep_them_equal(world):
    _store(world, "c3", "jobs_created", "202501", 4)
    _store(world, "c1", "jobs_created", "202501", 3)
    orgunit_move(unit=world["c3"], parent=world["district"])
    units = {name: OrgUnit.objects.get(pk=unit.pk) for name, unit in world.items()}
    assert_same_as_the_values(units)
    AggregateValue.objects.all().delete()
    assert aggregates_check()[1]  # the emptied table is told apart
    aggregates_rebuild()
    assert aggregates_check()[1] == []


def test_check_aggregates_finds_a_difference_and_repairs_it(world, capsys):
    from tiendo.cli import main

    _store(world, "n1", "jobs_created", "202507", 10)
    assert main(["--lang", "en", "check-aggregates"]) == 0
    AggregateValue.objects.update(total=D(11))
    assert main(["--lang", "en", "check-aggregates"]) == 1
    assert "2 different" in capsys.readouterr().out  # under the province and the country
    assert main(["check-aggregates", "--repair"]) == 0
    assert aggregates_check()[1] == []


def test_the_values_of_all_the_spans_are_read_in_one_statement(world):
    for month, number in (("202407", 3), ("202507", 10), ("202508", 4)):
        _store(world, "n1", "jobs_created", month, number)
        _store(world, "n2", "poor_households", month, number)
    jobs, poor = _element("jobs_created"), _element("poor_households")
    spans = [Span.of(parse_period(code)) for code in ("2025", "2024", "2025Q3")]
    roots = [world["n1"], world["n2"], world["new"]]
    with override_settings(TIENDO_AGGREGATES=False), \
            CaptureQueriesContext(connection) as queries:
        together = element_figures_of_spans(elements=[jobs, poor],
                                            reads=[(span, roots) for span in spans])
    reading = [q for q in queries.captured_queries if "datavalues_datavalue" in q["sql"]]
    assert len(reading) == 1
    assert together == [direct_element_figures(elements=[jobs, poor], span=span, roots=roots)
                        for span in spans]
    assert together[0][(jobs.id, "", world["new"].id)].value == 14
    assert together[1][(jobs.id, "", world["n1"].id)].value == 3


def test_the_yearly_rows_follow_every_change(world):
    # Months of two years, a year typed as a year, multi-year periods one inside the other;
    # then the stock's latest month deleted (its yearly row's latest end moves back) and a
    # value changed.
    for name in ("n1", "n2"):
        for period, number in (("202411", 1), ("202412", 2), ("202507", 3), ("202508", 4),
                               ("2024-2025", 5), ("2023-2025", 6), ("2025", 7)):
            _store(world, name, "poor_households", period, number)
            _store(world, name, "jobs_created", period, number * 10)
    assert aggregates_check()[1] == []
    assert_same_as_the_values(world)
    poor = _element("poor_households")
    latest = DataValue.objects.filter(data_element=poor, org_unit=world["n1"],
                                      period="202508").get()
    datavalues_delete(value_ids=[latest.pk], actor="test")
    _store(world, "n2", "poor_households", "202507", 30)
    assert aggregates_check()[1] == []
    assert_same_as_the_values(world)
    # One save changing several months of the same years: added before the latest end,
    # changed at it, added after it.
    jobs = _element("jobs_created")
    datavalues_save(values=[
        ValueInput(element=element, org_unit=world[name], period=parse_period(period),
                   value=D(number))
        for element, name, period, number in (
            (poor, "n1", "202501", 8), (poor, "n1", "202507", 9), (poor, "n2", "202509", 11),
            (jobs, "n1", "202410", 5), (jobs, "n1", "202412", 6), (jobs, "n2", "202601", 1))
    ], actor="test")
    assert aggregates_check()[1] == []
    assert_same_as_the_values(world)
    span = Span.of(parse_period("2025"))
    figures = element_figures(elements=[poor], span=span, roots=[world["new"], world["n1"]],
                              with_through=True)
    # Each commune's year typed as a year ends after its months: it is the stock's latest
    # value (7), whatever the months did; the province (period types mixed below it) is
    # read from the values.
    assert figures[(poor.id, "", world["n1"].id)].value == 7
    assert figures[(poor.id, "", world["new"].id)].value == 14


def test_check_aggregates_tells_a_wrong_yearly_row(world):
    _store(world, "n1", "poor_households", "202507", 10)
    _store(world, "n1", "poor_households", "202508", 12)
    assert aggregates_check()[1] == []
    AggregateOwnYear.objects.update(last_total=D(10))
    AggregateYear.objects.filter(org_unit=world["vn"]).update(last_end=datetime.date(2025, 7, 31))
    tables = {difference.table for difference in aggregates_check()[1]}
    assert tables == {AggregateOwnYear._meta.db_table, AggregateYear._meta.db_table}
    aggregates_rebuild()
    assert aggregates_check()[1] == []


@pytest.mark.django_db
def test_one_statement_reads_spans_of_flows_before_a_span_of_a_stock(world):
    """Found by the browser test on PostgreSQL: two branches without a stock put two
    untyped NULLs first, and the stock's branch then failed the UNION ("text and numeric")."""
    from tiendo.analytics.values import Read, _fetch_rows

    elements = {e.code: e for e in DataElement.objects.filter(
        code__in=["jobs_created", "poor_households"])}
    datavalues_save(values=[
        ValueInput(element=elements["jobs_created"], org_unit=world["c1"],
                   period=parse_period("202403"), value=D(7)),
        ValueInput(element=elements["poor_households"], org_unit=world["c1"],
                   period=parse_period("202403"), value=D(120))], actor="test")
    spring = Span(datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
    reads = [Read(spring, [world["c1"]], [elements["jobs_created"]], leaves=True),
             Read(Span(datetime.date(2024, 3, 1), datetime.date(2024, 3, 31)),
                  [world["c1"]], [elements["jobs_created"]], leaves=True),
             Read(spring, [world["c1"]], [elements["poor_households"]], leaves=True)]
    found = _fetch_rows(reads)
    assert [[(row[0], row[5], row[-1]) for row in rows] for rows in found] == [
        [(0, 7, None)], [(1, 7, None)], [(2, 120, 120)]]


@pytest.mark.parametrize("aggregates", [True, False])
def test_many_spans_read_in_chunks_give_each_span_its_figures(world, aggregates):
    # More spans than one statement takes (SQLite's 500 compound terms: 200 spans a
    # statement), from the aggregates (two terms a span) and from the values alone (one).
    for name, number in (("n1", 10), ("n2", 15)):
        for month in ("202507", "202508", "202509"):
            _store(world, name, "jobs_created", month, number)
            _store(world, name, "poor_households", month, number + 1)
    elements = [_element("jobs_created"), _element("poor_households")]
    ends = [datetime.date(2025, 7, 31), datetime.date(2025, 8, 31), datetime.date(2025, 12, 31)]
    spans = [Span(datetime.date(2025, 1, 1) + datetime.timedelta(days=day), end)
             for day in range(170) for end in ends]
    assert len(spans) > 500
    with override_settings(TIENDO_AGGREGATES=aggregates):
        together = element_figures_of_spans(elements=elements,
                                            reads=[(span, [world["new"]]) for span in spans])
        alone = [element_figures(elements=elements, span=span, roots=[world["new"]])
                 for span in spans]
    assert together == alone
    assert all(together)  # each span finds the communes' July at least
