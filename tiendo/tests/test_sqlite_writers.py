"""On SQLite one connection writes at a time: a form saved while a large upload is being
checked or stored must wait for it, not fail with "database is locked"."""

import threading
import time

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking")


def _begin(wrapper: DatabaseWrapper) -> None:
    """BEGIN as transaction.atomic() does it."""
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def test_a_write_that_reads_first_waits_for_a_long_write_to_finish(tmp_path, django_db_blocker):
    # Two connections to one file, set up as the server's are (settings.DATABASES).
    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "two.sqlite3")}
    upload, form = (DatabaseWrapper(settings_dict, alias=name) for name in ("upload", "form"))
    upload.inc_thread_sharing()  # committed from a timer's thread
    with django_db_blocker.unblock():
        _writers(upload, form)


def _writers(upload: DatabaseWrapper, form: DatabaseWrapper) -> None:
    with upload.cursor() as cursor:
        cursor.execute("CREATE TABLE value (id INTEGER PRIMARY KEY, number INTEGER)")
        cursor.execute("INSERT INTO value (id, number) VALUES (1, 0)")
    _begin(upload)
    with upload.cursor() as cursor:  # the upload's transaction: it writes, then works on
        cursor.execute("INSERT INTO value (number) VALUES (5)")
    threading.Timer(0.5, upload.commit).start()
    started = time.monotonic()
    _begin(form)
    with form.cursor() as cursor:  # the form reads what it changes, then writes
        cursor.execute("SELECT number FROM value WHERE id = 1")
        cursor.execute("UPDATE value SET number = %s WHERE id = 1", [cursor.fetchone()[0] + 1])
    form.commit()
    assert time.monotonic() - started >= 0.4  # it waited for the upload
    with form.cursor() as cursor:
        cursor.execute("SELECT count(*), max(number) FROM value")
        assert cursor.fetchone() == (2, 5)
    upload.close()
    form.close()
