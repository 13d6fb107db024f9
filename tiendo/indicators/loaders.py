"""Load an indicator pack (CSV files, codes stable across versions) into the catalogue."""

import csv
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.audit.services import Actor, audited_create, audited_update
from tiendo.errors import InvalidInput, Problem
from tiendo.indicators.models import (
    DEFAULT_DECIMALS,
    DataElement,
    DataSet,
    Disaggregation,
    DisaggregationPart,
    Indicator,
)
from tiendo.lib.formulas import FormulaError, parse_formula

PACKS_DIR = Path(__file__).parent / "packs"
DEFAULT_PACK = PACKS_DIR / "labour_social"
LOADER = Actor.system("catalogue")


def _found_or_created(model, *, lookup: dict, defaults: dict, key: str):
    """The row found by `lookup`, created with `defaults` (audited) when there is none."""
    found = model.objects.filter(**lookup).first()
    if found is None:
        found = audited_create(model=model, data={**lookup, **defaults}, actor=LOADER, key=key)
    return found


def _loaded(model, *, lookup: dict, data: dict, key: str):
    """The row found by `lookup` with `data` set on it, or a new one; audited either way,
    and left alone when it already says so (loading a pack again writes nothing)."""
    found = model.objects.filter(**lookup).first()
    if found is None:
        return audited_create(model=model, data={**lookup, **data}, actor=LOADER, key=key)
    audited_update(instance=found, fields=list(data), data=data, actor=LOADER, key=key)
    return found


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def catalogue_load(*, pack_dir: Path = DEFAULT_PACK) -> dict[str, int]:
    """Create or update the pack's disaggregations, data elements and indicators by code.

    Every data element with a direction, and every row of kind `indicator`, becomes an
    indicator; an element's own indicator has the element's code as its formula.
    """
    counts = {"disaggregations": 0, "elements": 0, "indicators": 0}
    for order, row in enumerate(_read(pack_dir / "disaggregations.csv")):
        disaggregation = _found_or_created(
            Disaggregation, lookup={"code": row["disaggregation"]},
            defaults={"name_vi": row["disaggregation"]}, key=row["disaggregation"],
        )
        _loaded(
            DisaggregationPart,
            lookup={"disaggregation": disaggregation, "code": row["code"]},
            data={"name_vi": row["name_vi"], "name_en": row["name_en"], "sort_order": order},
            key=f"{disaggregation.code} {row['code']}",
        )
        counts["disaggregations"] += 1

    rows = _read(_pack_file(pack_dir))
    problems: list[Problem] = []
    elements: dict[str, DataElement] = {}
    for line, row in enumerate(rows, start=2):
        if row["kind"] != "element":
            continue
        disaggregation = None
        if row["disaggregation"]:
            disaggregation = Disaggregation.objects.filter(code=row["disaggregation"]).first()
            if disaggregation is None:
                problems.append(
                    Problem(_("unknown disaggregation"), line, "disaggregation",
                            row["disaggregation"])
                )
                continue
        element = _loaded(
            DataElement,
            lookup={"code": row["code"]},
            key=row["code"],
            data={
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "unit_vi": row["unit_vi"],
                "value_type": row["value_type"],
                "time_aggregation": row["time_aggregation"],
                "unit_aggregation": row["unit_aggregation"],
                "disaggregation": disaggregation,
                "sector": row["sector"],
            },
        )
        elements[element.code] = element
        counts["elements"] += 1
    known = set(elements) | set(DataElement.objects.values_list("code", flat=True))

    for line, row in enumerate(rows, start=2):
        if row["kind"] == "element" and not row["direction"] and not row["formula"]:
            continue
        formula_text = row["formula"] or row["code"]
        try:
            formula = parse_formula(formula_text)
        except FormulaError as exc:
            problems.append(Problem(str(exc), line, "formula", formula_text))
            continue
        unknown = [code for code in formula.elements if code not in known]
        if unknown:
            problems.append(
                Problem(_("formula uses unknown data elements"), line, "formula",
                        ", ".join(unknown))
            )
            continue
        indicator = _loaded(
            Indicator,
            lookup={"code": row["code"]},
            key=row["code"],
            data={
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "unit_vi": row["unit_vi"],
                "value_type": row["value_type"],
                "direction": row["direction"],
                "formula": formula.text,
                "decimals": DEFAULT_DECIMALS.get(row["value_type"], 2),
                "sector": row["sector"],
            },
        )
        # Not audited on its own: the elements follow the formula, which is.
        indicator.elements.set(DataElement.objects.filter(code__in=formula.elements))
        counts["indicators"] += 1
    if problems:
        raise InvalidInput(problems)
    counts["data_sets"] = _sector_data_sets(elements.values())
    return counts


# Names of the catalogue's sectors, for the data set each one gets (one form per sector).
SECTOR_NAMES = {
    "lao_dong": ("Lao động - Việc làm", "Labour and employment"),
    "giam_ngheo": ("Giảm nghèo", "Poverty reduction"),
    "giao_duc_nghe_nghiep": ("Giáo dục nghề nghiệp", "Vocational education"),
    "nguoi_co_cong": ("Người có công", "Meritorious people"),
    "bao_tro_xa_hoi": ("Bảo trợ xã hội", "Social protection"),
    "tre_em": ("Trẻ em", "Children"),
    "xay_dung_dang": ("Xây dựng Đảng", "Party building"),
    "quan_ly": ("Quản lý, điều hành", "Management"),
}


def _sector_data_sets(elements) -> int:
    """One data set per sector holding the sector's elements; existing sets gain new ones."""
    by_sector: dict[str, list[DataElement]] = {}
    for element in elements:
        if element.sector:
            by_sector.setdefault(element.sector, []).append(element)
    for sector, members in by_sector.items():
        name_vi, name_en = SECTOR_NAMES.get(sector, (sector, sector))
        data_set = _found_or_created(
            DataSet, lookup={"code": sector}, defaults={"name_vi": name_vi, "name_en": name_en},
            key=sector,
        )
        # Not audited on its own: membership follows each element's sector, which is.
        data_set.elements.add(*members)
    return len(by_sector)


def _pack_file(pack_dir: Path) -> Path:
    files = [p for p in sorted(pack_dir.glob("*.csv")) if p.name != "disaggregations.csv"]
    if len(files) != 1:
        raise InvalidInput([Problem(_("a pack holds one indicator file"), field=str(pack_dir))])
    return files[0]
