"""Two people storing the same communes' review at the same moment (PostgreSQL): the
second waits for the first and replaces what it stored, instead of reporting the first's
households as duplicates of its own."""

import threading

import pytest
from django.db import connection, connections

from tiendo.audit.services import Actor
from tiendo.poverty.models import Household, Review
from tiendo.poverty.services import review_import
from tiendo.poverty.tests.helpers import household_file


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_communes_at_once_both_store(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite writes one at a time)")
    rows = [{"household_id": f"H{i}", "commune": "25459" if i % 2 else "25480"}
            for i in range(400)]
    data = household_file(rows)
    review_import(data=data, name="first.csv", actor=Actor.system("test"))  # replaced below
    start = threading.Barrier(2, timeout=20)
    outcomes, errors = [], []

    def importer(name):
        try:
            start.wait()
            outcomes.append(review_import(data=data, name=name, actor=Actor.system("test")))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=importer, args=(f"{n}.csv",)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(o.replaced for o in outcomes) == [2, 2]
    assert Household.objects.count() == 400
    assert Review.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("large", [False, True])
def test_two_first_imports_of_a_year_at_once_both_store(world, monkeypatch, large):
    # Nothing stored for the year yet: both make its partition (PostgreSQL) at the same time;
    # as large loads, each in a table of its own, the second keeping the first's households.
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite writes one at a time)")
    if large:
        from tiendo.poverty import services

        monkeypatch.setattr(services, "REBUILD_FROM", 0)
    files = [household_file([{"household_id": f"{code}-{i}", "commune": code}
                             for i in range(50)]) for code in ("25459", "25480")]
    start = threading.Barrier(2, timeout=20)
    errors = []

    def importer(data):
        try:
            start.wait()
            review_import(data=data, name="r.csv", actor=Actor.system("test"))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=importer, args=(data,)) for data in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert Household.objects.filter(year=2024).count() == 100
