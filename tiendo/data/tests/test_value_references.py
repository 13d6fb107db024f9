"""A value's unit and data element exist, and stay while it does: on PostgreSQL checked per
statement by triggers (migration datavalues.0013), elsewhere by the foreign keys."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.loaders import catalogue_load
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.services import orgunit_create

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'",
                       reason="SQLite checks its foreign keys at commit (never in a test)"),
]


@pytest.fixture
def stored():
    catalogue_load()
    unit = orgunit_create(code="89", name="Tỉnh An Giang", kind="province")
    element = DataElement.objects.get(code="jobs_created")
    items = [ValueInput(element=element, org_unit=unit, period=parse_period(f"2024{m:02d}"),
                        value=Decimal(m)) for m in range(1, 13)]
    datavalues_save(values=items, actor="t")
    return unit, element


def _insert(element_id: int, unit_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DataValue._meta.db_table} (data_element_id, part, org_unit_id, "
            f"period, period_type, period_start, period_end, value, estimate, comment, status, "
            f"version, updated_at, source) VALUES (%s, '', %s, '2023', 'yearly', '2023-01-01', "
            f"'2023-12-31', 1, false, '', 'draft', 1, now(), '')", [element_id, unit_id])


def test_a_value_of_a_unit_or_element_that_does_not_exist_is_refused(stored):
    unit, element = stored
    missing = OrgUnit.objects.order_by("-id").first().id + 1000
    with pytest.raises(IntegrityError, match="org_unit_id not present"), transaction.atomic():
        _insert(element.id, missing)
    with pytest.raises(IntegrityError, match="data_element_id not present"), \
            transaction.atomic():
        _insert(element.id + 1000, unit.id)
    with pytest.raises(IntegrityError, match="not present"), transaction.atomic():
        DataValue.objects.filter(org_unit=unit).update(org_unit_id=missing)
    _insert(element.id, unit.id)  # both there: stored
    assert DataValue.objects.filter(org_unit=unit).count() == 13


def test_a_unit_or_element_that_values_name_cannot_be_deleted(stored):
    unit, element = stored
    for table, pk in ((OrgUnit._meta.db_table, unit.id),
                      (DataElement._meta.db_table, element.id)):
        with pytest.raises(IntegrityError, match="still referenced"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])
    with pytest.raises(IntegrityError, match="still referenced"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(f"UPDATE {OrgUnit._meta.db_table} SET id = id + 1000 WHERE id = %s",
                       [unit.id])
    DataValue.objects.filter(org_unit=unit).delete()
    with connection.cursor() as cursor:  # no value names it now
        cursor.execute(f"DELETE FROM {OrgUnit._meta.db_table} WHERE id = %s", [unit.id])
    assert not OrgUnit.objects.filter(id=unit.id).exists()


@pytest.mark.django_db(transaction=True)
def test_a_unit_deleted_while_a_save_naming_it_is_under_way_waits_and_is_refused():
    import threading

    from django.db import connections

    catalogue_load()
    unit = orgunit_create(code="89", name="Tỉnh An Giang", kind="province")
    element = DataElement.objects.get(code="jobs_created")
    saved, outcome = threading.Event(), {}

    def save():
        try:
            with transaction.atomic():
                datavalues_save(values=[ValueInput(element=element, org_unit=unit,
                                                   period=parse_period("202401"),
                                                   value=Decimal(1))], actor="t")
                saved.set()  # written, the unit locked by the statement's check
                threading.Event().wait(0.5)  # the delete below now waits for this commit
        finally:
            connections["default"].close()

    def delete():
        saved.wait(10)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {OrgUnit._meta.db_table} WHERE id = %s",
                               [unit.id])
            outcome["deleted"] = True
        except IntegrityError as error:
            outcome["refused"] = str(error)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=save), threading.Thread(target=delete)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert "still referenced" in outcome.get("refused", "")
    assert DataValue.objects.filter(org_unit_id=unit.id).count() == 1
    assert OrgUnit.objects.filter(id=unit.id).exists()
