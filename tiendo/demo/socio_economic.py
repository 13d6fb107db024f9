"""The province's main socio-economic targets in the demo (the pack `kinh_te_xa_hoi`).

- Long An 2023: the People's Committee's 23 targets, 21 met; the two that failed as
  published (GRDP growth 5,77% against 8–8,5%, and the growth of budget revenue).
- Long An 2024: the People's Committee's plan of 25/12/2023 (ranges, +12% revenue, communes
  reaching standards, 94% health insurance) with the December 2024 estimates (growth 8,3%:
  met inside 8,0–8,5%; revenue +22,9%: exceeded), beside the People's Council's resolution
  and the Party Committee's 18 targets (list simulated): the same indicator from three sets.
- Long An 2021–2025: the XIth Party Congress (9,2–10% average growth, 115–120 million đồng
  per person by 2025), judged mid-term.
- Tân An city (794): its 2023 and 2024 resolutions, 18 main targets each (list simulated).
- An Giang (89): its 2021–2025 term judged on its data to 30/06/2025, when it ended.

Published figures cite their source ("Nguồn: …"); everything else says "Dữ liệu mô phỏng".
Communes reaching a standard are recorded one by one with a (simulated) decision date, so
the counts are computed.
"""

import datetime

from tiendo.demo.loader import LEGACY_DAY, SIMULATED
from tiendo.indicators.loaders import SOCIO_ECONOMIC_PACK, catalogue_load
from tiendo.indicators.models import DataElement, Indicator
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_descendants, orgunit_resolve
from tiendo.plans.services import document_get_or_create, target_set_get_or_create
from tiendo.standards.services import standard_get_or_create, unit_standard_record

ACTOR = "demo"


def _real(source: str) -> str:
    return f"Nguồn: {source}"


def _fitted(source: str, what: str) -> str:
    """Simulated figures chosen so that a published figure comes out (as the loader's)."""
    return f"{SIMULATED}, khớp số liệu công bố ({what}). Nguồn: {source}"

SRC_VNECONOMY = ("vneconomy.vn, \u201cLong An đặt mục tiêu tăng trưởng kinh tế 8,5% trong năm "
                 "2024\u201d (12/2023)")
SRC_TTXVN = "TTXVN/chinhsachcuocsong.vnanet.vn, hội nghị UBND tỉnh Long An ngày 25/12/2023"
SRC_SGGP = "sggp.org.vn, 11/12/2024"
SRC_VOV = "VOV, Đại hội đại biểu Đảng bộ tỉnh Long An lần thứ XI (nhiệm kỳ 2020–2025)"
SRC_PORTAL = ("Cổng TTĐT tỉnh Long An, \u201cNăm 2024: Tỉnh ủy Long An đề ra 18 chỉ tiêu chủ "
              "yếu\u201d (28/11/2023)")
SRC_TAN_AN = ("Báo Long An, \u201cQuyết tâm trong năm mới!\u201d (01/2024): TP. Tân An đạt và "
              "vượt tất cả chỉ tiêu chủ yếu năm 2023; 18 chỉ tiêu chủ yếu năm 2024")

UBND_2023_SET = "UBND tỉnh Long An – Kế hoạch phát triển KT-XH năm 2023"
UBND_2024_SET = "UBND tỉnh Long An – Kế hoạch phát triển KT-XH năm 2024"
HDND_2024_SET = "HĐND tỉnh Long An – Nghị quyết 45 về KT-XH năm 2024"
TINH_UY_2024_SET = "Tỉnh ủy Long An – 18 chỉ tiêu chủ yếu năm 2024"
CONGRESS_SET = "Đảng bộ tỉnh Long An – Nghị quyết Đại hội XI, nhiệm kỳ 2020–2025"
TAN_AN_2023_SET = "Thành ủy Tân An – Nghị quyết năm 2023"
TAN_AN_2024_SET = "Thành ủy Tân An – Nghị quyết năm 2024"
AN_GIANG_TERM_SET = "Đảng bộ tỉnh An Giang – Nghị quyết Đại hội XI, nhiệm kỳ 2020–2025"
LISTED = "Danh mục chỉ tiêu mô phỏng (nguồn không công bố danh mục)"

# Long An, yearly: code -> {year: value}; None marks a figure given elsewhere.
# 2023 GRDP, per person and structure are published (People's Committee, 12/2023); 2024
# figures are December estimates (ước).
LONG_AN = {
    "grdp_growth": {2021: "1.52", 2022: "7.56", 2023: "5.77", 2024: "8.3"},
    "grdp_current": {2023: 168_108},
    "grdp_per_capita": {2022: "90.14", 2023: "96.42", 2024: "106.2"},
    "share_agriculture": {2023: "15.27"},
    "share_industry": {2023: "51.34"},
    "share_services": {2023: "27.23"},
    "share_product_taxes": {2023: "6.16"},
    "social_investment_share": {2023: "31.2", 2024: "31.6"},
    "budget_revenue": {2022: 21_500, 2023: 20_342, 2024: 25_000},
    "export_turnover": {2023: 8_720, 2024: 9_310},
    "new_enterprises": {2023: 1_352, 2024: 1_410},
    "public_investment_disbursed_rate": {2023: "96.1", 2024: 100},
    "land_cleared": {2023: 1_080, 2024: 1_364},
    "industrial_park_occupancy": {2023: "72.5"},
    "urbanisation_rate": {2023: "42.3", 2024: "43.4"},
    "health_insurance_coverage": {2023: "93.1", 2024: "94.2"},
    "doctors_per_10k": {2023: "9.2"},
    "hospital_beds_per_10k": {2023: "25.6"},
    "schools_national_standard_rate": {2023: "71.4"},
    "rural_clean_water_rate": {2023: 72, 2024: "75.6"},
    "urban_waste_treated_rate": {2023: "98.5", 2024: "98.8"},
    "industrial_parks_wastewater_rate": {2023: 100, 2024: 100},
}
PUBLISHED = {  # (code, year) -> what the source says
    ("grdp_growth", 2023): SRC_TTXVN,
    ("grdp_current", 2023): SRC_TTXVN,
    ("grdp_per_capita", 2023): SRC_TTXVN,
    ("share_agriculture", 2023): SRC_TTXVN,
    ("share_industry", 2023): SRC_TTXVN,
    ("share_services", 2023): SRC_TTXVN,
    ("share_product_taxes", 2023): SRC_TTXVN,
    ("grdp_growth", 2024): SRC_SGGP,
    ("public_investment_disbursed_rate", 2024): SRC_SGGP,
    ("land_cleared", 2024): SRC_SGGP,
}
FITTED = {
    ("budget_revenue", 2022): "thu ngân sách 2023 không đạt kế hoạch; 2024 ước 25.000 tỷ, +22,9%",
    ("budget_revenue", 2023): "thu ngân sách 2023 không đạt kế hoạch; 2024 ước 25.000 tỷ, +22,9%",
    ("budget_revenue", 2024): "ước khoảng 25.000 tỷ đồng cả năm, tăng 22,9%",
    ("grdp_per_capita", 2022): "năm 2023 tăng 6,28 triệu đồng so với năm 2022",
}
ESTIMATED_YEAR = 2024  # the December 2024 estimates

# The People's Committee's 23 targets for 2023: (indicator, comparison, value, value_max).
# Growth "about 8–8,5%" and revenue growth (not met) as published; the others simulated.
UBND_2023 = [
    ("grdp_growth", "range", 8, "8.5"),
    ("budget_revenue", "increase_pct", 10, None),
    ("grdp_per_capita", "at_least", 95, None),
    ("grdp_current", "at_least", 165_000, None),
    ("share_industry", "at_least", 51, None),
    ("share_services", "at_least", 27, None),
    ("share_agriculture", "at_most", "15.5", None),
    ("social_investment_share", "range", 30, 32),
    ("export_turnover", "at_least", 8_500, None),
    ("new_enterprises", "at_least", 1_300, None),
    ("public_investment_disbursed_rate", "at_least", 95, None),
    ("land_cleared", "at_least", 1_000, None),
    ("industrial_park_occupancy", "at_least", 70, None),
    ("urbanisation_rate", "at_least", 42, None),
    ("health_insurance_coverage", "at_least", "92.5", None),
    ("doctors_per_10k", "at_least", 9, None),
    ("hospital_beds_per_10k", "at_least", 25, None),
    ("schools_national_standard_rate", "at_least", 70, None),
    ("rural_clean_water_rate", "at_least", 70, None),
    ("urban_waste_treated_rate", "at_least", 98, None),
    ("industrial_parks_wastewater_rate", "at_least", 100, None),
    ("trained_labour_rate", "at_least", 73, None),
    ("new_rural_communes_added", "at_least", 6, None),
]
PUBLISHED_2023_TARGETS = {"grdp_growth", "budget_revenue"}

# The People's Committee's plan for 2024 (25/12/2023), as published, with the land and
# disbursement targets fitted to the published results.
UBND_2024 = [
    ("grdp_growth", "range", 8, "8.5", _real(SRC_TTXVN)),
    ("grdp_per_capita", "range", 105, 110, _real(SRC_TTXVN)),
    ("social_investment_share", "range", 31, 33, _real(SRC_TTXVN)),
    ("budget_revenue", "increase_pct", 12, None, _real(SRC_TTXVN) + "; tăng 12% so với 2023"),
    ("new_rural_communes_added", "at_least", 8, None, _real(SRC_TTXVN)),
    ("advanced_rural_communes_added", "at_least", 12, None, _real(SRC_TTXVN)),
    ("model_rural_communes_added", "at_least", 4, None, _real(SRC_TTXVN)),
    ("new_rural_districts_added", "at_least", 3, None, _real(SRC_TTXVN)),
    ("health_insurance_coverage", "at_least", 94, None, _real(SRC_TTXVN)),
    ("land_cleared", "at_least", 1_173, None,
     _fitted(SRC_SGGP, "1.364 ha, đạt 116,3% kế hoạch")),
    ("public_investment_disbursed_rate", "at_least", 95, None, SIMULATED),
    ("trained_labour_rate", "at_least", 75, None, _real(SRC_PORTAL)),
]
# The People's Council's resolution: the growth figure is not in the sources (simulated).
HDND_2024 = [
    ("grdp_growth", "at_least", 8, None),
    ("grdp_per_capita", "at_least", 105, None),
    ("budget_revenue", "increase_pct", 12, None),
    ("health_insurance_coverage", "at_least", 94, None),
]
# The Party Committee's 18 main targets for 2024: published as a count, not as a list.
TINH_UY_2024 = [
    ("grdp_growth", "range", 8, "8.5"),
    ("grdp_per_capita", "range", 105, 110),
    ("social_investment_share", "range", 31, 33),
    ("budget_revenue", "increase_pct", 12, None),
    ("new_rural_communes_added", "at_least", 8, None),
    ("advanced_rural_communes_added", "at_least", 12, None),
    ("model_rural_communes_added", "at_least", 4, None),
    ("new_rural_districts_added", "at_least", 3, None),
    ("health_insurance_coverage", "at_least", 94, None),
    ("trained_labour_rate", "at_least", 75, None),
    ("trained_certified_rate", "at_least", 34, None),
    ("export_turnover", "at_least", 9_000, None),
    ("public_investment_disbursed_rate", "at_least", 95, None),
    ("land_cleared", "at_least", 1_100, None),
    ("urbanisation_rate", "at_least", 43, None),
    ("urban_waste_treated_rate", "at_least", "98.5", None),
    ("industrial_parks_wastewater_rate", "at_least", 100, None),
    ("rural_clean_water_rate", "at_least", 75, None),
]

# Tân An city: 18 main targets a year (list simulated), its values by year; all met in
# 2023 as published, 16 of 18 in 2024 (simulated: revenue and health insurance short).
# Labour-social targets as the province's.
TAN_AN = [
    # (indicator, comparison, 2023 target, 2024 target, 2023 value, 2024 value)
    ("grdp_growth", "at_least", "8.5", 9, "8.9", "9.1"),
    ("grdp_per_capita", "at_least", 120, 130, "124.5", "131.2"),
    ("budget_revenue", "at_least", 1_450, 1_600, 1_512, 1_580),
    ("new_enterprises", "at_least", 300, 320, 318, 335),
    ("export_turnover", "at_least", 700, 760, 742, 781),
    ("public_investment_disbursed_rate", "at_least", 95, 95, "97.2", "98.5"),
    ("land_cleared", "at_least", 60, 70, 64, 72),
    ("urbanisation_rate", "at_least", 80, 81, "80.6", "81.4"),
    ("advanced_rural_communes_added", "at_least", 1, 1, None, None),
    ("model_rural_communes_added", "at_least", 1, 1, None, None),
    ("health_insurance_coverage", "at_least", 94, 95, "94.6", "94.8"),
    ("schools_national_standard_rate", "at_least", 80, 82, "81.3", "82.5"),
    ("cultural_family_rate", "at_least", 95, 95, "96.1", "96.4"),
    ("doctors_per_10k", "at_least", 15, 16, "15.4", "16.2"),
    ("urban_waste_treated_rate", "at_least", 100, 100, 100, 100),
    ("rural_clean_water_rate", "at_least", 90, 95, "92.5", "95.3"),
    ("trained_labour_rate", "at_least", 80, 81, None, None),
    ("trained_certified_rate", "at_least", 40, 41, None, None),
]
# Tân An's labour (stocks at year end), simulated: 2023 81,0% / 41,0%; 2024 81,5% / 42,0%.
TAN_AN_LABOUR = {2023: (82_000, 66_420, 33_620), 2024: (82_500, 67_238, 34_650)}

# Communes reaching a standard, by year of the decision (simulated, labelled): province-wide
# counts beside Tân An's (communes of Tân An counted in the province's too).
STANDARDS = (
    # (code, names, unit kind, indicator counting the new ones)
    ("nong_thon_moi", "Xã đạt chuẩn nông thôn mới", "Communes meeting the new-rural standard",
     "commune", "new_rural_communes_added"),
    ("ntm_nang_cao", "Xã đạt chuẩn nông thôn mới nâng cao",
     "Communes meeting the advanced new-rural standard", "commune",
     "advanced_rural_communes_added"),
    ("ntm_kieu_mau", "Xã đạt chuẩn nông thôn mới kiểu mẫu",
     "Communes meeting the model new-rural standard", "commune", "model_rural_communes_added"),
    ("huyen_nong_thon_moi", "Huyện đạt chuẩn nông thôn mới (hoàn thành nhiệm vụ xây dựng NTM)",
     "Districts meeting the new-rural standard", "district", "new_rural_districts_added"),
)

# An Giang's term (simulated list, labelled): average growth and per person by 2025.
AN_GIANG_GROWTH = {2021: "2.14", 2022: "7.72", 2023: "6.45", 2024: "7.2"}


def _source(code: str, year: int) -> str:
    if (code, year) in PUBLISHED:
        return _real(PUBLISHED[(code, year)])
    if (code, year) in FITTED:
        source = SRC_SGGP if year == 2024 else SRC_TTXVN
        return _fitted(source, FITTED[(code, year)])
    return SIMULATED


def socio_economic_load(demo) -> None:
    """Add the socio-economic sets to the demo (`demo` is the loader's `_Demo`)."""
    demo.report("Long An, Tân An, An Giang: chỉ tiêu kinh tế – xã hội…")
    catalogue_load(pack_dir=SOCIO_ECONOMIC_PACK)
    demo.elements.update({e.code: e for e in DataElement.objects.all()})
    demo.indicators.update({i.code: i for i in Indicator.objects.all()})
    province = orgunit_resolve(code="80", on=LEGACY_DAY)
    tan_an = orgunit_resolve(code="794", on=LEGACY_DAY)
    _values(demo, province, tan_an)
    _standards(demo, province, tan_an)
    _long_an_sets(demo, province)
    _tan_an_sets(demo, tan_an)
    _an_giang(demo)


def _values(demo, province: OrgUnit, tan_an: OrgUnit) -> None:
    for code, by_year in LONG_AN.items():
        for year, value in by_year.items():
            demo.value(code, province, str(year), value, _source(code, year),
                       estimate=year == ESTIMATED_YEAR)
    for code, _comparison, _t23, _t24, v23, v24 in TAN_AN:
        for year, value in ((2023, v23), (2024, v24)):
            if value is not None:
                demo.value(code, tan_an, str(year), value, SIMULATED,
                           estimate=year == ESTIMATED_YEAR)
    for year, (force, trained, certified) in TAN_AN_LABOUR.items():
        demo.value("labour_force", tan_an, str(year), force)
        demo.value("trained_workers", tan_an, str(year), trained)
        demo.value("trained_workers_certified", tan_an, str(year), certified)


def _standards(demo, province: OrgUnit, tan_an: OrgUnit) -> None:
    """Decisions recognising communes and districts (simulated): the 2023 and 2024 counts
    the targets are judged on — NTM 7 and 9, advanced 5 and 13, model 3 and 4, districts 2
    and 3 for the province; Tân An 1 advanced and 1 model in each year."""
    communes = list(orgunit_descendants(province, on=LEGACY_DAY)
                    .filter(kind=OrgUnit.Kind.COMMUNE))
    own = [c for c in communes if c.path.startswith(tan_an.path)]
    others = [c for c in communes if not c.path.startswith(tan_an.path)]
    districts = [d for d in orgunit_descendants(province, on=LEGACY_DAY)
                 .filter(kind=OrgUnit.Kind.DISTRICT) if d.pk != tan_an.pk]
    plan = {
        "nong_thon_moi": {2023: others[0:7], 2024: others[7:16]},
        "ntm_nang_cao": {2023: [*others[20:24], own[0]], 2024: [*others[24:36], own[1]]},
        "ntm_kieu_mau": {2023: [*others[40:42], own[2]], 2024: [*others[42:45], own[3]]},
        "huyen_nong_thon_moi": {2023: districts[0:2], 2024: districts[2:5]},
    }
    for code, name_vi, name_en, kind, indicator in STANDARDS:
        standard = standard_get_or_create(
            code=code, name_vi=name_vi, name_en=name_en, unit_kind=kind,
            indicator_added=demo.indicators[indicator], actor=ACTOR)
        for year, units in plan[code].items():
            for number, unit in enumerate(units, start=1):
                day = datetime.date(year, 3 + (number * 7) % 9, 10 + number % 15)
                unit_standard_record(
                    standard=standard, org_unit=unit, reached_on=day,
                    decision=f"{number * 37 + year % 100}/QĐ-UBND", comment=SIMULATED,
                    actor=ACTOR)


def _set(name: str, unit: OrgUnit, period: str, symbol: str, issuer: str, title: str,
         date: datetime.date, kind: str = "plan"):
    document = document_get_or_create(symbol=symbol, kind=kind, date=date, issuer=issuer,
                                      title=title, actor=ACTOR)
    return target_set_get_or_create(name=name, kind="assigned", document=document, scope=unit,
                                    period=period, actor=ACTOR)


def _long_an_sets(demo, province: OrgUnit) -> None:
    ubnd, hdnd, tinh_uy = "UBND tỉnh Long An", "HĐND tỉnh Long An", "Tỉnh ủy Long An"
    plan_2023 = _set(UBND_2023_SET, province, "2023", "KH-KTXH-2023/UBND-LA", ubnd,
                     "Kế hoạch phát triển kinh tế – xã hội năm 2023 (số hiệu mô phỏng)",
                     datetime.date(2022, 12, 20))
    published = _real(SRC_TTXVN) + "; 21/23 chỉ tiêu đạt và vượt, không đạt: tăng trưởng GRDP "
    published += "và tăng thu ngân sách"
    for code, comparison, value, value_max in UBND_2023:
        note = published if code in PUBLISHED_2023_TARGETS else f"{SIMULATED}. {LISTED}"
        demo.target(plan_2023, code, province, "2023", comparison, value, value_max, note=note)

    plan_2024 = _set(UBND_2024_SET, province, "2024", "KH-KTXH-2024/UBND-LA", ubnd,
                     "Kế hoạch phát triển kinh tế – xã hội năm 2024, hội nghị 25/12/2023 "
                     "(số hiệu mô phỏng)", datetime.date(2023, 12, 25))
    for code, comparison, value, value_max, note in UBND_2024:
        demo.target(plan_2024, code, province, "2024", comparison, value, value_max, note=note)
    council = _set(HDND_2024_SET, province, "2024", "45/NQ-HĐND", hdnd,
                   "Nghị quyết về kế hoạch phát triển kinh tế – xã hội năm 2024",
                   datetime.date(2023, 12, 8), kind="resolution")
    for code, comparison, value, value_max in HDND_2024:
        demo.target(council, code, province, "2024", comparison, value, value_max,
                    note=f"{SIMULATED} (nguồn: {SRC_VNECONOMY} không nêu chỉ tiêu này)")
    party = _set(TINH_UY_2024_SET, province, "2024", "NQ-TU-2024-LA", tinh_uy,
                 "Nghị quyết về nhiệm vụ năm 2024: 18 chỉ tiêu chủ yếu (số hiệu mô phỏng)",
                 datetime.date(2023, 11, 28), kind="resolution")
    for code, comparison, value, value_max in TINH_UY_2024:
        demo.target(party, code, province, "2024", comparison, value, value_max,
                    note=f"{_real(SRC_PORTAL)}: 18 chỉ tiêu. {LISTED}")

    congress = _set(CONGRESS_SET, province, "2021-2025", "NQ-ĐH-XI-LA", "Đảng bộ tỉnh Long An",
                    "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XI, nhiệm kỳ 2020–2025 "
                    "(số hiệu mô phỏng)", datetime.date(2020, 10, 16), kind="resolution")
    demo.target(congress, "grdp_growth", province, "2021-2025", "average_growth", "9.2", 10,
                note=_real(SRC_VOV) + "; tăng trưởng GRDP bình quân 9,2–10%/năm")
    demo.target(congress, "grdp_per_capita", province, "2021-2025", "range", 115, 120,
                note=_real(SRC_VOV) + "; GRDP bình quân đầu người năm 2025 115–120 triệu đồng")


def _tan_an_sets(demo, tan_an: OrgUnit) -> None:
    issuer = "Thành ủy Tân An"
    for name, year, date in ((TAN_AN_2023_SET, 2023, datetime.date(2022, 12, 15)),
                             (TAN_AN_2024_SET, 2024, datetime.date(2023, 12, 14))):
        target_set = _set(name, tan_an, str(year), f"NQ-TU-TANAN-{year}", issuer,
                          f"Nghị quyết về nhiệm vụ năm {year}: 18 chỉ tiêu chủ yếu "
                          "(số hiệu mô phỏng)", date, kind="resolution")
        for code, comparison, t23, t24, _v23, _v24 in TAN_AN:
            demo.target(target_set, code, tan_an, str(year), comparison,
                        t23 if year == 2023 else t24,
                        note=f"{_real(SRC_TAN_AN)}. {LISTED}")


def _an_giang(demo) -> None:
    unit = orgunit_resolve(code="89", on=LEGACY_DAY)
    for year, growth in AN_GIANG_GROWTH.items():
        demo.value("grdp_growth", unit, str(year), growth)
    demo.value("grdp_per_capita", unit, "2024", "78.6")
    term = _set(AN_GIANG_TERM_SET, unit, "2021-2025", "NQ-ĐH-XI-AG", "Đảng bộ tỉnh An Giang",
                "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XI, nhiệm kỳ 2020–2025 "
                "(số hiệu mô phỏng)", datetime.date(2020, 10, 15), kind="resolution")
    demo.target(term, "grdp_growth", unit, "2021-2025", "average_growth", "6.5", 7,
                note=f"{SIMULATED}: chỉ tiêu và số liệu tăng trưởng")
    demo.target(term, "grdp_per_capita", unit, "2021-2025", "at_least", 80,
                note=f"{SIMULATED}: chỉ tiêu và số liệu")
