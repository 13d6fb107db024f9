"""Load Vietnam's administrative units, both maps and the links between them.

Source: the `vietnam-provinces` package, which ships the map in force since 1 July 2025
(34 provinces, 3,321 communes, two levels), the legacy three-level map (63 provinces,
696 districts, 10,051 communes) and the official old→new conversion tables.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from tiendo.audit.services import Actor, audit_record
from tiendo.org.models import OrgUnit, OrgUnitSuccessor
from tiendo.org.services import orgunit_move

# The reorganisation of Resolution 202/2025/QH15 and the two-level local government law.
REORGANISED_ON = datetime.date(2025, 7, 1)
LEGACY_VALID_TO = REORGANISED_ON - datetime.timedelta(days=1)
ROOT_CODE = "VN"
ROOT_NAME = "Việt Nam"
BATCH_SIZE = 2000
SHARE_PLACES = Decimal("0.000001")

Kind = OrgUnit.Kind
# A unit of the loaded maps is identified by kind, code and validity, since codes are
# reused across maps (80 is Long An until 2025-06-30 and Tây Ninh from 2025-07-01).
type UnitKey = tuple[str, str, datetime.date | None, datetime.date | None]
type Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class _UnitSpec:
    key: UnitKey
    name: str
    parent: UnitKey | None

    @property
    def kind(self) -> str:
        return self.key[0]

    @property
    def code(self) -> str:
        return self.key[1]


def _legacy_key(kind: str, code: str) -> UnitKey:
    return (kind, code, None, LEGACY_VALID_TO)


def _current_key(kind: str, code: str) -> UnitKey:
    return (kind, code, REORGANISED_ON, None)


def _province_code(value: int) -> str:
    return f"{value:02d}"


def _district_code(value: int) -> str:
    return f"{value:03d}"


def _commune_code(value: int) -> str:
    return f"{value:05d}"


ROOT_KEY: UnitKey = (Kind.COUNTRY, ROOT_CODE, None, None)


def equal_shares(count: int) -> list[Decimal]:
    """`count` shares of 1, rounded to 6 decimals; the last takes the remainder so they sum to 1."""
    if count < 1:
        return []
    part = (Decimal(1) / count).quantize(SHARE_PLACES)
    return [part] * (count - 1) + [Decimal(1) - part * (count - 1)]


def _unit_levels() -> list[list[_UnitSpec]]:
    """Every unit of both maps, grouped by depth so parents are created before children."""
    from vietnam_provinces import Province, Ward
    from vietnam_provinces.legacy import District as LegacyDistrict
    from vietnam_provinces.legacy import Province as LegacyProvince
    from vietnam_provinces.legacy import Ward as LegacyWard

    provinces = [
        _UnitSpec(_legacy_key(Kind.PROVINCE, _province_code(p.code.value)), p.name, ROOT_KEY)
        for p in LegacyProvince.iter_all()
    ] + [
        _UnitSpec(_current_key(Kind.PROVINCE, _province_code(p.code.value)), p.name, ROOT_KEY)
        for p in Province.iter_all()
    ]
    middle = [
        _UnitSpec(
            _legacy_key(Kind.DISTRICT, _district_code(d.code.value)),
            d.name,
            _legacy_key(Kind.PROVINCE, _province_code(d.province_code.value)),
        )
        for d in LegacyDistrict.iter_all()
    ] + [
        _UnitSpec(
            _current_key(Kind.COMMUNE, _commune_code(w.code.value)),
            w.name,
            _current_key(Kind.PROVINCE, _province_code(w.province_code.value)),
        )
        for w in Ward.iter_all()
    ]
    legacy_communes = [
        _UnitSpec(
            _legacy_key(Kind.COMMUNE, _commune_code(w.code.value)),
            w.name,
            _legacy_key(Kind.DISTRICT, _district_code(w.district_code.value)),
        )
        for w in LegacyWard.iter_all()
    ]
    return [[_UnitSpec(ROOT_KEY, ROOT_NAME, None)], provinces, middle, legacy_communes]


def _successor_shares(levels: list[list[_UnitSpec]]) -> tuple[dict, int]:
    """Desired links {(predecessor key, successor key): share} and the legacy communes left
    without a successor because the package's conversion table does not list them."""
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCES_OLD_TO_NEW
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARDS_OLD_TO_NEW

    specs = {spec.key: spec for level in levels for spec in level}
    links: dict[tuple[UnitKey, UnitKey], Decimal] = {}

    # Communes: the conversion table is keyed by the old commune code; the old commune's
    # district and province come from the legacy map, not from the table's own columns
    # (which misfile a few communes, e.g. 27691 Phường 4, Tân An under Tiền Giang).
    reached: dict[UnitKey, set[UnitKey]] = defaultdict(set)
    unlinked = 0
    for spec in levels[3]:
        entry = WARDS_OLD_TO_NEW.get(int(spec.code))
        targets = [
            key
            for ref in (entry.new_wards if entry else ())
            if (key := _current_key(Kind.COMMUNE, _commune_code(ref.code))) in specs
        ]
        if not targets:
            unlinked += 1
            continue
        old_province = specs[spec.parent].parent
        for target, share in zip(targets, equal_shares(len(targets)), strict=True):
            links[(spec.key, target)] = share
            reached[old_province].add(specs[target].parent)

    # Provinces: the package's province table is derived from the commune table and so
    # inherits its misfiling: it sends Tiền Giang (82) to both Tây Ninh (80) and Đồng Tháp
    # (82), though all of Tiền Giang's communes went to Đồng Tháp. A new province that none of
    # the old province's communes reached is dropped; with that, every one of the 63 old
    # provinces has exactly one successor (share 1). Equal split stays for any future case.
    province_successors: dict[UnitKey, list[UnitKey]] = {}
    for spec in levels[1]:
        if spec.key[3] != LEGACY_VALID_TO:
            continue
        entry = PROVINCES_OLD_TO_NEW.get(int(spec.code))
        listed = [
            key
            for ref in (entry.new_provinces if entry else ())
            if (key := _current_key(Kind.PROVINCE, _province_code(ref.code))) in specs
        ]
        confirmed = [key for key in listed if key in reached[spec.key]]
        targets = confirmed or listed
        province_successors[spec.key] = targets
        for target, share in zip(targets, equal_shares(len(targets)), strict=True):
            links[(spec.key, target)] = share

    # Districts are gone: each rolls into the new province(s) holding its old province.
    for spec in levels[2]:
        if spec.kind != Kind.DISTRICT:
            continue
        targets = province_successors.get(spec.parent, [])
        for target, share in zip(targets, equal_shares(len(targets)), strict=True):
            links[(spec.key, target)] = share
    return links, unlinked


def _fill_paths(level: int) -> None:
    """Write path for the units of one depth created without one (path "")."""
    own = Cast("id", output_field=CharField())
    if level == 0:
        path = Concat(Value("/"), own, Value("/"), output_field=CharField())
    else:
        parent_path = Subquery(OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path"))
        path = Concat(parent_path, own, Value("/"), output_field=CharField())
    OrgUnit.objects.filter(path="", depth=level).update(path=path)


def _load_units(
    levels: list[list[_UnitSpec]], report: Progress
) -> tuple[dict[UnitKey, int], int, int]:
    existing: dict[UnitKey, tuple[int, str, int | None]] = {}
    rows = (
        OrgUnit.objects.exclude(kind=Kind.AGENCY)
        .order_by()
        .values_list("kind", "code", "valid_from", "valid_to", "id", "name", "parent_id")
    )
    for kind, code, valid_from, valid_to, pk, name, parent_id in rows.iterator(chunk_size=5000):
        existing[(kind, code, valid_from, valid_to)] = (pk, name, parent_id)

    ids: dict[UnitKey, int] = {}
    created = updated = 0
    for depth, level in enumerate(levels):
        new_units: list[tuple[UnitKey, OrgUnit]] = []
        renamed: list[OrgUnit] = []
        moved: list[tuple[int, UnitKey]] = []
        for spec in level:
            parent_id = ids[spec.parent] if spec.parent else None
            found = existing.get(spec.key)
            if found is None:
                kind, code, valid_from, valid_to = spec.key
                unit = OrgUnit(
                    code=code,
                    name=spec.name,
                    kind=kind,
                    parent_id=parent_id,
                    path="",
                    depth=depth,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
                new_units.append((spec.key, unit))
                continue
            pk, name, old_parent_id = found
            ids[spec.key] = pk
            if name != spec.name:
                renamed.append(OrgUnit(pk=pk, name=spec.name))
            if old_parent_id != parent_id:
                moved.append((pk, spec.parent))
        if new_units:
            OrgUnit.objects.bulk_create([unit for _, unit in new_units], batch_size=BATCH_SIZE)
            if any(unit.pk is None for _, unit in new_units):
                # Databases that cannot return ids from a bulk insert: read them back.
                fresh = {
                    (kind, code, vf, vt): pk
                    for kind, code, vf, vt, pk in OrgUnit.objects.filter(path="", depth=depth)
                    .order_by()
                    .values_list("kind", "code", "valid_from", "valid_to", "id")
                }
                for key, unit in new_units:
                    unit.pk = fresh[key]
            ids.update((key, unit.pk) for key, unit in new_units)
            _fill_paths(depth)
            created += len(new_units)
        if renamed:
            OrgUnit.objects.bulk_update(renamed, ["name"], batch_size=BATCH_SIZE)
        for pk, parent_key in moved:
            # The package re-parented a unit (a data correction): keep its subtree's paths.
            parent = OrgUnit.objects.get(pk=ids[parent_key]) if parent_key else None
            orgunit_move(unit=OrgUnit.objects.get(pk=pk), parent=parent, actor="loader")
        updated += len({unit.pk for unit in renamed} | {pk for pk, _ in moved})
        report(
            _("Level %(depth)s: %(total)s units, %(created)s created, %(updated)s updated.")
            % {
                "depth": depth,
                "total": len(level),
                "created": len(new_units),
                "updated": len(renamed) + len(moved),
            }
        )
    return ids, created, updated


def _load_links(
    links: dict[tuple[UnitKey, UnitKey], Decimal], ids: dict[UnitKey, int]
) -> tuple[int, int, int]:
    wanted = {(ids[old], ids[new]): share for (old, new), share in links.items()}
    predecessors = {pk for key, pk in ids.items() if key[3] == LEGACY_VALID_TO}
    loaded = set(ids.values())
    to_update: list[OrgUnitSuccessor] = []
    to_delete: list[int] = []
    seen: set[tuple[int, int]] = set()
    rows = OrgUnitSuccessor.objects.order_by().values_list(
        "id", "predecessor_id", "successor_id", "share", "effective"
    )
    for pk, old_id, new_id, share, effective in rows.iterator(chunk_size=5000):
        if old_id not in predecessors:
            continue
        pair = (old_id, new_id)
        if pair not in wanted:
            # Only links of the 2025 reorganisation between loaded units are ours to prune;
            # a stale one (the package corrected a mapping) would make shares exceed 1.
            if effective == REORGANISED_ON and new_id in loaded:
                to_delete.append(pk)
            continue
        seen.add(pair)
        if share != wanted[pair] or effective != REORGANISED_ON:
            to_update.append(OrgUnitSuccessor(pk=pk, share=wanted[pair], effective=REORGANISED_ON))
    to_create = [
        OrgUnitSuccessor(
            predecessor_id=old_id, successor_id=new_id, share=share, effective=REORGANISED_ON
        )
        for (old_id, new_id), share in wanted.items()
        if (old_id, new_id) not in seen
    ]
    OrgUnitSuccessor.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    OrgUnitSuccessor.objects.bulk_update(to_update, ["share", "effective"], batch_size=BATCH_SIZE)
    for start in range(0, len(to_delete), 500):
        OrgUnitSuccessor.objects.filter(pk__in=to_delete[start : start + 500]).delete()
    return len(to_create), len(to_update), len(to_delete)


def orgunits_load_vietnam(*, progress: Progress | None = None) -> dict[str, int]:
    """Load or refresh both maps of Vietnam and the successor links of 1 July 2025.

    Idempotent: units are matched on (kind, code, validity); names and parents follow the
    package, nothing is ever deleted (history stays), and running it again changes nothing.
    All in one transaction. Returns counts: "created" and "updated" units,
    "successor_links" created, "successor_links_updated", "successor_links_deleted" and
    "unlinked_communes" (legacy communes the package's conversion table does not list).
    """
    report: Progress = progress or (lambda message: None)
    report(_("Reading the vietnam-provinces package…"))
    levels = _unit_levels()
    links, unlinked = _successor_shares(levels)
    with transaction.atomic():
        report(_("Loading units…"))
        ids, created, updated = _load_units(levels, report)
        report(_("Linking legacy units to their successors…"))
        linked, relinked, unlinked_links = _load_links(links, ids)
        counts = {
            "created": created,
            "updated": updated,
            "successor_links": linked,
            "successor_links_updated": relinked,
            "successor_links_deleted": unlinked_links,
            "unlinked_communes": unlinked,
        }
        if created or updated or linked or relinked or unlinked_links:
            from vietnam_provinces import __version__ as package_version

            audit_record(
                actor=Actor.system("loader"),
                action="load",
                entity="orgunit",
                entity_id=ids[ROOT_KEY],
                key=f"vietnam-provinces {package_version}",
                new=counts,
            )
    report(
        _(
            "Done: %(created)s units created, %(updated)s updated, %(links)s successor links "
            "created; %(unlinked)s legacy communes have no successor in the package's table."
        )
        % {"created": created, "updated": updated, "links": linked, "unlinked": unlinked}
    )
    return counts
