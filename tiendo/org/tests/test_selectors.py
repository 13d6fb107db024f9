import datetime
from decimal import Decimal

import pytest

from tiendo.errors import NotFound
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import (
    OrgUnitResolver,
    orgunit_ancestors,
    orgunit_children,
    orgunit_descendants,
    orgunit_predecessors,
    orgunit_resolve,
    orgunit_successors,
)

END_2023 = datetime.date(2023, 12, 31)
END_2025 = datetime.date(2025, 12, 31)
START_2026 = datetime.date(2026, 1, 1)
Kind = OrgUnit.Kind

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # the whole map, loaded once for org


@pytest.fixture(scope="module")
def resolver(django_db_setup, django_db_blocker) -> OrgUnitResolver:
    with django_db_blocker.unblock():
        return OrgUnitResolver()


def test_it_resolves_80_to_long_an_in_2023():
    assert orgunit_resolve(code="80", on=END_2023).name == "Tỉnh Long An"


def test_it_resolves_80_to_tay_ninh_in_2026():
    assert orgunit_resolve(code="80", on=START_2026).name == "Tỉnh Tây Ninh"


def test_it_resolves_80_for_the_year_2025_to_tay_ninh():
    assert orgunit_resolve(code="80", on=END_2025).name == "Tỉnh Tây Ninh"


def test_it_resolves_80_on_the_last_day_of_the_old_map_to_long_an():
    assert orgunit_resolve(code="80", on=datetime.date(2025, 6, 30)).name == "Tỉnh Long An"


def test_it_resolves_79_to_ho_chi_minh_city_on_both_maps():
    old, new = orgunit_resolve(code="79", on=END_2023), orgunit_resolve(code="79", on=START_2026)
    assert (old.name, new.name) == ("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh")
    assert old.pk != new.pk


def test_it_resolves_a_commune_code_with_leading_zeros():
    assert orgunit_resolve(code="00004", on=END_2023).name == "Phường Trúc Bạch"


def test_it_resolves_a_reused_commune_code_on_the_new_map():
    assert orgunit_resolve(code="00004", on=START_2026).name == "Phường Ba Đình"


def test_it_raises_not_found_for_an_unknown_code():
    with pytest.raises(NotFound, match="99999"):
        orgunit_resolve(code="99999", on=START_2026)


def test_it_raises_not_found_for_a_district_after_districts_were_abolished():
    with pytest.raises(NotFound):
        orgunit_resolve(code="760", on=START_2026)


def test_it_raises_not_found_when_the_code_has_another_kind():
    with pytest.raises(NotFound):
        orgunit_resolve(code="79", on=START_2026, kinds=(Kind.COMMUNE,))


def test_it_raises_not_found_when_a_code_is_ambiguous():
    from tiendo.org.services import orgunit_create

    orgunit_create(code="79", name="Agency with a clashing code", kind=Kind.AGENCY)
    with pytest.raises(NotFound, match="several"):
        orgunit_resolve(code="79", on=START_2026)


def test_it_resolves_an_ambiguous_code_by_kind():
    from tiendo.org.services import orgunit_create

    orgunit_create(code="79", name="Agency with a clashing code", kind=Kind.AGENCY)
    assert orgunit_resolve(code="79", on=START_2026, kinds=(Kind.PROVINCE,)).valid_from


def test_it_resolves_in_memory_like_the_database(resolver):
    pairs = [("80", END_2023), ("80", END_2025), ("79", START_2026), ("00004", END_2023)]
    assert [resolver.resolve(code=c, on=d).id for c, d in pairs] == [
        orgunit_resolve(code=c, on=d).pk for c, d in pairs
    ]


def test_it_gives_path_and_kind_from_memory(resolver):
    unit = resolver.resolve(code="760", on=END_2023)
    assert (unit.kind, unit.path) == (Kind.DISTRICT, orgunit_resolve(code="760", on=END_2023).path)


def test_it_raises_not_found_in_memory_for_an_unknown_code(resolver):
    with pytest.raises(NotFound):
        resolver.resolve(code="99999", on=START_2026)


def test_it_returns_none_in_memory_when_asked_to_get_an_unknown_code(resolver):
    assert resolver.get(code="760", on=START_2026) is None


def test_it_filters_by_kind_in_memory(resolver):
    with pytest.raises(NotFound):
        resolver.resolve(code="79", on=START_2026, kinds=(Kind.COMMUNE,))


def test_it_lists_descendants_right_after_their_ancestor_in_path_order():
    long_an = orgunit_resolve(code="80", on=END_2023)
    ordered = list(OrgUnit.objects.order_by("path").values_list("pk", flat=True))
    descendants = list(orgunit_descendants(long_an).values_list("pk", flat=True))
    start = ordered.index(long_an.pk) + 1
    assert ordered[start : start + len(descendants)] == descendants


def test_it_counts_descendants_of_a_legacy_province_across_levels():
    long_an = orgunit_resolve(code="80", on=END_2023)
    kinds = set(orgunit_descendants(long_an).values_list("kind", flat=True))
    assert kinds == {Kind.DISTRICT, Kind.COMMUNE}


def test_it_limits_descendants_of_the_root_to_a_date():
    root = orgunit_resolve(code="VN", on=START_2026)
    assert orgunit_descendants(root, on=START_2026).count() == 34 + 3321


def test_it_lists_the_children_of_a_current_province():
    hcmc = orgunit_resolve(code="79", on=START_2026)
    assert orgunit_children(hcmc).count() == 168


def test_it_lists_ancestors_root_first():
    commune = orgunit_resolve(code="26734", on=END_2023)
    assert [u.kind for u in orgunit_ancestors(commune)] == [
        Kind.COUNTRY,
        Kind.PROVINCE,
        Kind.DISTRICT,
    ]


def test_it_gives_successors_with_their_share():
    long_an = orgunit_resolve(code="80", on=END_2023)
    assert [(u.name, u.share) for u in orgunit_successors(long_an)] == [
        ("Tỉnh Tây Ninh", Decimal(1)),
    ]


def test_it_gives_the_provinces_merged_into_a_new_province():
    tay_ninh = orgunit_resolve(code="80", on=START_2026)
    provinces = orgunit_predecessors(tay_ninh).filter(kind=Kind.PROVINCE)
    assert sorted(u.name for u in provinces) == ["Tỉnh Long An", "Tỉnh Tây Ninh"]
