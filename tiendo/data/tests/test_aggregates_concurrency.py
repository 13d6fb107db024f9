"""Two transactions writing values whose aggregates share rows (the country's, for one
element and month) do not deadlock: each locks the aggregate rows it changes once, at the
end of its save, table by table in key order (tiendo.data.aggregates.Pending)."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection, connections

from tiendo.data.aggregates import AggregateValue, aggregates_check
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.loaders import catalogue_load
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import parse_period
from tiendo.org.services import orgunit_create


@pytest.mark.django_db(transaction=True)
def test_two_saves_crossing_months_do_not_deadlock():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite writes one at a time)")
    catalogue_load()
    element = DataElement.objects.get(code="jobs_created")
    vn = orgunit_create(code="VN", name="Việt Nam", kind="country")
    communes = []
    for code, commune in (("79", "26734"), ("80", "27694")):
        province = orgunit_create(code=code, name=f"Tỉnh {code}", kind="province", parent=vn)
        communes.append(orgunit_create(code=commune, name=f"Xã {commune}", kind="commune",
                                       parent=province))
    august, july = parse_period("202508"), parse_period("202507")
    # Both communes already report the element (June), so that the writers below share
    # only the country's rows of July and August.
    datavalues_save(values=[ValueInput(element=element, org_unit=commune,
                                       period=parse_period("202506"), value=D(1))
                            for commune in communes], actor="test")
    # Each writer stores one month, waits until the other has stored its first month too,
    # then stores the month the other began with: had each month's aggregates been
    # written (and their rows locked) as soon as its value was, the two would now wait for
    # each other, and PostgreSQL would refuse one with a deadlock.
    both_wrote_one = threading.Barrier(2, timeout=20)
    errors: list[BaseException] = []

    def writer(commune, months, value):
        def values():
            for number, period in enumerate(months):
                if number:
                    both_wrote_one.wait()
                yield ValueInput(element=element, org_unit=commune, period=period,
                                 value=D(value))

        try:
            datavalues_save(values=values(), actor="test", chunk_size=1)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
            both_wrote_one.abort()
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=writer, args=(communes[0], [august, july], 3)),
               threading.Thread(target=writer, args=(communes[1], [july, august], 5))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    country = {row.period_start.month: (row.total, row.stored)
               for row in AggregateValue.objects.filter(org_unit=vn, data_element=element)}
    assert country == {6: (D(2), 2), 7: (D(8), 2), 8: (D(8), 2)}
    assert aggregates_check()[1] == []
