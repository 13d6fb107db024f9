"""Demonstration data built on published figures (docs/demo.md lists them and their sources).

Three provinces under the map before 1 July 2025:

- Long An (80), 2023–2024: trained-labour rates, poor households, disaster relief and
  overseas workers (monthly, per district), with the 2024 targets assigned by the People's
  Committee, the department's own (higher) 2024 targets and a simulated 2023 plan.
- Ho Chi Minh City (79), 2022: 23 targets of the department, 22 met or exceeded.
- An Giang (89), 2021–2023: mid-term review of the 2020–2025 term (plan 274-KH/ĐUSLĐTBXH).

And today's Tây Ninh (80 on the map since 1 July 2025), wholly simulated: every commune's
monthly labour report for 2025 and January–October 2026, the province's 2026 targets, and
the reports in every state of approval (August and September approved, October mostly submitted, one
returned, a few not sent), with one demo user per role to try them (`DEMO_USERS`).

Published figures carry the comment "Nguồn: …"; every figure added to them (monthly and
district splits, absolute numbers behind a published rate) says "Dữ liệu mô phỏng".
`demo_load` is idempotent: values and targets are created or updated by their keys.

Every status appears: exceeded (Long An trained_labour_rate 2024), met (Long An
disaster_relief_rate 2024, aspirational set; An Giang poverty_rate 2022), not_met (Long An
trained_certified_rate 2024 vs 35 in the aspirational set; HCMC job_fair_sessions 2022),
no_data (Long An poor_households 2024) and at risk (Long An overseas_workers 2024 judged
through 2024Q3).
"""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.accounts.services import user_with_membership
from tiendo.audit.services import Actor
from tiendo.data.datasets import dataset_take_elements
from tiendo.data.models import Submission
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.data.submissions import submission_approve, submission_return, submission_submit
from tiendo.demo.assignments import demo_tasks_load
from tiendo.demo.issuers import demo_issuers_load
from tiendo.demo.poverty import poverty_demo
from tiendo.indicators.loaders import PACKS_DIR, catalogue_load
from tiendo.indicators.models import DataElement, DataSet, Indicator
from tiendo.lib.periods import parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_children, orgunit_resolve
from tiendo.plans.models import TargetSet
from tiendo.plans.services import document_get_or_create, target_save, target_set_get_or_create

ACTOR = "demo"
SOURCE = "demo"
LEGACY_DAY = datetime.date(2024, 12, 31)  # resolves codes against the map before July 2025

SIMULATED = "Dữ liệu mô phỏng"
SRC_LONG_AN = (
    "Báo Long An, \u201cQuyết tâm trong năm mới!\u201d (01/2024); báo cáo hội nghị tổng kết "
    "năm 2023 của Sở LĐTBXH Long An (07/2024)"
)
SRC_LONG_AN_PORTAL = (
    "Cổng TTĐT tỉnh Long An, \u201cNăm 2024: Tỉnh ủy Long An đề ra 18 chỉ tiêu chủ yếu\u201d "
    "(28/11/2023)"
)
SRC_HCMC = "Tin Thành ủy TP.HCM, hội nghị tổng kết Sở LĐTBXH ngày 27/12/2022"
SRC_AN_GIANG = (
    "Trang TTĐT Sở LĐTBXH An Giang, hội nghị sơ kết giữa nhiệm kỳ 2020–2025 ngày 31/07/2023"
)


def _real(source: str) -> str:
    return f"Nguồn: {source}"


def _fitted(source: str, what: str) -> str:
    """Simulated absolute numbers chosen so that a published figure comes out."""
    return f"{SIMULATED}, khớp số liệu công bố ({what}). Nguồn: {source}"


# Long An: monthly overseas workers for the whole province, split over districts below.
# 2023: 950 (710 by September); 2024: 1.040 but only 650 by September, so the forecast at
# 2024Q3 (650 × 950 / 710 ≈ 870) falls short of the 1.000 target: "at risk".
LONG_AN_OVERSEAS = {
    2023: [60, 72, 85, 78, 80, 82, 78, 85, 90, 80, 82, 78],
    2024: [52, 60, 70, 68, 72, 75, 78, 85, 90, 120, 130, 140],
}

LONG_AN_2023_SET = "Kế hoạch 2023 Sở LĐTBXH Long An (mô phỏng)"
LONG_AN_2024_ASSIGNED = "UBND tỉnh Long An giao 2024"
LONG_AN_2024_ASPIRATIONAL = "Sở LĐTBXH Long An phấn đấu 2024"
HCMC_SET = "Sở LĐTBXH TP.HCM 2022"
AN_GIANG_SET = "Đảng bộ Sở LĐTBXH An Giang – Nghị quyết nhiệm kỳ 2020–2025"
AN_GIANG_DOCUMENT = "274-KH/ĐUSLĐTBXH"
TAY_NINH_2026_SET = "UBND tỉnh Tây Ninh giao 2026"
TODAY_MAP_DAY = datetime.date(2026, 1, 1)

# The monthly labour report communes send (a data set of the demo).
MONTHLY_LABOUR_SET = "bc_thang_lao_dong"
MONTHLY_LABOUR_ELEMENTS = ("jobs_created", "overseas_workers", "job_fair_sessions")
DEMO_PASSWORD = "tiendo-demo"
# (user name, full name, role, province code, commune index or None): the units are today's.
DEMO_USERS = (
    ("demo-admin", "Quản trị hệ thống", "admin", None, None),
    ("demo-chuyenvien", "Nguyễn Thị Lan (chuyên viên Sở Nội vụ Tây Ninh)", "specialist", "80",
     None),
    ("demo-canbo-xa", "Trần Văn Minh (cán bộ xã)", "officer", "80", 0),
    ("demo-canbo-xa-khac", "Lê Thị Hoa (cán bộ xã bên cạnh)", "officer", "80", 1),
    ("demo-lanhdao", "Phạm Văn Hùng (lãnh đạo tỉnh Tây Ninh)", "viewer", "80", None),
    ("demo-chuyenvien-hcm", "Võ Thị Mai (chuyên viên TP. Hồ Chí Minh)", "specialist", "79",
     None),
)


class _Demo:
    def __init__(self, report: Callable[[str], None]) -> None:
        self.report = report
        self.values: list[ValueInput] = []
        self.elements = {e.code: e for e in DataElement.objects.all()}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.targets = 0

    # -- building blocks -------------------------------------------------------------------

    def value(
        self,
        code: str,
        unit: OrgUnit,
        period: str,
        value,
        comment: str = SIMULATED,
        part: str = "",
        estimate: bool = False,
    ) -> None:
        self.values.append(
            ValueInput(
                element=self.elements[code],
                org_unit=unit,
                period=parse_period(period),
                value=Decimal(str(value)),
                part=part,
                estimate=estimate,
                comment=comment,
            )
        )

    def target(
        self,
        target_set: TargetSet,
        code: str,
        unit: OrgUnit,
        period: str,
        comparison: str,
        value,
        value_max=None,
        note: str = "",
        responsible: OrgUnit | None = None,
        person: str = "",
    ) -> None:
        target_save(
            target_set=target_set,
            indicator=self.indicators[code],
            org_unit=unit,
            period=period,
            comparison=comparison,
            value=Decimal(str(value)),
            value_max=None if value_max is None else Decimal(str(value_max)),
            responsible_unit=responsible,
            follow_up_person=person,
            note=note,
            actor=ACTOR,
        )
        self.targets += 1

    @staticmethod
    def split(total: int, weights: list[float]) -> list[int]:
        """Whole numbers proportional to `weights` that add up to `total` (largest remainder)."""
        whole = sum(weights)
        shares = [total * w / whole for w in weights]
        parts = [int(s) for s in shares]
        order = sorted(range(len(shares)), key=lambda i: (parts[i] - shares[i], i))
        for i in order[: total - sum(parts)]:
            parts[i] += 1
        return parts

    # -- Long An ---------------------------------------------------------------------------

    def long_an(self) -> None:
        self.report("Long An (80), 2023–2024…")
        unit = orgunit_resolve(code="80", on=LEGACY_DAY)
        fit_2023 = _fitted(SRC_LONG_AN, "tỷ lệ lao động qua đào tạo 74%, có bằng cấp 33%")
        # Stocks at year end. 2023: 703.000 / 950.000 = 74,00 %; 317.000 / 950.000 = 33,37 %.
        self.value("labour_force", unit, "2023", 950_000, fit_2023)
        self.value("trained_workers", unit, "2023", 703_000, fit_2023)
        self.value("trained_workers_certified", unit, "2023", 317_000, fit_2023)
        # 2024 (simulated): 75,30 % and 34,60 %.
        self.value("labour_force", unit, "2024", 955_000)
        self.value("trained_workers", unit, "2024", 719_115)
        self.value("trained_workers_certified", unit, "2024", 330_430)
        # Poor households: start of 2023 (end of 2022) 4.826, end of 2023 3.716: down 1.110,
        # i.e. 23,0 %. Nothing for the end of 2024 yet (the 2024 target has no data).
        fit_poor = _fitted(SRC_LONG_AN, "hộ nghèo giảm 1.110 hộ, giảm 23% so với đầu năm 2023")
        self.value("poor_households", unit, "2022", 4_826, fit_poor)
        self.value("poor_households", unit, "2023", 3_716, fit_poor)
        self.value("households_total", unit, "2022", 478_000)
        self.value("households_total", unit, "2023", 482_000)
        # 100 % of children in special circumstances cared for, of disaster victims relieved.
        fit_full = _fitted(SRC_LONG_AN, "tỷ lệ 100%")
        self.value("children_special_total", unit, "2023", 1_850, fit_full)
        self.value("children_special_cared", unit, "2023", 1_850, fit_full)
        self.value("disaster_victims", unit, "2023", 245, fit_full)
        self.value("disaster_victims_relieved", unit, "2023", 245, fit_full)
        self.value("disaster_victims", unit, "2024", 198)
        self.value("disaster_victims_relieved", unit, "2024", 198)
        self.long_an_overseas(unit)

        plan_2023 = target_set_get_or_create(
            name=LONG_AN_2023_SET,
            kind="assigned",
            scope=unit,
            period="2023",
            actor=ACTOR,
        )
        note = "Chỉ tiêu mô phỏng (kế hoạch 2023 không có trong nguồn công bố)"
        self.target(plan_2023, "trained_labour_rate", unit, "2023", "at_least", 73, note=note)
        self.target(
            plan_2023, "trained_certified_rate", unit, "2023", "at_least", "32.5", note=note
        )
        self.target(
            plan_2023,
            "poor_households",
            unit,
            "2023",
            "decrease_pct",
            15,
            note=note + "; giảm 15% số hộ nghèo so với đầu năm",
        )
        self.target(
            plan_2023,
            "poverty_rate",
            unit,
            "2023",
            "decrease_abs",
            "0.2",
            note=note + "; giảm 0,2 điểm % tỷ lệ hộ nghèo (khoảng 1.000 hộ)",
        )
        self.target(plan_2023, "overseas_workers", unit, "2023", "at_least", 900, note=note)
        self.target(
            plan_2023, "children_special_care_rate", unit, "2023", "at_least", 100, note=note
        )
        self.target(plan_2023, "disaster_relief_rate", unit, "2023", "at_least", 100, note=note)

        # The committee's 3 targets (giao) and the department's own (phấn đấu): the same,
        # but 35% with a degree or certificate, plus disaster relief.
        note = _real(SRC_LONG_AN)
        sets = []
        for name, kind, certified in (
            (LONG_AN_2024_ASSIGNED, "assigned", 34),
            (LONG_AN_2024_ASPIRATIONAL, "aspirational", 35),
        ):
            target_set = target_set_get_or_create(
                name=name, kind=kind, scope=unit, period="2024", actor=ACTOR
            )
            sets.append(target_set)
            for code, value in (
                ("overseas_workers", 1_000),
                ("trained_labour_rate", 75),
                ("trained_certified_rate", certified),
            ):
                self.target(target_set, code, unit, "2024", "at_least", value, note=note)
            self.target(
                target_set, "poor_households", unit, "2024", "decrease_pct", 15,
                note=note + "; giảm 15% số hộ nghèo (chuẩn mới) so với đầu năm 2024",
            )
        self.target(
            sets[1], "disaster_relief_rate", unit, "2024", "at_least", 100,
            note=note + "; 100% đối tượng gặp thiên tai được cứu trợ kịp thời",
        )

    def long_an_overseas(self, province: OrgUnit) -> None:
        districts = [
            d for d in orgunit_children(province, on=LEGACY_DAY) if d.kind == OrgUnit.Kind.DISTRICT
        ]
        rng = random.Random(80)  # fixed seed: the same split on every run
        weights = [rng.uniform(0.5, 2.0) for _ in districts]
        for year, months in LONG_AN_OVERSEAS.items():
            for month, total in enumerate(months, start=1):
                month_weights = [w * rng.uniform(0.7, 1.3) for w in weights]
                for district, count in zip(
                    districts, self.split(total, month_weights), strict=True
                ):
                    self.value("overseas_workers", district, f"{year}{month:02d}", count)

    # -- Ho Chi Minh City ------------------------------------------------------------------

    def hcmc(self) -> None:
        self.report("TP. Hồ Chí Minh (79), 2022…")
        unit = orgunit_resolve(code="79", on=LEGACY_DAY)
        real = _real(SRC_HCMC)
        v = self.value
        # Data first; the targets below are judged on it.
        v("new_party_members", unit, "2022", 71, real)  # 71 / 70 = 101,43 %
        v("new_jobs", unit, "2022", 131_170, _fitted(SRC_HCMC, "đạt 100,9% kế hoạch"))
        v("jobs_created", unit, "2022", 315_900, _fitted(SRC_HCMC, "vượt 5,3% chỉ tiêu"))
        fit_poor = _fitted(SRC_HCMC, "giảm hộ nghèo đạt 184,2% kế hoạch")
        v("poor_households", unit, "2021", 30_000, fit_poor)
        v("poor_households", unit, "2022", 20_790, fit_poor)  # −9.210 vs plan 5.000
        fit_near = _fitted(SRC_HCMC, "giảm hộ cận nghèo đạt 188,07% kế hoạch")
        v("near_poor_households", unit, "2021", 60_000, fit_near)
        v("near_poor_households", unit, "2022", 41_193, fit_near)  # −18.807 vs plan 10.000
        v("households_total", unit, "2021", 2_580_000)
        v("households_total", unit, "2022", 2_600_000)
        v(
            "rural_vocational_trainees",
            unit,
            "2022",
            14_288,
            _fitted(SRC_HCMC, "vượt 42,88% kế hoạch"),
        )
        v("labour_force", unit, "2022", 4_800_000)
        v("trained_workers", unit, "2022", 4_128_000)  # 86 %
        v("trained_workers_certified", unit, "2022", 1_920_000)  # 40 %
        v("social_insured_workers", unit, "2022", 2_600_000)  # 54,17 %
        v("overseas_workers", unit, "2022", 3_150)
        v("urban_unemployment_rate", unit, "2022", "3.6")
        v("vocational_enrolment", unit, "2022", 520_000)
        v("job_fair_sessions", unit, "2022", 276)  # 92 % of 300: the one target not met
        v("households_exited_poverty", unit, "2022", 9_500)
        v("gratitude_fund", unit, "2022", 64_500_000_000)
        v("gratitude_houses", unit, "2022", 92)
        v("children_special_total", unit, "2022", 5_200)
        v("children_special_cared", unit, "2022", 5_200)
        v("disaster_victims", unit, "2022", 1_350)
        v("disaster_victims_relieved", unit, "2022", 1_350)

        target_set = target_set_get_or_create(
            name=HCMC_SET,
            kind="assigned",
            scope=unit,
            period="2022",
            actor=ACTOR,
        )
        sim = "Chỉ tiêu mô phỏng"
        rows = [
            ("new_party_members", "at_least", 70, real),
            ("new_jobs", "at_least", 130_000, sim),
            ("jobs_created", "at_least", 300_000, sim),
            ("poor_households", "decrease_abs", 5_000, sim),
            ("near_poor_households", "decrease_abs", 10_000, sim),
            ("rural_vocational_trainees", "at_least", 10_000, sim),
            ("trained_labour_rate", "at_least", 85, sim),
            ("trained_certified_rate", "at_least", 38, sim),
            ("social_insurance_rate", "at_least", 52, sim),
            ("overseas_workers", "at_least", 3_000, sim),
            ("urban_unemployment_rate", "at_most", 4, sim),
            ("vocational_enrolment", "at_least", 500_000, sim),
            ("job_fair_sessions", "at_least", 300, sim),
            ("poverty_rate", "decrease_abs", "0.3", sim),
            ("near_poverty_rate", "decrease_abs", "0.5", sim),
            ("households_exited_poverty", "at_least", 8_000, sim),
            ("gratitude_fund", "at_least", 60_000_000_000, sim),
            ("gratitude_houses", "at_least", 80, sim),
            ("children_special_care_rate", "at_least", 100, sim),
            ("disaster_relief_rate", "at_least", 100, sim),
        ]
        for code, comparison, value, note in rows:
            self.target(target_set, code, unit, "2022", comparison, value, note=note)
        # Three more of the source's 23, from its own figures (indicators of the demo pack).
        v(
            "employed_vocational_trained",
            unit,
            "2022",
            69_090,
            _fitted(SRC_HCMC, "vượt 38,18% kế hoạch"),
        )
        self.target(
            target_set, "employed_vocational_trained", unit, "2022", "at_least", 50_000, note=sim
        )
        # The 21/21 work programmes and 18/18 submissions are counted from tasks
        # (tiendo/demo/assignments.py); two simulated targets complete the source's 23.
        v("safety_trained_workers", unit, "2022", 41_200, SIMULATED)
        v("unemployment_benefit_recipients_placed", unit, "2022", 118_500, SIMULATED)
        self.target(target_set, "safety_trained_workers", unit, "2022", "at_least",
                    41_000, note=sim)
        self.target(target_set, "unemployment_benefit_recipients_placed", unit, "2022",
                    "at_least", 115_000, note=sim)

    # -- An Giang --------------------------------------------------------------------------

    def an_giang(self) -> None:
        self.report("An Giang (89), 2021–2023…")
        unit = orgunit_resolve(code="89", on=LEGACY_DAY)
        real = _real(SRC_AN_GIANG)
        v = self.value
        # Overseas workers 2023 by destination; "other" is what the listed countries leave.
        v("overseas_workers", unit, "2023", 357, real)
        for part, count in (("JP", 233), ("TW", 106), ("KR", 2), ("RU", 1), ("ID", 1)):
            v("overseas_workers", unit, "2023", count, real, part=part)
        v(
            "overseas_workers",
            unit,
            "2023",
            14,
            f"Suy ra: tổng 357 trừ các nước được nêu. Nguồn: {SRC_AN_GIANG}",
            part="OTHER",
        )
        # Estimates (ước) at the end of 2023: 69,5 % trained, 28,5 % with a certificate.
        fit = _fitted(SRC_AN_GIANG, "ước 69,5% và 28,5%")
        v("labour_force", unit, "2023", 1_040_000, fit, estimate=True)
        v("trained_workers", unit, "2023", 722_800, fit, estimate=True)
        v("trained_workers_certified", unit, "2023", 296_400, fit, estimate=True)
        v(
            "urban_unemployment_rate",
            unit,
            "2023",
            "3.8",
            _fitted(SRC_AN_GIANG, "thất nghiệp thành thị dưới 4%"),
        )
        # Poverty: end-2021 3,81 %; end-2022 14.872 poor (2,81 %), 24.370 near-poor (4,61 %).
        v("households_total", unit, "2021", 526_000)
        v("households_total", unit, "2022", 528_700)
        v("poor_households", unit, "2021", 20_057, _fitted(SRC_AN_GIANG, "giảm 1 điểm %"))
        v("poor_households", unit, "2022", 14_872, real)
        v("near_poor_households", unit, "2021", 30_981, _fitted(SRC_AN_GIANG, "giảm 1,28 điểm %"))
        v("near_poor_households", unit, "2022", 24_370, real)
        # Gratitude Fund: over 14 billion đồng in the term so far.
        fit = _fitted(SRC_AN_GIANG, "tổng trên 14 tỷ đồng")
        for year, amount in ((2021, 4_600_000_000), (2022, 4_750_000_000), (2023, 4_700_000_000)):
            v("gratitude_fund", unit, str(year), amount, fit)
        # Vocational enrolment since the start of the term: 74.909 by level, split by year.
        fit = _fitted(SRC_AN_GIANG, "tổng 74.909: cao đẳng 3.379, trung cấp 7.290, sơ cấp 64.240")
        by_year = {
            2021: {"COLLEGE": 1_100, "INTERMEDIATE": 2_400, "ELEMENTARY": 22_000},
            2022: {"COLLEGE": 1_150, "INTERMEDIATE": 2_450, "ELEMENTARY": 21_500},
            2023: {"COLLEGE": 1_129, "INTERMEDIATE": 2_440, "ELEMENTARY": 20_740},
        }
        for year, parts in by_year.items():
            v("vocational_enrolment", unit, str(year), sum(parts.values()), fit)
            for part, count in parts.items():
                v("vocational_enrolment", unit, str(year), count, fit, part=part)

        document = document_get_or_create(
            symbol=AN_GIANG_DOCUMENT,
            kind="plan",
            date=datetime.date(2023, 3, 13),
            issuer="Đảng ủy Sở Lao động – Thương binh và Xã hội tỉnh An Giang",
            title="Kế hoạch sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội Đảng bộ Sở "
            "nhiệm kỳ 2020–2025",
            actor=ACTOR,
        )
        target_set = target_set_get_or_create(
            name=AN_GIANG_SET,
            kind="assigned",
            document=document,
            scope=unit,
            period="2021-2025",
            actor=ACTOR,
        )
        self.target(
            target_set,
            "overseas_workers",
            unit,
            "2023",
            "at_least",
            203,
            note=f"{real}; 357 người, đạt 176% chỉ tiêu nghị quyết",
        )
        self.target(
            target_set,
            "urban_unemployment_rate",
            unit,
            "2023",
            "at_most",
            4,
            note=f"{real}; giữ dưới 4%",
        )
        self.target(
            target_set,
            "poverty_rate",
            unit,
            "2022",
            "decrease_abs",
            1,
            value_max="1.2",
            note=f"{real}; giảm 1–1,2 điểm %/năm",
        )
        self.target(
            target_set,
            "gratitude_fund",
            unit,
            "2021-2025",
            "at_least",
            14_000_000_000,
            note=f"{real}; vận động Quỹ Đền ơn đáp nghĩa 14 tỷ đồng",
        )


class _TodayDemo:
    """Tây Ninh on today's map: communes report monthly, the province judges 2026 targets."""

    def __init__(self, demo: _Demo) -> None:
        self.demo = demo
        self.province = orgunit_resolve(code="80", on=TODAY_MAP_DAY)
        self.communes = list(orgunit_children(self.province, on=TODAY_MAP_DAY))

    def data_set(self) -> DataSet:
        data_set, _created = DataSet.objects.get_or_create(
            code=MONTHLY_LABOUR_SET,
            defaults={"name_vi": "Báo cáo tháng lao động - việc làm",
                      "name_en": "Monthly labour and employment report"},
        )
        dataset_take_elements(data_set=data_set, codes=MONTHLY_LABOUR_ELEMENTS,
                              actor=Actor.system("demo"))  # one form per element
        return data_set

    def values(self) -> None:
        """Monthly figures per commune: 2025 whole, 2026 up to October (a few communes have
        not sent October). Jobs run ahead of the 52.000 plan; overseas workers lag 2.600."""
        self.demo.report("Tây Ninh (80, bản đồ mới), 2025–2026…")
        rng = random.Random(2026)
        weights = [rng.uniform(0.4, 2.2) for _ in self.communes]
        late = set(range(len(self.communes) - 4, len(self.communes)))
        yearly = {2025: (50_400, 2_450, 96), 2026: (56_000, 2_300, 100)}
        for year, (jobs, overseas, fairs) in yearly.items():
            months = 12 if year == 2025 else 10
            for month in range(1, months + 1):
                season = 0.85 + 0.3 * (month in (3, 4, 9, 10, 11))
                for index, commune in enumerate(self.communes):
                    if year == 2026 and month == 10 and index in late:
                        continue
                    share = weights[index] / sum(weights) * season
                    period = f"{year}{month:02d}"
                    noise = rng.uniform(0.8, 1.2)
                    self.demo.value("jobs_created", commune, period,
                                    round(jobs / 12 * share * noise))
                    self.demo.value("overseas_workers", commune, period,
                                    round(overseas / 12 * share * rng.uniform(0.5, 1.5)))
                    if index % 8 == 0:
                        self.demo.value("job_fair_sessions", commune, period,
                                        max(1, round(fairs / 12 / 12 * noise)))

    def targets(self) -> None:
        target_set = target_set_get_or_create(
            name=TAY_NINH_2026_SET, kind="assigned", scope=self.province, period="2026",
            actor=ACTOR,
        )
        sim = "Chỉ tiêu mô phỏng"
        for code, comparison, value in (
            ("jobs_created", "at_least", 52_000),
            ("overseas_workers", "at_least", 2_600),
            ("job_fair_sessions", "at_least", 90),
            ("trained_labour_rate", "at_least", 76),
        ):
            self.demo.target(target_set, code, self.province, "2026", comparison, value,
                             note=sim, person="Nguyễn Thị Lan")

    def submissions(self, data_set: DataSet) -> int:
        """Reports in every state: August and September approved, October submitted but for
        one returned and the few not sent (earlier months are stored as drafts). Only cells
        without a submission are touched, so a second run changes nothing."""
        done = set(
            Submission.objects.filter(data_set=data_set, org_unit__in=self.communes)
            .values_list("org_unit_id", "period")
        )
        created = 0
        for month in range(8, 11):
            period = parse_period(f"2026{month:02d}")
            for index, commune in enumerate(self.communes):
                if (commune.id, period.code) in done:
                    continue
                if month == 10 and index >= len(self.communes) - 4:
                    continue
                cell = {"data_set": data_set, "org_unit": commune, "period": period,
                        "actor": ACTOR}
                submission_submit(**cell)
                if month < 10:
                    submission_approve(**cell)
                elif index == 2:
                    submission_return(
                        **cell, reason="Số lao động đi nước ngoài chưa khớp danh sách xuất cảnh"
                    )
                created += 1
        return created


    def schedule(self, data_set: DataSet) -> None:
        """The communes' monthly labour report under the default regime (15th to 14th, two
        working days to the deadline), so the schedule page shows who is on time, late or
        missing. The demo's reports were all sent when the demo was loaded, so they show late
        against October's deadline."""
        from tiendo.reports.models import ReportingSchedule

        ReportingSchedule.objects.get_or_create(
            name="Báo cáo tháng lao động - việc làm cấp xã (Tây Ninh)",
            defaults={"data_set": data_set, "root": self.province,
                      "unit_kind": OrgUnit.Kind.COMMUNE, "period_type": "month"},
        )


def _demo_users(today: _TodayDemo) -> None:
    provinces = {"80": today.province, "79": orgunit_resolve(code="79", on=TODAY_MAP_DAY)}
    for username, full_name, role, province, commune in DEMO_USERS:
        unit = None
        if province is not None:
            unit = provinces[province] if commune is None else today.communes[commune]
        user_with_membership(
            username=username, password=DEMO_PASSWORD, role=role, org_unit=unit,
            full_name=full_name, actor=ACTOR,
        )


def demo_load(*, progress: Callable[[str], None] | None = None) -> dict:
    """Load the demonstration data; assumes the map of units and the catalogue are loaded.

    Idempotent: running it again creates and changes nothing. Returns counts.
    """
    from tiendo.demo.socio_economic import socio_economic_load

    report = progress or (lambda message: None)
    with transaction.atomic():
        # Indicators the demo needs beyond the catalogue (HCMC's own targets).
        catalogue_load(pack_dir=PACKS_DIR / "demo_extra")
        demo = _Demo(report)
        demo.long_an()
        demo.hcmc()
        demo.an_giang()
        socio_economic_load(demo)  # the socio-economic sets (tiendo/demo/socio_economic.py)
        today = _TodayDemo(demo)
        data_set = today.data_set()
        today.values()
        today.targets()
        report(_("Saving the data values…"))
        result = datavalues_save(values=demo.values, actor=ACTOR, source=SOURCE)
        report(_("Reports of the communes and the demo users…"))
        submissions = today.submissions(data_set)
        today.schedule(data_set)
        _demo_users(today)
        tasks = demo_tasks_load()
        demo_issuers_load()
        poverty_demo(report, actor=ACTOR)
    return {
        "values_created": result.created,
        "values_updated": result.updated,
        "values_unchanged": result.unchanged,
        "targets": demo.targets,
        "submissions_created": submissions,
        "tasks": tasks,
    }
