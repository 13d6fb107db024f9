import pytest

from tiendo.audit.models import AuditRecord
from tiendo.errors import InvalidInput
from tiendo.plans.models import Target
from tiendo.plans.services import target_delete, target_set_create

pytestmark = pytest.mark.django_db


def test_it_deletes_a_target_and_keeps_it_in_the_audit_trail(world):
    pk = world.province_target.pk
    target_delete(target=world.province_target, actor="test")
    assert not Target.objects.filter(pk=pk).exists()
    record = AuditRecord.objects.get(action="delete", entity="target", entity_id=pk)
    assert record.old["value"] == "1000"


def test_it_refuses_a_new_set_with_a_name_already_taken(world):
    with pytest.raises(InvalidInput) as error:
        target_set_create(name=world.target_set.name, actor="test")
    assert error.value.problems[0].field == "name"
