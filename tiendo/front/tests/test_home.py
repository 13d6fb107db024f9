from decimal import Decimal as D

import pytest

from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.loaders import catalogue_load
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.periods import parse_period
from tiendo.org.services import orgunit_create
from tiendo.plans.models import Target, TargetSet


@pytest.mark.django_db
def test_it_shows_each_target_set_with_engine_figures(client):
    catalogue_load()
    unit = orgunit_create(code="79", name="Thành phố Hồ Chí Minh", kind="province")
    datavalues_save(values=[ValueInput(element=DataElement.objects.get(code="new_party_members"),
                                       org_unit=unit, period=parse_period("2022"), value=D(71))],
                    actor="test")
    Target.objects.create(target_set=TargetSet.objects.create(name="KH 2022"),
                          indicator=Indicator.objects.get(code="new_party_members"),
                          org_unit=unit, period="2022", comparison="at_least", value=D(70))
    page = client.get("/").content.decode()
    assert "101,43%" in page
    assert "1/1" in page and "Năm 2022" in page


@pytest.mark.django_db
def test_it_says_what_to_do_when_there_are_no_targets(client):
    assert "tiendo load-demo" in client.get("/").content.decode()
