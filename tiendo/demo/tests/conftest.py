"""The demo's tests share one load of the map, the catalogue and the demo (twice, to check
that a second run changes nothing), made once for the package inside a transaction that is
rolled back at its end, so tests elsewhere start from an empty database."""

import pytest
from django.db import transaction

from tiendo.data.models import DataValue
from tiendo.demo.loader import demo_load
from tiendo.indicators.loaders import catalogue_load
from tiendo.org.loaders import orgunits_load_vietnam
from tiendo.plans.models import Target


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """What the two loads did, and the counts after the first."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            orgunits_load_vietnam()
            catalogue_load()
            first = demo_load()
            count = DataValue.objects.count()
            targets = Target.objects.count()
            second = demo_load()
            yield {
                "first": first,
                "second": second,
                "count": count,
                "targets": targets,
            }
            transaction.set_rollback(True)
