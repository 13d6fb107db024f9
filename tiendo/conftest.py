"""Fixtures shared by every app's tests."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import translation

from tiendo.indicators.loaders import catalogue_load
from tiendo.org.models import OrgUnit
from tiendo.org.services import orgunit_create

LONG_AN_END = datetime.date(2025, 6, 30)
TAY_NINH_START = datetime.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def _english_messages():
    """Tests read messages in English; pages and the CLI switch to Vietnamese on their own,
    and tiendo/web/tests/test_translations.py checks the Vietnamese catalogue is complete."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives each test's database: upload progress (SQLite gives a rolled-back
    id again) must not leak. (Failed log-ins are counted in the database.)"""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _jobs_at_once(settings):
    """Jobs run in the test that enqueues them (tools/test sets TIENDO_TASKS=immediate too);
    the tests of the worker switch to the database backend themselves."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Real hashing takes a large part of a second per user; tests need no such strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def units(db) -> dict[str, OrgUnit]:
    """A tiny map with a reused code: "80" is Long An until 2025-06-30, Tây Ninh after."""
    vn = orgunit_create(code="VN", name="Việt Nam", kind="country")
    long_an = orgunit_create(
        code="80", name="Long An", kind="province", parent=vn, valid_to=LONG_AN_END
    )
    tay_ninh = orgunit_create(
        code="80", name="Tây Ninh", kind="province", parent=vn, valid_from=TAY_NINH_START
    )
    return {"vn": vn, "long_an": long_an, "tay_ninh": tay_ninh}


@pytest.fixture
def catalogue(db) -> None:
    catalogue_load()


class World:
    """A province with two communes, a neighbouring province, a monthly report (data set)
    and one user per role; see the `world` fixture."""

    PASSWORD = "pw-for-tests"

    def __init__(self) -> None:
        from tiendo.accounts.services import user_with_membership
        from tiendo.indicators.models import DataElement, DataSet

        catalogue_load()
        self.vn = orgunit_create(code="VN", name="Việt Nam", kind="country")
        self.province = orgunit_create(code="80", name="Tây Ninh", kind="province",
                                       parent=self.vn)
        self.commune = orgunit_create(code="25459", name="Phường Tân Ninh", kind="commune",
                                      parent=self.province)
        self.sibling = orgunit_create(code="25480", name="Phường Bình Minh", kind="commune",
                                      parent=self.province)
        self.other_province = orgunit_create(code="79", name="TP. Hồ Chí Minh",
                                             kind="province", parent=self.vn)
        self.data_set = DataSet.objects.create(code="monthly", name_vi="Báo cáo tháng")
        self.elements = {
            e.code: e for e in DataElement.objects.filter(
                code__in=["jobs_created", "overseas_workers", "urban_unemployment_rate"])
        }
        self.data_set.elements.add(*self.elements.values())

        def user(name, role, unit):
            return user_with_membership(username=name, password=self.PASSWORD, role=role,
                                        org_unit=unit, actor="test")

        self.users = {
            "admin": user("admin", "admin", None),
            "specialist": user("specialist", "specialist", self.province),
            "officer": user("officer", "officer", self.commune),
            "viewer": user("viewer", "viewer", self.province),
            "sibling": user("sibling", "officer", self.sibling),
            "stranger": user("stranger", "specialist", self.other_province),
        }


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def job_queue(settings, monkeypatch):
    """Jobs kept in the database for the worker, as in production; `run_worker()` runs the
    jobs waiting now through `tiendo worker --batch`, in this process. The worker closes
    a connection found inside a transaction between jobs: here that is the test's own."""
    import signal

    from django_tasks_db.management.commands import db_worker

    from tiendo.cli import main

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TIENDO_EXCHANGE_INLINE = False
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM,
                                                       signal.SIGQUIT)}

    def run_worker() -> int:
        try:
            return main(["--lang", "en", "worker", "--batch"])
        finally:  # db_worker handles the signals itself; give them back to pytest
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run_worker
