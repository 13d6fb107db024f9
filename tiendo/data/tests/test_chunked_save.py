"""Saving in chunks: the checks that span the whole file still hold across chunk edges."""

from decimal import Decimal

import pytest

from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.errors import InvalidInput
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(units, catalogue):
    return units["long_an"]


def value(unit, code, number, part="", period="2024", line=None):
    return ValueInput(element=DataElement.objects.get(code=code), org_unit=unit,
                      period=parse_period(period), value=Decimal(number), part=part, line=line)


def test_it_checks_parts_against_a_total_in_another_chunk(unit):
    values = [value(unit, "overseas_workers", 3, "JP"), value(unit, "overseas_workers", 2, "KR"),
              value(unit, "overseas_workers", 6)]
    with pytest.raises(InvalidInput) as caught:
        datavalues_save(values=iter(values), actor="t", chunk_size=1)
    assert "add up to 5 but the total is 6" in caught.value.problems[0].message
    assert DataValue.objects.count() == 0


def test_it_accepts_parts_and_total_spread_over_chunks(unit):
    values = [value(unit, "overseas_workers", 3, "JP"), value(unit, "overseas_workers", 2, "KR"),
              value(unit, "overseas_workers", 5)]
    result = datavalues_save(values=iter(values), actor="t", chunk_size=2)
    assert result.created == 3 and AuditRecord.objects.filter(entity="datavalue").count() == 3


def test_it_finds_a_duplicate_with_another_number_in_a_later_chunk(unit):
    values = [value(unit, "jobs_created", 1, line=2), value(unit, "new_jobs", 1, line=3),
              value(unit, "jobs_created", 9, line=4)]
    with pytest.raises(InvalidInput) as caught:
        datavalues_save(values=iter(values), actor="t", chunk_size=1)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (4, "the same value appears twice with different numbers (also line 2)")]
    assert DataValue.objects.count() == 0


def test_it_counts_a_repeated_identical_value_once(unit):
    values = [value(unit, "jobs_created", 1), value(unit, "jobs_created", 1)]
    assert datavalues_save(values=iter(values), actor="t", chunk_size=1).created == 1


def test_it_finds_a_stored_value_in_a_chunk_after_new_values_of_the_same_period(units, catalogue):
    # Lookups by key are skipped while the only stored values of a data element and period
    # are this save's own: a value stored before must still be found as a change.
    vn, long_an = units["vn"], units["long_an"]
    datavalues_save(values=[value(long_an, "jobs_created", 1)], actor="t")
    values = [value(vn, "jobs_created", 5, line=2), value(long_an, "jobs_created", 2, line=3)]
    result = datavalues_save(values=iter(values), actor="t", chunk_size=1)
    assert (result.created, result.updated) == (1, 1)
    change = AuditRecord.objects.get(action="update")
    assert (change.old["value"], change.new["value"], change.new["version"]) == ("1", "2", 2)
    assert DataValue.objects.get(org_unit=long_an).version == 2


def test_it_records_when_an_upload_changed_a_value(unit):
    datavalues_save(values=[value(unit, "jobs_created", 1)], actor="t")
    first = DataValue.objects.get().updated_at
    datavalues_save(values=[value(unit, "jobs_created", 2)], actor="t")
    assert DataValue.objects.get().updated_at > first


def test_it_writes_every_field_of_changed_values_across_chunks(unit, django_user_model):
    user = django_user_model.objects.create(username="chi")
    datavalues_save(values=[value(unit, "urban_unemployment_rate", 4), value(unit, "new_jobs", 2),
                            value(unit, "overseas_workers", 3)], actor="t", source="first")
    changed = [
        ValueInput(element=DataElement.objects.get(code=code), org_unit=unit,
                   period=parse_period("2024"), value=Decimal(number), estimate=True,
                   comment=f"sửa {code}")
        for code, number in [("urban_unemployment_rate", "10.5"), ("new_jobs", "20")]
    ]
    result = datavalues_save(values=iter(changed), actor="t", user=user, chunk_size=1)
    assert (result.created, result.updated) == (0, 2)
    rows = {row.data_element.code: row for row in DataValue.objects.select_related(
        "data_element")}
    for code, number in [("urban_unemployment_rate", "10.5"), ("new_jobs", "20")]:
        row = rows[code]
        assert (row.value, row.estimate, row.comment, row.version, row.updated_by, row.source) \
            == (Decimal(number), True, f"sửa {code}", 2, user, "first")
    untouched = rows["overseas_workers"]
    assert (untouched.value, untouched.version, untouched.updated_by) == (Decimal(3), 1, None)
    datavalues_save(values=[value(unit, "new_jobs", 21)], actor="t", source="second")
    assert DataValue.objects.get(data_element__code="new_jobs").source == "second"


def test_an_audit_record_keeps_its_user_after_the_user_is_deleted(unit, django_user_model):
    user = django_user_model.objects.create(username="chi")
    datavalues_save(values=[value(unit, "jobs_created", 1)], actor="chi", user=user)
    user_id = user.pk
    user.delete()
    record = AuditRecord.objects.select_related("user").get(entity="datavalue")
    assert (record.user_id, record.user, record.actor) == (user_id, None, "chi")
    assert DataValue.objects.get().updated_by is None


@pytest.mark.parametrize("sent", [1, 2, 3])
def test_it_finds_stored_values_whether_it_reads_their_span_or_looks_them_up(
    units, catalogue, sent
):
    # Three values stored in one span: a file with one of them looks it up by key, a file
    # with two or three reads the whole span (and must leave the others alone).
    three = [units["vn"], units["long_an"], units["tay_ninh"]]
    datavalues_save(values=[value(unit, "jobs_created", 1) for unit in three], actor="t")
    again = [value(unit, "jobs_created", 2) for unit in three[:sent]]
    result = datavalues_save(values=again, actor="t")
    assert (result.created, result.updated, result.unchanged) == (0, sent, 0)
    assert sorted(DataValue.objects.values_list("value", flat=True)) == sorted(
        [Decimal(2)] * sent + [Decimal(1)] * (3 - sent))
    assert AuditRecord.objects.filter(action="update").count() == sent


def test_a_large_save_gives_ids_never_given_before_and_audits_each_value_by_its_own(unit):
    # More than FEW values: the ids are taken before the rows are written.
    def months(number, years):
        return [value(unit, code, number, period=f"{year}{month:02d}") for year in years
                for code in ("jobs_created", "new_jobs") for month in range(1, 13)]

    assert datavalues_save(values=iter(months(1, [2023, 2024, 2025])), actor="t").created == 72
    newest = DataValue.objects.order_by("-id").first()
    newest_id = newest.id
    newest.delete()  # the largest id is free again; it must not be given again
    assert datavalues_save(values=iter(months(2, [2020, 2021, 2022])), actor="t").created == 72
    new = DataValue.objects.filter(value=2)
    assert min(new.values_list("id", flat=True)) > newest_id
    created = dict(AuditRecord.objects.filter(entity="datavalue", action="create")
                   .values_list("entity_id", "key"))
    for stored in new.select_related("data_element"):
        assert stored.period in created[stored.id]
        assert stored.data_element.code in created[stored.id]
