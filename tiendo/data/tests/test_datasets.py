import pytest

from tiendo.audit.models import AuditRecord
from tiendo.audit.services import Actor
from tiendo.data.datasets import dataset_take_elements, elements_in_two_data_sets
from tiendo.indicators.models import DataSet

pytestmark = pytest.mark.django_db


def test_a_form_taking_an_element_takes_it_out_of_every_other_form(world):
    sector = DataSet.objects.get(code="lao_dong")
    assert sector.elements.filter(code="job_fair_sessions").exists()
    assert "jobs_created" in elements_in_two_data_sets()  # the sector's set and "monthly"
    dataset_take_elements(data_set=world.data_set, codes=["jobs_created", "job_fair_sessions"],
                          actor=Actor.system("test"))
    assert not sector.elements.filter(code__in=["jobs_created", "job_fair_sessions"]).exists()
    assert "jobs_created" not in elements_in_two_data_sets()
    assert AuditRecord.objects.filter(entity="dataset", entity_id=world.data_set.pk).exists()
