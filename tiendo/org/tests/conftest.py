"""The org tests share one loaded map of Vietnam, loaded once per test session.

pytest-django's pattern "populate the test database": the map is loaded right after the
test database is created, outside any test transaction, so each test's rollback keeps it.
"""

import pytest

from tiendo.org.loaders import orgunits_load_vietnam
from tiendo.org.models import OrgUnit


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        orgunits_load_vietnam()


@pytest.fixture(autouse=True)
def _vietnam_map_present(request):
    """Reload the map inside the test if a transactional test elsewhere flushed it."""
    if "django_db" not in {mark.name for mark in request.node.iter_markers()}:
        return
    if request.node.get_closest_marker("django_db").kwargs.get("transaction"):
        return
    request.getfixturevalue("db")
    if not OrgUnit.objects.filter(kind=OrgUnit.Kind.COUNTRY, code="VN").exists():
        orgunits_load_vietnam()
