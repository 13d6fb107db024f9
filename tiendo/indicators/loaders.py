"""Load an indicator pack (CSV files, codes stable across versions) into the catalogue."""

import csv
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.audit.services import Actor, audited_bulk_create, audited_update
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
# The province's main socio-economic targets (docs/socio-economic.md).
SOCIO_ECONOMIC_PACK = PACKS_DIR / "kinh_te_xa_hoi"
LOADER = Actor.system("catalogue")


def _load_rows(model, items: list[tuple]) -> dict[tuple, object]:
    """Rows of `model` by key: each item is (key, lookup, data, audit key[, defaults]). A row
    that exists gets `data` (audited, and only if it changes anything); the missing ones are
    created together with `data` and their defaults, each with its record. The whole table
    is read once: the catalogue is small."""
    fields = list(items[0][1]) if items else []
    existing = {tuple(getattr(row, f"{name}_id" if name in _RELATIONS else name)
                      for name in fields): row for row in model.objects.all()}
    found, pending = {}, {}
    for key, lookup, data, audit_key, *created_with in items:
        row = existing.get(key)
        if row is None:  # the last of a repeated key wins
            pending[key] = ({**lookup, **(created_with[0] if created_with else {}), **data},
                            audit_key)
        else:
            audited_update(instance=row, fields=list(data), data=data, actor=LOADER,
                           key=audit_key)
            found[key] = row
    created = audited_bulk_create(model=model, rows=list(pending.values()), actor=LOADER)
    found.update(zip(pending, created, strict=True))
    return found


_RELATIONS = {"disaggregation"}  # lookups by a foreign key compare its id


def _set_members(relation, wanted: dict[int, set[int]], *, remove: bool) -> None:
    """Make a many-to-many relation hold `wanted` (owner id → member ids) in two or three
    queries; with `remove`, members not wanted any more are taken out."""
    through = relation.through
    owner = relation.field.m2m_field_name() + "_id"
    member = relation.field.m2m_reverse_field_name() + "_id"
    current: dict[int, set[int]] = {}
    for owner_id, member_id in through.objects.filter(
            **{f"{owner}__in": list(wanted)}).values_list(owner, member):
        current.setdefault(owner_id, set()).add(member_id)
    if remove:
        extra = [(o, m) for o, members in current.items() for m in members - wanted.get(o, set())]
        for owner_id, member_id in extra:
            through.objects.filter(**{owner: owner_id, member: member_id}).delete()
    through.objects.bulk_create([
        through(**{owner: owner_id, member: member_id})
        for owner_id, members in wanted.items()
        for member_id in sorted(members - current.get(owner_id, set()))
    ])


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
    part_rows = _read(pack_dir / "disaggregations.csv")
    disaggregations = _load_rows(Disaggregation, [  # named by its code until renamed
        ((code,), {"code": code}, {}, code, {"name_vi": code})
        for code in dict.fromkeys(row["disaggregation"] for row in part_rows)
    ])
    _load_rows(DisaggregationPart, [
        ((disaggregations[(row["disaggregation"],)].pk, row["code"]),
         {"disaggregation": disaggregations[(row["disaggregation"],)], "code": row["code"]},
         {"name_vi": row["name_vi"], "name_en": row["name_en"], "sort_order": order},
         f"{row['disaggregation']} {row['code']}")
        for order, row in enumerate(part_rows)
    ])
    counts["disaggregations"] = len(part_rows)

    rows = _read(_pack_file(pack_dir))
    problems: list[Problem] = []
    by_code = {d.code: d for d in Disaggregation.objects.all()}
    element_items = []
    for line, row in enumerate(rows, start=2):
        if row["kind"] != "element":
            continue
        disaggregation = None
        if row["disaggregation"]:
            disaggregation = by_code.get(row["disaggregation"])
            if disaggregation is None:
                problems.append(
                    Problem(_("unknown disaggregation"), line, "disaggregation",
                            row["disaggregation"])
                )
                continue
        element_items.append(((row["code"],), {"code": row["code"]}, {
            "name_vi": row["name_vi"],
            "name_en": row["name_en"],
            "unit_vi": row["unit_vi"],
            "value_type": row["value_type"],
            "time_aggregation": row["time_aggregation"],
            "unit_aggregation": row["unit_aggregation"],
            "disaggregation": disaggregation,
            "sector": row["sector"],
        }, row["code"]))
    elements = {code: element for (code,), element in _load_rows(DataElement,
                                                                   element_items).items()}
    counts["elements"] = len(element_items)
    known = {e.code: e.pk for e in DataElement.objects.only("pk", "code")}

    indicator_items, formulas = [], {}
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
        formulas[row["code"]] = formula
        indicator_items.append(((row["code"],), {"code": row["code"]}, {
            "name_vi": row["name_vi"],
            "name_en": row["name_en"],
            "unit_vi": row["unit_vi"],
            "value_type": row["value_type"],
            "direction": row["direction"],
            "formula": formula.text,
            "decimals": DEFAULT_DECIMALS.get(row["value_type"], 2),
            "sector": row["sector"],
        }, row["code"]))
    if problems:
        raise InvalidInput(problems)
    indicators = _load_rows(Indicator, indicator_items)
    # Not audited on its own: an indicator's elements follow its formula, which is.
    _set_members(Indicator.elements, {
        indicator.pk: {known[code] for code in formulas[code_key].elements}
        for (code_key,), indicator in indicators.items()
    }, remove=True)
    counts["indicators"] = len(indicator_items)
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
    "kinh_te": ("Kinh tế", "Economy"),
    "xa_hoi": ("Văn hóa - Xã hội", "Society and culture"),
    "moi_truong": ("Môi trường", "Environment"),
    "nong_thon_moi": ("Nông thôn mới", "New rural development"),
}


def _sector_data_sets(elements) -> int:
    """One data set per sector holding the sector's elements; existing sets gain new ones."""
    by_sector: dict[str, list[DataElement]] = {}
    # An element another form already holds (a province's monthly report) stays there only:
    # one form per element, so that a report's status and its values' agree.
    elements = list(elements)
    sectors = {element.sector for element in elements if element.sector}
    taken = set(DataSet.elements.through.objects.exclude(
        dataset__code__in=sectors).values_list("dataelement_id", flat=True))
    for element in elements:
        if element.sector and element.pk not in taken:
            by_sector.setdefault(element.sector, []).append(element)
    data_sets = _load_rows(DataSet, [  # named after its sector; a renamed set stays renamed
        ((sector,), {"code": sector}, {}, sector,
         dict(zip(("name_vi", "name_en"), SECTOR_NAMES.get(sector, (sector, sector)),
                  strict=True)))
        for sector in by_sector])
    # Not audited on its own: membership follows each element's sector, which is.
    _set_members(DataSet.elements, {
        data_sets[(sector,)].pk: {e.pk for e in members} for sector, members in by_sector.items()
    }, remove=False)
    return len(by_sector)


def _pack_file(pack_dir: Path) -> Path:
    files = [p for p in sorted(pack_dir.glob("*.csv")) if p.name != "disaggregations.csv"]
    if len(files) != 1:
        raise InvalidInput([Problem(_("a pack holds one indicator file"), field=str(pack_dir))])
    return files[0]
