"""The poverty rules at every boundary, the vectorised classifier against the plain one,
and the transitions adding up."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiendo.lib.poverty import (
    MIDDLE_INCOME,
    NEAR_POOR,
    NOT_POOR,
    POOR,
    Explainer,
    classify,
    classify_one,
    explain,
    missing_columns,
    standard_for_year,
    standard_from,
    transitions,
)

DATA = json.loads((Path(__file__).parents[2] / "poverty" / "standards.json").read_text("utf-8"))
STANDARDS = [standard_from(entry) for entry in DATA["standards"]]
ND07, ND351 = STANDARDS

standards = st.sampled_from(STANDARDS)
# Rules, not timings: a loaded machine must not fail them.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def flags_with(standard, count: int, draw_order):
    order = draw_order(st.permutations(range(len(standard.indicators))))
    flags = [0] * len(standard.indicators)
    for index in order[:count]:
        flags[index] = 1
    return flags


@relaxed
@given(st.data(), standards, st.booleans(), st.sampled_from([-1, 0, 1]),
       st.integers(0, 14))
def test_it_classifies_exactly_at_the_income_line(data, standard, urban, offset, count):
    count = min(count, len(standard.indicators))
    flags = flags_with(standard, count, data.draw)
    income = standard.line(urban) + offset
    result = classify_one(standard, urban=urban, income=income, flags=flags)
    if offset <= 0:  # equal to the line is at or below it
        assert result.classification == (POOR if count >= 3 else NEAR_POOR)
    else:
        assert result.classification in (MIDDLE_INCOME, NOT_POOR)
    assert result.deprivation_count == count


@relaxed
@given(st.data(), standards, st.booleans())
def test_it_makes_three_deprivations_poor_and_two_near_poor(data, standard, urban):
    income = standard.line(urban)
    assert classify_one(standard, urban=urban, income=income,
                        flags=flags_with(standard, 3, data.draw)).classification == POOR
    assert classify_one(standard, urban=urban, income=income,
                        flags=flags_with(standard, 2, data.draw)).classification == NEAR_POOR


@relaxed
@given(st.booleans(), st.sampled_from([-1, 0, 1]))
def test_it_has_a_middle_band_only_where_the_standard_defines_one(urban, offset):
    top = ND07.middle(urban)
    result = classify_one(ND07, urban=urban, income=top + offset, flags=[0] * 12)
    assert result.classification == (MIDDLE_INCOME if offset <= 0 else NOT_POOR)
    assert not ND351.has_middle_band
    result = classify_one(ND351, urban=urban, income=ND351.line(urban) + 1, flags=[1] * 14)
    assert result.classification == NOT_POOR


def test_it_uses_the_urban_and_rural_lines():
    income = 1_800_000  # above the rural line, below the urban one
    assert classify_one(ND07, urban=True, income=income, flags=[0] * 12).classification \
        == NEAR_POOR
    assert classify_one(ND07, urban=False, income=income, flags=[0] * 12).classification \
        == MIDDLE_INCOME


@relaxed
@given(st.integers(2015, 2035))
def test_it_chooses_the_standard_by_year(year):
    chosen = standard_for_year(STANDARDS, year)
    if 2022 <= year <= 2026:
        assert chosen is ND07 and chosen.rural_line == 1_500_000
    elif 2027 <= year <= 2030:
        assert chosen is ND351 and chosen.urban_line == 2_800_000
    else:
        assert chosen is None


def test_it_lists_the_missing_columns_of_a_standard():
    header = ["household_id", *ND07.columns]
    assert missing_columns(ND351, header) == ["d_waste_treatment", "d_internet",
                                              "d_digital_services"]
    assert missing_columns(ND07, header) == []


@relaxed
@given(standards, st.data())
def test_it_classifies_columns_as_it_classifies_one(standard, data):
    k = len(standard.indicators)
    n = data.draw(st.integers(1, 40))
    lines = sorted({standard.rural_line, standard.urban_line,
                    standard.rural_middle or 0, standard.urban_middle or 0})
    incomes = data.draw(st.lists(st.one_of(st.integers(0, 5_000_000), st.sampled_from(
        [v + d for v in lines for d in (-1, 0, 1)])), min_size=n, max_size=n))
    urban = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    flags = data.draw(st.lists(st.lists(st.integers(0, 1), min_size=k, max_size=k),
                               min_size=n, max_size=n))
    kind, count, mask = classify(standard, urban=np.array(urban), income=np.array(incomes),
                                 flags=np.array(flags))
    for i in range(n):
        one = classify_one(standard, urban=urban[i], income=incomes[i], flags=flags[i])
        assert (kind[i], count[i], mask[i]) == (one.classification, one.deprivation_count,
                                                one.mask)


def test_it_explains_a_household_in_vietnamese():
    flags = [0] * 12
    for code in ("health_insurance", "sanitation", "water"):
        flags[[i.code for i in ND07.indicators].index(code)] = 1
    result = classify_one(ND07, urban=False, income=1_400_000, flags=flags)
    text = explain(ND07, urban=False, income=1_400_000, kind=result.classification,
                   mask=result.mask)
    assert text == ("Thu nhập 1.400.000 đ ≤ chuẩn nông thôn 1.500.000 đ; thiếu hụt 3 chỉ số: "
                    "bảo hiểm y tế, nguồn nước sinh hoạt, nhà tiêu hợp vệ sinh")
    assert Explainer(ND07)(False, 1_400_000, result.classification, result.mask) == text
    assert Explainer(ND07).codes(result.mask) == "health_insurance;water;sanitation"


@relaxed
@given(st.lists(st.one_of(st.integers(0, 2**63 - 1), st.integers(0, 10**7),
                          st.sampled_from([0, 9, 10, 999, 1000, 1001, 999_999, 10**6,
                                           10**18 - 1, 10**18, 2**63 - 1])), max_size=60),
       st.sampled_from(["vi", "en"]))
def test_it_groups_a_column_of_incomes_as_it_groups_one(values, lang):
    explainer = Explainer(ND07, lang)
    data, offsets = explainer.incomes(np.array(values, dtype=np.int64))
    assert len(offsets) == len(values) + 1 and offsets[-1] == len(data)
    got = [bytes(data[offsets[i]:offsets[i + 1]]).decode() for i in range(len(values))]
    assert got == [explainer.income(value) for value in values]


def test_it_refuses_to_group_a_negative_income():
    with pytest.raises(ValueError):
        Explainer(ND07).incomes(np.array([5, -1]))


households = st.dictionaries(st.integers(0, 30).map(str), st.integers(0, 3), max_size=25)


@relaxed
@given(households, households)
def test_it_balances_the_transitions(before, after):
    moved = transitions(before, after)
    assert moved.balanced
    assert moved.start == sum(1 for v in before.values() if v == POOR)
    assert moved.end == sum(1 for v in after.values() if v == POOR)
