"""The org tests share a loaded map of Vietnam: loaded once for the package inside a transaction
that is rolled back at the end, so tests elsewhere start from an empty database."""

import pytest
from django.db import transaction

from tiendo.org.loaders import orgunits_load_vietnam


@pytest.fixture(scope="package", autouse=True)
def vietnam_map(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        orgunits_load_vietnam()
        yield
        transaction.set_rollback(True)
