import datetime

import pytest

from tiendo.audit.models import AuditRecord
from tiendo.org.services import orgunit_create
from tiendo.standards.models import UnitStandard
from tiendo.standards.services import standard_get_or_create, unit_standard_record

pytestmark = pytest.mark.django_db


def test_a_unit_reaching_a_standard_is_recorded_once_and_a_correction_is_audited():
    commune = orgunit_create(code="27700", name="Xã Hướng Thọ Phú", kind="commune")
    standard = standard_get_or_create(code="ntm", name_vi="Nông thôn mới", name_en="New rural",
                                      unit_kind="commune", actor="test")
    day = datetime.date(2024, 5, 10)
    for _ in range(2):
        unit_standard_record(standard=standard, org_unit=commune, reached_on=day,
                             decision="12/QĐ-UBND", actor="test")
    assert UnitStandard.objects.count() == 1
    assert AuditRecord.objects.filter(entity="unitstandard").count() == 1
    unit_standard_record(standard=standard, org_unit=commune, reached_on=day.replace(day=12),
                         decision="12/QĐ-UBND", actor="test")
    change = AuditRecord.objects.get(entity="unitstandard", action="update")
    assert (change.old["reached_on"], change.new["reached_on"]) == ("2024-05-10", "2024-05-12")
