import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tiendo.accounts.models import ApiToken
from tiendo.accounts.services import apitoken_authenticate, apitoken_create, apitoken_revoke
from tiendo.audit.models import AuditRecord
from tiendo.audit.services import Actor

pytestmark = pytest.mark.django_db


def test_it_gives_a_new_token_the_configured_lifetime(world, settings):
    settings.TIENDO_API_TOKEN_DAYS = 30
    apitoken_create(user=world.users["officer"])
    left = world.users["officer"].api_tokens.get().expires_at - timezone.now()
    assert datetime.timedelta(days=29, hours=23) < left <= datetime.timedelta(days=30)


def test_it_refuses_an_expired_token(world):
    token = apitoken_create(user=world.users["officer"])
    assert apitoken_authenticate(token) == world.users["officer"]
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert apitoken_authenticate(token) is None


def test_it_refuses_a_revoked_token_and_audits_the_revocation(world):
    token = apitoken_create(user=world.users["officer"])
    api_token = world.users["officer"].api_tokens.get()
    assert apitoken_revoke(api_token=api_token, actor=Actor.of(world.users["officer"]))
    assert apitoken_authenticate(token) is None
    record = AuditRecord.objects.get(entity="apitoken", action="revoke")
    assert (record.entity_id, record.key, record.user_id) == (
        api_token.pk, "officer", world.users["officer"].pk)
    assert record.old == {"revoked_at": None} and record.new["revoked_at"]
    assert not apitoken_revoke(api_token=api_token, actor=Actor.system("test"))
    assert AuditRecord.objects.filter(action="revoke").count() == 1


def test_the_api_answers_401_to_a_revoked_token(world):
    token = apitoken_create(user=world.users["officer"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/me").status_code == 200
    apitoken_revoke(api_token=ApiToken.objects.get(), actor=Actor.system("test"))
    assert client.get("/api/v1/me").status_code == 401


def test_the_command_lists_and_revokes_tokens(world):
    out = io.StringIO()
    call_command("api_token", "officer", "--name", "Excel", "--days", "7", stdout=out)
    token = out.getvalue().strip()
    api_token = ApiToken.objects.get()
    assert (api_token.expires_at - timezone.now()).days == 6
    out = io.StringIO()
    call_command("api_token", "--list", stdout=out)
    assert f"{api_token.pk}\tofficer\tExcel\texpires " in out.getvalue()
    assert token not in out.getvalue()
    call_command("api_token", "--revoke", str(api_token.pk), stdout=io.StringIO())
    assert apitoken_authenticate(token) is None
    assert AuditRecord.objects.get(action="revoke").actor == "manage api_token"
    out = io.StringIO()
    call_command("api_token", "--list", "officer", stdout=out)
    assert "\trevoked " in out.getvalue()


def _token_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"]]


def test_two_reads_within_the_window_write_last_used_once(world, settings):
    settings.TIENDO_API_TOKEN_TOUCH_MINUTES = 5
    token = apitoken_create(user=world.users["officer"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me").status_code == 200
        first = ApiToken.objects.get().last_used_at
        assert client.get("/api/v1/me").status_code == 200
    assert len(_token_writes(queries)) == 1
    assert first is not None and ApiToken.objects.get().last_used_at == first


def test_it_writes_last_used_again_after_the_window(world, settings):
    settings.TIENDO_API_TOKEN_TOUCH_MINUTES = 5
    token = apitoken_create(user=world.users["officer"])
    long_ago = timezone.now() - datetime.timedelta(minutes=6)
    ApiToken.objects.update(last_used_at=long_ago)
    assert apitoken_authenticate(token) == world.users["officer"]
    assert ApiToken.objects.get().last_used_at > long_ago



def test_a_busy_database_does_not_refuse_a_reader_for_its_last_used_note(world, monkeypatch):
    """SQLite writing a long import for another user: the note is skipped, the token works."""
    from django.db import OperationalError
    from django.db.models import QuerySet

    token = apitoken_create(user=world.users["officer"])

    def busy(self, **fields):
        raise OperationalError("database is locked")

    monkeypatch.setattr(QuerySet, "update", busy)
    assert apitoken_authenticate(token) == world.users["officer"]
    monkeypatch.undo()
    assert ApiToken.objects.get().last_used_at is None
