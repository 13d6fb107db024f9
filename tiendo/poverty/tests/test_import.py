"""Storing a review: all or nothing with located problems, counts equal to a direct count,
transitions that add up, the data elements written for the targets."""

import io
import random

import pytest
from django.utils import translation

from tiendo.audit.models import AuditRecord
from tiendo.audit.services import Actor
from tiendo.data.models import DataValue
from tiendo.errors import InvalidInput
from tiendo.lib.poverty import POOR, transitions
from tiendo.poverty.models import Household, Review, household_key, households_of
from tiendo.poverty.services import review_import
from tiendo.poverty.tests.helpers import household_file

POOR3 = ["health_insurance", "water", "sanitation"]


def store(world, rows, user=None, **kwargs):
    actor = Actor.of(user) if user else Actor.system("test")
    return review_import(data=household_file(rows), name="ra-soat.csv", actor=actor, **kwargs)


def values(world, code, year="2024"):
    return {v.org_unit_id: v.value for v in DataValue.objects.filter(
        data_element__code=code, period=year)}


@pytest.mark.django_db
def test_it_stores_a_review_and_writes_the_targets_elements(world):
    outcome = store(world, [
        {"household_id": "A1", "commune": "25459", "deprived": POOR3},
        {"household_id": "A2", "commune": "25459", "income_per_capita": 1_500_000},
        {"household_id": "A3", "commune": "25459", "income_per_capita": 1_500_001},
        {"household_id": "B1", "commune": "25480", "area": "urban",
         "income_per_capita": 2_000_000, "deprived": POOR3},
    ])
    assert outcome.stored and outcome.households == 4 and outcome.communes == 2
    review = Review.objects.get(commune=world.commune, year=2024)
    assert (review.households, review.poor, review.near_poor, review.middle_income) == (3, 1, 1, 1)
    assert values(world, "households_total") == {world.commune.id: 3, world.sibling.id: 1}
    assert values(world, "poor_households") == {world.commune.id: 1, world.sibling.id: 1}
    assert values(world, "near_poor_households")[world.commune.id] == 1
    assert DataValue.objects.filter(source="poverty review").count() == 6  # no exits yet


@pytest.mark.django_db
def test_it_refuses_bad_rows_with_line_and_column_and_stores_nothing(world):
    with pytest.raises(InvalidInput) as caught:
        store(world, [
            {"household_id": "A1", "commune": "99999"},
            {"household_id": "A2", "commune": "25459", "income_per_capita": -5},
            {"household_id": "A3", "commune": "25459", "d_water": "2"},
            {"household_id": "A3", "commune": "25459"},
            {"household_id": "A4", "commune": "79"},
        ])
    found = {(p.line, p.field) for p in caught.value.problems}
    assert {(2, "commune"), (3, "income_per_capita"), (4, "d_water"), (6, "commune")} <= found
    assert not Household.objects.exists() and not Review.objects.exists()


@pytest.mark.django_db
def test_it_refuses_duplicate_household_ids(world):
    with pytest.raises(InvalidInput) as caught:
        store(world, [{"household_id": "A1", "commune": "25459"},
                      {"household_id": "A1", "commune": "25480"}])
    assert [(p.line, p.field, p.value) for p in caught.value.problems] == [
        (3, "household_id", "A1")]
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_commune_outside_the_users_scope(world):
    with pytest.raises(InvalidInput) as caught:
        store(world, [{"household_id": "A1", "commune": "25480"}], user=world.users["officer"])
    assert caught.value.problems[0].field == "commune"


@pytest.mark.django_db
def test_it_refuses_a_file_without_the_standards_columns(world):
    data = household_file([{"household_id": "A1", "commune": "25459"}],
                          columns=["household_id", "commune", "area", "members",
                                   "income_per_capita", "year", "d_water"])
    with pytest.raises(InvalidInput) as caught:
        review_import(data=data, name="x.csv", actor=Actor.system("test"))
    assert "d_employment" in {p.field for p in caught.value.problems}
    assert "d_water" not in {p.field for p in caught.value.problems}


def test_a_file_that_is_not_utf8_text_is_refused_not_a_server_error(world):
    # Found by the API fuzz test: a header that is not UTF-8 went past the fast reader.
    for data, name in ((b"\xff\xfe\r\n", "x.csv"),
                       (b"household_id,commune,x\xe3\nA1,25459,1\n", "x.csv"),
                       (b"\xff\xfe\r\n", "x.xlsx"), (b"PK\x03\x04 not a zip", "x.xlsx")):
        with pytest.raises(InvalidInput) as caught:
            review_import(data=data, name=name, actor=Actor.system("test"))
        message = caught.value.problems[0].message
        assert ("UTF-8" if name.endswith(".csv") else "Excel workbook") in message
    assert not Review.objects.exists()


def test_a_workbook_that_would_unpack_too_large_is_refused(world, settings):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["household_id", "commune"])
    for number in range(2000):
        book.active.append([f"H{number}", "25459"])
    stream = io.BytesIO()
    book.save(stream)
    settings.TIENDO_UPLOAD_MAX_UNPACKED_BYTES = 10_000
    with pytest.raises(InvalidInput) as caught:
        review_import(data=stream.getvalue(), name="x.xlsx", actor=Actor.system("test"))
    assert "unpacks to" in caught.value.problems[0].message
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_it_replaces_a_communes_review_and_audits_it(world):
    store(world, [{"household_id": "A1", "commune": "25459"}])
    outcome = store(world, [{"household_id": "A1", "commune": "25459", "deprived": POOR3},
                            {"household_id": "A2", "commune": "25459"}])
    assert outcome.replaced == 1
    assert Household.objects.count() == 2
    assert AuditRecord.objects.filter(entity="poverty.review", action="replace").count() == 1
    assert values(world, "poor_households") == {world.commune.id: 1}


@pytest.mark.django_db
def test_it_counts_as_a_direct_count_and_the_transitions_add_up(world):
    rng = random.Random(7)
    codes = ["25459", "25480"]
    names = ["employment", "health_insurance", "water", "sanitation", "telecom"]

    def review(year, ids):
        return [{"household_id": f"H{i}", "commune": codes[i % 2], "year": year,
                 "income_per_capita": rng.choice([1_400_000, 1_500_000, 1_500_001, 2_600_000]),
                 "deprived": rng.sample(names, rng.randint(0, 5))} for i in ids]

    first = review(2023, range(0, 300))
    second = review(2024, range(50, 360))
    store(world, first)
    store(world, second)
    kinds = {}
    for year in (2023, 2024):
        kinds[year] = dict(Household.objects.filter(year=year).values_list(
            "household_id", "classification"))
    for commune in (world.commune, world.sibling):
        now = Review.objects.get(commune=commune, year=2024)
        mine = set(Household.objects.filter(review=now).values_list("household_id", flat=True))
        assert now.poor == sum(1 for h in mine if kinds[2024][h] == POOR)
        assert now.poor_start + now.poor_new + now.poor_fell_in - now.poor_left \
            - now.poor_gone == now.poor
        assert values(world, "households_exited_poverty")[commune.id] == now.poor_left
    reviews = Review.objects.filter(year=2024)
    whole = transitions(kinds[2023], kinds[2024])
    assert sum(r.poor_start for r in reviews) == whole.start
    assert sum(r.poor_new for r in reviews) == whole.new
    assert sum(r.poor_fell_in for r in reviews) == whole.fell_in
    assert sum(r.poor_left for r in reviews) == whole.left
    assert sum(r.poor_gone for r in reviews) == whole.gone
    # Deprivations by indicator equal a direct count too.
    prevalence = [sum(r.deprivations[3] for r in reviews)]
    assert prevalence == [sum(1 for row in second if "health_insurance" in row["deprived"])]


@pytest.mark.django_db
def test_a_review_is_compared_where_any_household_was_reviewed_the_year_before(world):
    # No household poor in either year: only the last question finds that the first
    # commune's were reviewed before; the second commune's households are all new.
    store(world, [{"household_id": "A1", "commune": "25459", "year": 2023},
                  {"household_id": "B1", "commune": "25480", "year": 2023}])
    store(world, [{"household_id": "A1", "commune": "25459", "year": 2024},
                  {"household_id": "B2", "commune": "25480", "year": 2024, "deprived": POOR3}])
    found = {r.commune_id: r for r in Review.objects.filter(year=2024)}
    first, second = found[world.commune.id], found[world.sibling.id]
    assert (first.has_previous, second.has_previous) == (True, False)
    assert (second.poor_new, second.poor_start, first.poor_gone) == (1, 0, 0)
    # A poor household moving to the other commune: left there, present (not gone) here.
    store(world, [{"household_id": "A1", "commune": "25480", "year": 2025, "deprived": POOR3},
                  {"household_id": "B2", "commune": "25459", "year": 2025}])
    found = {r.commune_id: r for r in Review.objects.filter(year=2025)}
    first, second = found[world.commune.id], found[world.sibling.id]
    assert (first.poor_left, first.poor_start, first.poor_gone, first.poor) == (1, 1, 0, 0)
    assert (second.poor_fell_in, second.poor_gone, second.poor) == (1, 0, 1)
    assert first.has_previous and second.has_previous


@pytest.mark.django_db
def test_a_provinces_higher_standard_classifies_its_communes(world):
    from tiendo.poverty.local import local_standard_save

    local_standard_save(province=world.province, code="TN-2024", name="Chuẩn Tây Ninh",
                        based_on="ND07-2021", first_year=2024, last_year=2025,
                        rural_line=1_700_000, urban_line=2_200_000, actor=Actor.system("t"))
    store(world, [{"household_id": "A1", "commune": "25459", "income_per_capita": 1_700_000,
                   "deprived": POOR3},
                  {"household_id": "A2", "commune": "25459", "income_per_capita": 1_700_001}])
    assert [Household.objects.get(household_id=h).classification for h in ("A1", "A2")] == [
        POOR, 0]
    with pytest.raises(InvalidInput):
        local_standard_save(province=world.province, code="low", name="low",
                            based_on="ND07-2021", first_year=2024, last_year=2025,
                            rural_line=1_400_000, urban_line=2_200_000,
                            actor=Actor.system("t"))
    review = Review.objects.get(commune=world.commune, year=2024)
    assert review.standard == "TN-2024"
    from tiendo.poverty.selectors import households_list

    _total, rows = households_list(user=world.users["officer"], unit=world.commune, year=2024,
                                   lang="vi")
    assert "chuẩn nông thôn 1.700.000 đ" in rows[0].explanation
    assert len(review.deprivations) == 12


@pytest.mark.django_db
def test_it_refuses_control_characters_in_a_household_id(world):
    with pytest.raises(InvalidInput) as caught:
        store(world, [{"household_id": "A\x001", "commune": "25459"}])
    assert [(p.line, p.field) for p in caught.value.problems] == [(2, "household_id")]


@pytest.mark.django_db
def test_it_refuses_an_id_or_a_name_longer_than_the_table_keeps(world):
    """Found by a hostile file: a 100,000-character id crashed the column-wise COPY on
    PostgreSQL and was stored whole on SQLite. Exactly 64 and 255 characters are kept."""
    from tiendo.poverty.tests.helpers import COLUMNS

    rows = [{"household_id": "A" * 64, "commune": "25459", "name": "N" * 255},
            {"household_id": "B" * 65, "commune": "25459"},
            {"household_id": "C1", "commune": "25459", "name": "N" * 256}]
    with pytest.raises(InvalidInput) as caught:
        review_import(data=household_file(rows, columns=[*COLUMNS, "name"]), name="f.csv",
                      actor=Actor.system("test"))
    assert [(p.line, p.field) for p in caught.value.problems] == [(3, "household_id"),
                                                                  (4, "name")]
    assert "at most 64 characters (this one has 65)" in str(caught.value.problems[0])
    assert not Household.objects.exists()
    stored = review_import(data=household_file(rows[:1], columns=[*COLUMNS, "name"]),
                           name="f.csv", actor=Actor.system("test"))
    assert stored.households == 1


def test_a_long_value_is_told_with_its_length_grouped(world):
    rows = [{"household_id": "B" * 1234, "commune": "25459"}]
    with translation.override("vi"), pytest.raises(InvalidInput) as caught:
        review_import(data=household_file(rows), name="f.csv", actor=Actor.system("test"))
    assert "(giá trị này có 1.234)" in caught.value.problems[0].message


def _stored():
    return sorted(Household.objects.values_list(
        "household_id", "name", "urban", "members", "income", "flags", "deprivation_count",
        "classification", "line", "year", "review__commune__code"))


FILE_ROWS = [
    {"household_id": "A1", "commune": "25459", "deprived": POOR3, "name": "Nguyễn Văn A"},
    {"household_id": "A2", "commune": "25459", "income_per_capita": 1_500_000,
     "name": 'Lê "Bé", Ba'},
    {"household_id": "A3", "commune": "25459", "income_per_capita": 1_500_001, "name": ""},
    {"household_id": "B1", "commune": "25480", "area": "urban", "members": 7,
     "income_per_capita": 2_000_000, "deprived": [*POOR3, "telecom"], "name": "Trần Thị C"},
    {"household_id": "B2", "commune": "25480", "area": "urban",
     "income_per_capita": 3_000_001, "name": "D"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [2, 200_000])
def test_the_column_wise_reader_stores_what_the_precise_reader_stores(world, monkeypatch,
                                                                      chunk):
    from tiendo.poverty import files, services
    from tiendo.poverty.tests.helpers import COLUMNS

    fast_batches = files.household_batches_fast
    monkeypatch.setattr(services, "household_batches_fast",
                        lambda *a, **k: fast_batches(*a, **{**k, "chunk_size": chunk}))
    data = household_file(FILE_ROWS, columns=[*COLUMNS, "name"])
    fast = review_import(data=data, name="f.csv", actor=Actor.system("test"))
    assert fast.fast and fast.households == 5
    by_fast = _stored()
    counts = list(Review.objects.order_by("commune__code").values_list(
        "households", "poor", "near_poor", "middle_income", "deprivations"))

    def slow(*args, **kwargs):
        raise files.Slow

    monkeypatch.setattr(services, "household_batches_fast", slow)
    precise = review_import(data=data, name="f.csv", actor=Actor.system("test"))
    assert not precise.fast and precise.replaced == 2
    assert _stored() == by_fast
    assert list(Review.objects.order_by("commune__code").values_list(
        "households", "poor", "near_poor", "middle_income", "deprivations")) == counts
    assert ("A2", 'Lê "Bé", Ba') in [(row[0], row[1]) for row in by_fast]


@pytest.mark.django_db
def test_a_blank_line_or_a_bad_cell_goes_to_the_precise_reader_with_its_line(world):
    lines = household_file([{"household_id": "A1", "commune": "25459"},
                            {"household_id": "A2", "commune": "25459"}]).split(b"\n")
    data = b"\n".join([lines[0], lines[1], b"", lines[2], b""])
    outcome = review_import(data=data, name="b.csv", actor=Actor.system("test"))
    assert not outcome.fast and outcome.households == 2
    assert Household.objects.get(household_id="A2").line == 4
    with pytest.raises(InvalidInput) as caught:
        store(world, [{"household_id": "A1", "commune": "25459"},
                      {"household_id": "A2", "commune": "25459", "members": "x"}])
    assert [(p.line, p.field) for p in caught.value.problems] == [(3, "members")]
    assert Household.objects.count() == 2  # the first import, untouched


@pytest.mark.django_db
def test_the_household_indexes_are_built_again_after_a_large_load(world, monkeypatch):
    from django.db import connection

    from tiendo.poverty import services

    monkeypatch.setattr(services, "REBUILD_FROM", 0)
    outcome = store(world, FILE_ROWS[:3])
    assert outcome.fast and outcome.households == 3
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Household._meta.db_table)
    assert found["poverty_hh_year_id"]["unique"]
    # One integer packing the review and the line, so the key's index finds a commune's
    # households (with the year on PostgreSQL, which partitions by it); the unique index
    # begins with the id.
    assert [c["columns"] for c in found.values() if c["primary_key"]] == [
        ["key", "year"] if connection.vendor == "postgresql" else ["key"]]
    assert found["poverty_hh_year_id"]["columns"] == ["household_id", "year"]
    with pytest.raises(InvalidInput) as caught:  # a duplicate is still found
        store(world, [{"household_id": "A9", "commune": "25459"},
                      {"household_id": "A9", "commune": "25480"}])
    assert [(p.line, p.field) for p in caught.value.problems] == [(3, "household_id")]


@pytest.mark.django_db
def test_a_large_load_keeps_the_years_other_communes_and_replaces_its_own(world, monkeypatch):
    from tiendo.poverty import services

    monkeypatch.setattr(services, "REBUILD_FROM", 0)  # on PostgreSQL: a table of its own
    store(world, [{"household_id": "O1", "commune": "25459", "year": 2023}])
    store(world, [{"household_id": "A1", "commune": "25459"},
                  {"household_id": "B1", "commune": "25480"}])
    outcome = store(world, [{"household_id": "A2", "commune": "25459"},
                            {"household_id": "A3", "commune": "25459", "deprived": POOR3}])
    assert outcome.fast and outcome.replaced == 1
    assert sorted(Household.objects.filter(year=2024).values_list(
        "household_id", "review__commune__code")) == [
        ("A2", "25459"), ("A3", "25459"), ("B1", "25480")]
    assert list(Household.objects.filter(year=2023).values_list(
        "household_id", flat=True)) == ["O1"]
    with pytest.raises(InvalidInput) as caught:  # the other commune's ids are still checked
        store(world, [{"household_id": "B1", "commune": "25459"}])
    assert [(p.field, p.value) for p in caught.value.problems] == [("household_id", "B1")]
    assert Household.objects.filter(year=2024).count() == 3


@pytest.mark.django_db
def test_a_file_read_in_many_blocks_keeps_every_line_number(world, tmp_path, monkeypatch):
    from tiendo.poverty import files

    monkeypatch.setattr(files, "FILE_BLOCK", 301)
    rows = [{"household_id": f"H{i}", "commune": ("25459", "25480")[i % 2],
             "income_per_capita": 1_400_000 + i} for i in range(120)]
    source = tmp_path / "r.csv"
    source.write_bytes(household_file(rows))
    outcome = review_import(data=source, name="r.csv", actor=Actor.system("test"))
    assert outcome.fast and outcome.households == 120
    assert dict(Household.objects.values_list("household_id", "line")) == {
        f"H{i}": i + 2 for i in range(120)}
    assert dict(Household.objects.values_list("household_id", "income")) == {
        f"H{i}": 1_400_000 + i for i in range(120)}


@pytest.mark.django_db
def test_an_id_stored_by_another_communes_review_is_refused_with_its_line(world):
    store(world, [{"household_id": "A1", "commune": "25459"},
                  {"household_id": "A2", "commune": "25459"}])
    with pytest.raises(InvalidInput) as caught:  # the unique index refuses it as it is written
        store(world, [{"household_id": "B1", "commune": "25480"},
                      {"household_id": "A2", "commune": "25480"},
                      {"household_id": "B1", "commune": "25480"}])
    assert sorted((p.line, p.field, p.value) for p in caught.value.problems) == [
        (3, "household_id", "A2"), (4, "household_id", "B1")]
    assert sorted(Household.objects.values_list("household_id", flat=True)) == ["A1", "A2"]
    # The index dropped to locate them came back with the rollback: a repeat is still refused.
    from django.db import IntegrityError, transaction

    review = Review.objects.get(commune=world.commune)
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(key=household_key(review.id, 2), review=review, year=2024,
                                 household_id="A1", urban=False,
                                 members=1, income=0, flags=0, deprivation_count=0,
                                 classification=0, line=2)


@pytest.mark.django_db
def test_the_unique_index_build_is_the_duplicate_check_of_a_large_load(world, monkeypatch):
    from django.db import connection

    from tiendo.poverty import services

    if connection.vendor != "postgresql":
        pytest.skip("the indexes are built after a large load on PostgreSQL only")
    monkeypatch.setattr(services, "REBUILD_FROM", 0)
    looked = []
    duplicates = services._duplicates
    monkeypatch.setattr(services, "_duplicates",
                        lambda *a, **k: looked.append(a) or duplicates(*a, **k))
    outcome = store(world, FILE_ROWS[:3])
    assert outcome.fast and outcome.unique and looked == []
    assert "index poverty_hh_year_id" in outcome.seconds
    with pytest.raises(InvalidInput) as caught:
        store(world, [{"household_id": "A9", "commune": "25459"},
                      {"household_id": "A8", "commune": "25480"},
                      {"household_id": "A9", "commune": "25480"}])
    assert [(p.line, p.field, p.value) for p in caught.value.problems] == [
        (4, "household_id", "A9")]
    assert len(looked) == 1  # only once the build had failed
    assert sorted(Household.objects.values_list("household_id", flat=True)) == ["A1", "A2",
                                                                                 "A3"]


@pytest.mark.django_db
def test_a_first_years_poor_households_are_all_new(world):
    store(world, [{"household_id": "A1", "commune": "25459", "deprived": POOR3},
                  {"household_id": "A2", "commune": "25459", "deprived": POOR3},
                  {"household_id": "A3", "commune": "25459"}])
    review = Review.objects.get(commune=world.commune, year=2024)
    assert (review.poor, review.poor_new, review.poor_start, review.poor_fell_in,
            review.poor_left, review.poor_gone, review.has_previous) == (2, 2, 0, 0, 0, 0, False)


@pytest.mark.django_db
def test_a_households_key_packs_its_review_and_line_and_finds_the_reviews_households(world):
    store(world, [{"household_id": "A1", "commune": "25459"},
                  {"household_id": "B1", "commune": "25480"},
                  {"household_id": "A2", "commune": "25459"}])
    first, second = (Review.objects.get(commune__code=code) for code in ("25459", "25480"))
    assert sorted(Household.objects.values_list("key", flat=True)) == sorted([
        household_key(first.id, 2), household_key(second.id, 3), household_key(first.id, 4)])
    assert sorted(Household.objects.filter(households_of([first.id])).values_list(
        "household_id", flat=True)) == ["A1", "A2"]
    assert not Household.objects.filter(households_of([])).exists()
    # Reviews are opened in the order their communes are met: keys in file order.
    assert first.id < second.id
