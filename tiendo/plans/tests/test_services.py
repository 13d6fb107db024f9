from decimal import Decimal

import pytest

from tiendo.audit.models import AuditRecord
from tiendo.errors import InvalidInput
from tiendo.exchange.imports import import_text
from tiendo.indicators.models import Indicator
from tiendo.plans.models import Document, Target, TargetSet
from tiendo.plans.services import (
    document_get_or_create,
    target_save,
    target_set_get_or_create,
)

pytestmark = pytest.mark.django_db

HEADER = "target_set,indicator,org_unit,period,comparison,value,value_max,baseline_period"


@pytest.fixture
def setup(units, catalogue):
    return units


def _csv(*lines: str, header: str = HEADER) -> str:
    return "\n".join((header, *lines)) + "\n"


def _counts() -> tuple[int, int, int]:
    return TargetSet.objects.count(), Target.objects.count(), AuditRecord.objects.count()


def test_it_creates_a_target_with_an_audit_record_and_default_baseline(setup):
    target_set = target_set_get_or_create(name="NQ 2026", actor="test")
    target = target_save(
        target_set=target_set,
        indicator=Indicator.objects.get(code="poverty_rate"),
        org_unit=setup["tay_ninh"],
        period="2026",
        comparison="decrease_abs",
        value=Decimal(1),
        value_max=Decimal("1.2"),
        actor="test",
    )
    assert target.baseline_period == "2025"
    record = AuditRecord.objects.get(entity="target", entity_id=target.pk)
    assert (record.action, record.new["value_max"]) == ("create", "1.2")


def test_it_updates_a_target_and_audits_old_and_new(setup):
    target_set = target_set_get_or_create(name="NQ 2026", actor="test")
    common = {
        "target_set": target_set,
        "indicator": Indicator.objects.get(code="jobs_created"),
        "org_unit": setup["tay_ninh"],
        "period": "2026",
        "comparison": "at_least",
        "actor": "test",
    }
    first = target_save(value=Decimal(100), **common)
    second = target_save(value=Decimal(120), **common)
    assert first.pk == second.pk
    record = AuditRecord.objects.get(entity="target", action="update")
    assert (record.old["value"], record.new["value"]) == ("100", "120")


def test_it_refuses_a_range_without_value_max(setup):
    target_set = target_set_get_or_create(name="NQ 2026", actor="test")
    with pytest.raises(InvalidInput) as error:
        target_save(
            target_set=target_set,
            indicator=Indicator.objects.get(code="jobs_created"),
            org_unit=setup["tay_ninh"],
            period="2026",
            comparison="range",
            value=Decimal(1),
            actor="test",
        )
    assert [p.field for p in error.value.problems] == ["value_max"]


def test_it_gets_an_existing_document_by_symbol(db):
    first = document_get_or_create(symbol="12/NQ-HĐND", kind="resolution")
    assert document_get_or_create(symbol="12/NQ-HĐND") == first
    assert Document.objects.count() == 1


def test_it_imports_targets_creating_the_set_with_default_baseline(setup):
    text = _csv(
        'KH 2026,jobs_created,80,2026,at_least,"25.000,5",,,aspirational,15/KH-UBND',
        'KH 2026,poverty_rate,80,2026,decrease_abs,1,"1,2",,aspirational,15/KH-UBND',
        header=HEADER + ",kind,document",
    )
    result = import_text(text=text, actor="test")
    assert (result.format, result.created, result.rows) == ("targets_csv", 2, 2)
    target_set = TargetSet.objects.get(name="KH 2026")
    assert (target_set.kind, target_set.document.symbol) == ("aspirational", "15/KH-UBND")
    targets = {t.indicator.code: t for t in target_set.targets.all()}
    assert targets["jobs_created"].value == Decimal("25000.5")
    assert targets["poverty_rate"].value_max == Decimal("1.2")
    assert {t.baseline_period for t in targets.values()} == {"2025"}
    assert {t.org_unit_id for t in targets.values()} == {setup["tay_ninh"].pk}


def test_it_refuses_bad_comparisons_and_ranges_and_writes_nothing(setup):
    before = _counts()
    text = _csv(
        "KH 2026,jobs_created,80,2026,at_least,100,,",
        "KH 2026,new_jobs,80,2026,more_than,100,,",
        "KH 2026,poverty_rate,80,2026,range,1,,",
        "KH 2026,urban_unemployment_rate,80,2026,range,5,4,",
    )
    with pytest.raises(InvalidInput) as error:
        import_text(text=text, actor="test")
    where = [(p.line, p.field) for p in error.value.problems]
    assert where == [(3, "comparison"), (4, "value_max"), (5, "value_max")]
    assert _counts() == before


def test_it_reimports_targets_idempotently(setup):
    text = _csv(
        "KH 2026,jobs_created,80,2026,at_least,100,,2024",
        "KH 2026,poverty_rate,80,2026,decrease_pct,5,,",
    )
    import_text(text=text, actor="test")
    before = _counts()
    again = import_text(text=text, actor="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert _counts() == before


def test_it_writes_no_targets_on_a_dry_run(setup):
    before = _counts()
    result = import_text(
        text=_csv("KH 2026,jobs_created,80,2026,at_least,100,,"), actor="test", dry_run=True
    )
    assert result.created == 1
    assert _counts() == before


def test_an_average_growth_needs_a_period_of_several_years(setup):
    target_set = target_set_get_or_create(name="NQ ĐH", actor="test")
    common = {"target_set": target_set, "indicator": Indicator.objects.get(code="poverty_rate"),
              "org_unit": setup["tay_ninh"], "comparison": "average_growth",
              "value": Decimal("9.2"), "value_max": Decimal(10), "actor": "test"}
    with pytest.raises(InvalidInput) as error:
        target_save(period="2026", **common)
    assert [p.field for p in error.value.problems] == ["period"]
    assert target_save(period="2026-2030", **common).value_max == 10
