import json
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalue_set, datavalue_set_status, datavalues_save
from tiendo.errors import Conflict, InvalidInput, Locked
from tiendo.indicators.loaders import catalogue_load
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import parse_period
from tiendo.org.services import orgunit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    catalogue_load()
    return orgunit_create(code="89", name="Tỉnh An Giang", kind="province")


def value(unit, element, amount, part="", period="2023", line=None):
    return ValueInput(element=DataElement.objects.get(code=element), org_unit=unit,
                      period=parse_period(period), value=D(amount), part=part, line=line)


def test_it_stores_and_audits_new_values(unit):
    result = datavalues_save(values=[value(unit, "jobs_created", 10)], actor="test")
    assert result.created == 1
    record = AuditRecord.objects.get(entity="datavalue")
    assert (record.action, record.actor, record.new["value"]) == ("create", "test", "10")


def test_it_audits_the_old_and_new_value_of_a_change(unit):
    datavalues_save(values=[value(unit, "jobs_created", 10)], actor="a")
    result = datavalues_save(values=[value(unit, "jobs_created", 12)], actor="b")
    assert (result.created, result.updated) == (0, 1)
    change = AuditRecord.objects.filter(action="update").get()
    assert (change.old["value"], change.new["value"]) == ("10", "12")
    assert DataValue.objects.get().version == 2


def test_it_counts_unchanged_values_without_writing(unit):
    datavalues_save(values=[value(unit, "jobs_created", 10)], actor="a")
    assert datavalues_save(values=[value(unit, "jobs_created", 10)], actor="a").unchanged == 1
    assert AuditRecord.objects.filter(entity="datavalue").count() == 1


def test_it_writes_nothing_when_one_value_is_wrong(unit):
    with pytest.raises(InvalidInput) as exc:
        datavalues_save(
            values=[value(unit, "jobs_created", 10, line=1),
                    value(unit, "urban_unemployment_rate", 140, line=2)],
            actor="test",
        )
    assert [(p.line, p.field) for p in exc.value.problems] == [(2, "value")]
    assert DataValue.objects.count() == 0


def test_it_refuses_parts_that_do_not_add_up_to_the_total(unit):
    with pytest.raises(InvalidInput, match="357"):
        datavalues_save(
            values=[value(unit, "overseas_workers", 357), value(unit, "overseas_workers", 233,
                                                                "JP")],
            actor="test",
        )


def test_it_refuses_an_unknown_part(unit):
    with pytest.raises(InvalidInput):
        datavalues_save(values=[value(unit, "overseas_workers", 3, "XX")], actor="test")


def test_it_refuses_the_same_cell_twice_with_different_numbers(unit):
    with pytest.raises(InvalidInput):
        datavalues_save(values=[value(unit, "jobs_created", 1), value(unit, "jobs_created", 2)],
                        actor="test")


def test_it_locks_approved_values(unit):
    datavalues_save(values=[value(unit, "jobs_created", 10)], actor="a")
    row = DataValue.objects.get()
    datavalue_set_status(value_id=row.pk, status="approved", actor="boss")
    with pytest.raises(InvalidInput, match="approved"):
        datavalues_save(values=[value(unit, "jobs_created", 11)], actor="a")
    with pytest.raises(Locked):
        datavalue_set_status(value_id=row.pk, status="draft", actor="a")


def test_it_tells_the_second_editor_of_a_conflict(unit):
    element = DataElement.objects.get(code="jobs_created")
    period = parse_period("2023")
    datavalue_set(element=element, org_unit=unit, period=period, value=D(1), actor="a",
                  expected_version=0)
    datavalue_set(element=element, org_unit=unit, period=period, value=D(2), actor="b",
                  expected_version=1)
    with pytest.raises(Conflict):
        datavalue_set(element=element, org_unit=unit, period=period, value=D(3), actor="a",
                      expected_version=1)
    assert DataValue.objects.get().value == 2


@given(value=st.decimals(allow_nan=False, allow_infinity=False, places=None),
       estimate=st.booleans(), comment=st.text(max_size=20),
       status=st.sampled_from(DataValue.Status.values), version=st.integers(1, 10**6))
def test_it_writes_audit_snapshots_as_json_by_hand_equal_to_json_dumps(
    value, estimate, comment, status, version
):
    from tiendo.data.services import _snapshot_json
    from tiendo.lib.numbers import plain_number

    expected = {"value": format(value.normalize(), "f"), "estimate": estimate,
                "comment": comment, "status": status, "version": version}
    assert plain_number(value) == expected["value"]
    assert json.loads(_snapshot_json(value, estimate, comment, status, version)) == expected
