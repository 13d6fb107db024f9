import pytest
from django.db import transaction

from tiendo.demo.loader import demo_load
from tiendo.indicators.loaders import catalogue_load
from tiendo.org.loaders import orgunits_load_vietnam
from tiendo.reports.tests.fixtures import (  # noqa: F401
    _small_world,
    people,
    province,
    target,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The map, the catalogue and the demo, loaded once per module and rolled back after."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            orgunits_load_vietnam()
            catalogue_load()
            demo_load()
            yield
            transaction.set_rollback(True)
