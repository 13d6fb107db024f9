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
