"""The demo's household poverty review (Dữ liệu mô phỏng): Tân An city's communes (Long An,
old map) for 2023 and 2024, and a few of today's Tây Ninh communes for 2025, imported through
the same `review_import` as any file, so their poverty figures and targets come from the
households. Called once from `tiendo.demo.loader.demo_load`; running it again changes
nothing. The provinces' published totals stay as published (a unit's own value wins over the
sum of the units below it); Long An's 2024 total, never published, is simulated."""

import csv
import datetime
import io
from collections.abc import Callable
from decimal import Decimal

import numpy as np

from tiendo.audit.services import Actor
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.periods import parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_children, orgunit_resolve
from tiendo.plans.services import target_save, target_set_get_or_create
from tiendo.poverty.files import national_standards
from tiendo.poverty.models import Review
from tiendo.poverty.services import review_import, review_step_record

SIMULATED = "Dữ liệu mô phỏng"
TAN_AN_2024_SET = "Thành phố Tân An – giảm nghèo 2024 (mô phỏng)"
SEED = 2024
TAY_NINH_COMMUNES = 4
LONG_AN_POOR_2024 = 3_270  # −12% on the 3.716 published for 2023: short of the −15% target


def _households(rng, commune: OrgUnit, count: int, year: int) -> dict[str, np.ndarray]:
    """A commune's households: incomes log-normal around a local median, deprivations more
    frequent at low incomes (simulated)."""
    urban = commune.name.startswith("Phường")
    median = (5_200_000 if urban else 3_900_000) * (1.07 ** (year - 2023))
    income = np.exp(rng.normal(np.log(median), 0.42, count)).astype(np.int64) // 1000 * 1000
    low = income <= (2_000_000 if urban else 1_500_000) * 1.15
    k = len(national_standards()[0].indicators)
    chance = np.where(low[:, None], 0.2, 0.03)
    flags = (rng.random((count, k)) < chance).astype(np.uint8)
    return {"ids": np.array([f"{commune.code}-{i:05d}" for i in range(count)]),
            "urban": np.full(count, urban), "members": rng.integers(1, 7, count),
            "income": income, "flags": flags}


def _next_year(rng, data: dict[str, np.ndarray], commune: OrgUnit) -> dict[str, np.ndarray]:
    """The next review: incomes grow, some deprivations are met, 2% of households leave and
    3% are new."""
    count = len(data["ids"])
    stay = rng.random(count) >= 0.02
    grown = (data["income"] * rng.normal(1.05, 0.08, count)).astype(np.int64) // 1000 * 1000
    flags = data["flags"] * (rng.random(data["flags"].shape) >= 0.12)
    new = int(count * 0.03)
    fresh = _households(rng, commune, new, 2024)
    fresh["ids"] = np.array([f"{commune.code}-{count + i:05d}" for i in range(new)])
    return {key: np.concatenate([{"income": grown, "flags": flags}.get(key, data[key])[stay],
                                 fresh[key]]) for key in data}


def _file(rows: list[tuple[dict[str, np.ndarray], OrgUnit]], year: int) -> bytes:
    standard = national_standards()[0]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["household_id", "commune", "area", "members", "income_per_capita", "year",
                     *standard.columns])
    for data, commune in rows:
        for hid, urban, members, income, flags in zip(
                data["ids"].tolist(), data["urban"].tolist(), data["members"].tolist(),
                data["income"].tolist(), data["flags"].tolist(), strict=True):
            writer.writerow([hid, commune.code, "urban" if urban else "rural", members, income,
                             year, *flags])
    return out.getvalue().encode()


def poverty_demo(report: Callable[[str], None], *, actor: str = "demo") -> int:
    """Load the simulated reviews; returns the number of households stored (0 when they are
    already there)."""
    end_2024 = datetime.date(2024, 12, 31)
    long_an = orgunit_resolve(code="80", on=end_2024)
    tan_an = next(u for u in orgunit_children(long_an, on=end_2024) if "Tân An" in u.name)
    old_communes = list(orgunit_children(tan_an, on=end_2024))
    tay_ninh = orgunit_resolve(code="80", on=datetime.date(2026, 1, 1))
    new_communes = list(orgunit_children(tay_ninh, on=datetime.date(2025, 12, 31)))[
        :TAY_NINH_COMMUNES]
    if Review.objects.filter(commune__in=old_communes, year=2023).exists():
        return 0
    report(SIMULATED + ": rà soát hộ nghèo…")
    rng = np.random.default_rng(SEED)
    who = Actor.system(actor)
    first = [(_households(rng, c, int(rng.integers(1800, 3600)), 2023), c) for c in old_communes]
    second = [(_next_year(rng, data, c), c) for data, c in first]
    third = [(_households(rng, c, int(rng.integers(3000, 6000)), 2025), c)
             for c in new_communes]
    stored = 0
    for year, rows in ((2023, first), (2024, second), (2025, third)):
        outcome = review_import(data=_file(rows, year), name=f"{SIMULATED} – rà soát {year}.csv",
                                actor=who, comment=SIMULATED)
        stored += outcome.households
        for index, (_data, commune) in enumerate(rows):
            if index % 3 == 2 and year == 2025:
                continue  # a few communes have not finished their steps
            review_step_record(commune=commune, year=year, step="meeting",
                               done_on=datetime.date(year, 11, 20),
                               result=f"{SIMULATED}: 9{index % 10}% đồng ý", actor=who)
            review_step_record(commune=commune, year=year, step="recognition",
                               done_on=datetime.date(year, 12, 10),
                               result=f"{SIMULATED}: Quyết định công nhận", actor=who)
    # Tân An city's own targets for 2024, judged from its communes' reviews.
    target_set = target_set_get_or_create(name=TAN_AN_2024_SET, kind="assigned", scope=tan_an,
                                          period="2024", actor=actor)
    for code, comparison, value in (("poor_households", "decrease_pct", 15),
                                    ("poverty_rate", "at_most", 1)):
        target_save(target_set=target_set, indicator=Indicator.objects.get(code=code),
                    org_unit=tan_an, period="2024", comparison=comparison,
                    value=Decimal(value), note=f"Chỉ tiêu mô phỏng ({SIMULATED})", actor=actor)
    # Long An published no total for 2024: without one, the province's figure would be the
    # sum of the reviewed communes (Tân An city alone). A simulated total for the province,
    # labelled as such, keeps the province's figure for the province.
    datavalues_save(values=[ValueInput(
        element=DataElement.objects.get(code="poor_households"), org_unit=long_an,
        period=parse_period("2024"), value=Decimal(LONG_AN_POOR_2024),
        comment=f"{SIMULATED}: tổng của tỉnh (chưa có số công bố)")], actor=actor)
    return stored
