import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from tiendo.org.loaders import equal_shares, orgunits_load_vietnam
from tiendo.org.models import OrgUnit, OrgUnitSuccessor

JUNE_30 = datetime.date(2025, 6, 30)
JULY_1 = datetime.date(2025, 7, 1)
Kind = OrgUnit.Kind

pytestmark = pytest.mark.django_db


def legacy(kind: str):
    return OrgUnit.objects.filter(kind=kind, valid_from__isnull=True, valid_to=JUNE_30)


def current(kind: str):
    return OrgUnit.objects.filter(kind=kind, valid_from=JULY_1, valid_to__isnull=True)


def test_it_loads_one_country_root_without_dates():
    root = OrgUnit.objects.get(kind=Kind.COUNTRY)
    assert (root.code, root.name, root.parent_id, root.valid_from, root.valid_to) == (
        "VN",
        "Việt Nam",
        None,
        None,
        None,
    )


def test_it_loads_34_current_provinces():
    assert current(Kind.PROVINCE).count() == 34


def test_it_loads_3321_current_communes():
    assert current(Kind.COMMUNE).count() == 3321


def test_it_puts_current_communes_directly_under_provinces():
    assert not current(Kind.COMMUNE).exclude(parent__kind=Kind.PROVINCE).exists()


def test_it_loads_no_current_districts():
    assert not OrgUnit.objects.filter(kind=Kind.DISTRICT, valid_to__isnull=True).exists()


def test_it_loads_63_legacy_provinces():
    assert legacy(Kind.PROVINCE).count() == 63


def test_it_loads_696_legacy_districts():
    assert legacy(Kind.DISTRICT).count() == 696


def test_it_loads_10051_legacy_communes():
    assert legacy(Kind.COMMUNE).count() == 10051


def test_it_puts_legacy_communes_under_districts():
    assert not legacy(Kind.COMMUNE).exclude(parent__kind=Kind.DISTRICT).exists()


def test_it_stores_zero_padded_codes():
    assert current(Kind.PROVINCE).get(code="01").name == "Thành phố Hà Nội"
    assert legacy(Kind.DISTRICT).get(code="001").name == "Quận Ba Đình"
    assert legacy(Kind.COMMUNE).get(code="00001").name == "Phường Phúc Xá"


def test_it_keeps_names_as_the_package_gives_them():
    assert legacy(Kind.PROVINCE).get(code="80").name == "Tỉnh Long An"
    assert current(Kind.PROVINCE).get(code="79").name == "Thành phố Hồ Chí Minh"


def test_it_writes_each_path_as_the_parent_path_plus_own_id():
    units = dict(OrgUnit.objects.values_list("id", "path"))
    wrong = [
        pk
        for pk, parent_id, path, depth in OrgUnit.objects.values_list(
            "id", "parent_id", "path", "depth"
        )
        if path != (units[parent_id] if parent_id else "/") + f"{pk}/"
        or depth != path.count("/") - 2
    ]
    assert wrong == []


def test_it_links_long_an_to_tay_ninh_with_share_1():
    link = OrgUnitSuccessor.objects.get(predecessor=legacy(Kind.PROVINCE).get(code="80"))
    assert (link.successor.name, link.successor.valid_from, link.share, link.effective) == (
        "Tỉnh Tây Ninh",
        JULY_1,
        Decimal(1),
        JULY_1,
    )


def test_it_links_tien_giang_only_to_dong_thap():
    # The package's province table also lists Tây Ninh, from one misfiled commune.
    links = OrgUnitSuccessor.objects.filter(predecessor=legacy(Kind.PROVINCE).get(code="82"))
    assert [(link.successor.code, link.share) for link in links] == [("82", Decimal(1))]


def test_it_gives_every_legacy_province_exactly_one_successor():
    counts = legacy(Kind.PROVINCE).annotate(n=Count("successor_links")).values_list("n", flat=True)
    assert set(counts) == {1}


def test_it_links_each_legacy_district_to_the_successor_of_its_province():
    district = legacy(Kind.DISTRICT).get(code="760")  # Quận 1, Thành phố Hồ Chí Minh
    links = list(
        district.successor_links.values_list("successor__code", "successor__valid_from", "share")
    )
    assert links == [("79", JULY_1, Decimal(1))]


def test_it_makes_every_legacy_communes_shares_sum_to_exactly_1():
    sums = (
        OrgUnitSuccessor.objects.filter(predecessor__kind=Kind.COMMUNE)
        .values("predecessor")
        .annotate(total=Sum("share"))
        .values_list("total", flat=True)
    )
    assert set(sums) == {Decimal(1)}


def test_it_splits_a_commune_with_three_successors_giving_the_remainder_to_the_last():
    commune = legacy(Kind.COMMUNE).get(code="00025")
    shares = list(
        commune.successor_links.order_by("successor__code").values_list("share", flat=True)
    )
    assert shares == [Decimal("0.333333"), Decimal("0.333333"), Decimal("0.333334")]


def test_it_links_all_legacy_communes_but_the_28_missing_from_the_package_table():
    assert legacy(Kind.COMMUNE).filter(successor_links__isnull=True).count() == 28


def test_it_points_successor_links_from_the_old_map_to_the_new_one():
    links = OrgUnitSuccessor.objects.exclude(
        predecessor__valid_to=JUNE_30, successor__valid_from=JULY_1
    )
    assert not links.exists()


@pytest.mark.slow
def test_it_creates_nothing_when_run_twice():
    before = (OrgUnit.objects.count(), OrgUnitSuccessor.objects.count())
    counts = orgunits_load_vietnam()
    assert (counts["created"], counts["updated"], counts["successor_links"]) == (0, 0, 0)
    assert (OrgUnit.objects.count(), OrgUnitSuccessor.objects.count()) == before


@pytest.mark.slow
def test_it_restores_a_name_changed_in_the_database():
    current(Kind.PROVINCE).filter(code="79").update(name="TP HCM")
    counts = orgunits_load_vietnam()
    assert counts["updated"] == 1
    assert current(Kind.PROVINCE).get(code="79").name == "Thành phố Hồ Chí Minh"


@pytest.mark.slow
def test_it_puts_a_misplaced_unit_back_under_its_parent_with_its_subtree():
    district = legacy(Kind.DISTRICT).get(code="760")
    elsewhere = legacy(Kind.PROVINCE).get(code="01")
    from tiendo.org.services import orgunit_move

    orgunit_move(unit=district, parent=elsewhere)
    orgunits_load_vietnam()
    district.refresh_from_db()
    assert district.parent.code == "79"
    assert (
        not OrgUnit.objects.filter(parent=district).exclude(path__startswith=district.path).exists()
    )


@pytest.mark.slow
def test_it_reports_progress():
    messages: list[str] = []
    orgunits_load_vietnam(progress=messages.append)
    assert len(messages) >= 3


def test_it_splits_shares_equally_rounded_to_6_decimals():
    assert equal_shares(3) == [Decimal("0.333333"), Decimal("0.333333"), Decimal("0.333334")]


def test_it_gives_a_single_successor_share_1():
    assert equal_shares(1) == [Decimal(1)]


@pytest.mark.parametrize("count", range(1, 12))
def test_it_makes_equal_shares_sum_to_1(count):
    assert sum(equal_shares(count)) == 1
