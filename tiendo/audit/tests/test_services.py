import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tiendo.audit.models import AuditRecord
from tiendo.audit.services import Actor, audit_record, audited_create, audited_update
from tiendo.exchange.models import LabelMapping


@pytest.fixture
def anna(db):
    return User.objects.create_user("anna", password="x")


def test_it_saves_and_records_only_the_fields_that_changed(units):
    unit = units["long_an"]
    changed = audited_update(instance=unit, fields=["name", "kind"],
                             data={"name": "Tỉnh Long An", "kind": unit.kind},
                             actor=Actor.system("test"), key=unit.code)
    assert changed is True
    unit.refresh_from_db()
    assert unit.name == "Tỉnh Long An"
    record = AuditRecord.objects.get(action="update")
    assert (record.entity, record.entity_id, record.key) == ("orgunit", unit.pk, "80")
    assert (record.old, record.new) == ({"name": "Long An"}, {"name": "Tỉnh Long An"})


def test_it_writes_nothing_and_says_so_when_nothing_changed(units):
    unit = units["long_an"]
    records = AuditRecord.objects.count()
    with CaptureQueriesContext(connection) as queries:
        changed = audited_update(instance=unit, fields=["name", "valid_to"],
                                 data={"name": unit.name, "valid_to": unit.valid_to},
                                 actor=Actor.system("test"))
    assert changed is False
    assert len(queries) == 0
    assert AuditRecord.objects.count() == records


def test_it_records_a_foreign_key_as_its_id_and_saves_the_automatic_time(anna):
    mapping = LabelMapping.objects.create(kind="element", label="lao dong", code="jobs")
    long_ago = timezone.now() - datetime.timedelta(days=1)
    LabelMapping.objects.filter(pk=mapping.pk).update(confirmed_at=long_ago)
    mapping.refresh_from_db()
    audited_update(instance=mapping, fields=["code", "confirmed_by"],
                   data={"code": "jobs_created", "confirmed_by": anna}, actor=Actor.of(anna))
    mapping.refresh_from_db()
    assert (mapping.code, mapping.confirmed_by_id) == ("jobs_created", anna.pk)
    assert mapping.confirmed_at > long_ago
    record = AuditRecord.objects.get(entity="labelmapping")
    assert record.old == {"code": "jobs", "confirmed_by": None}
    assert record.new == {"code": "jobs_created", "confirmed_by": anna.pk}


def test_it_records_what_a_new_row_was_created_with(anna):
    mapping = audited_create(model=LabelMapping, actor=Actor.of(anna), key="element x",
                             data={"kind": "element", "label": "x", "code": "jobs_created",
                                   "confirmed_by": anna})
    record = AuditRecord.objects.get(entity="labelmapping", entity_id=mapping.pk)
    assert record.action == "create"
    assert record.new == {"kind": "element", "label": "x", "code": "jobs_created",
                          "confirmed_by": anna.pk}


def test_it_keeps_the_user_id_and_name_of_an_actor_from_a_user(anna):
    audit_record(actor=Actor.of(anna), action="create", entity="thing", entity_id=1)
    audit_record(actor=Actor.of(anna, via="api"), action="update", entity="thing", entity_id=1)
    assert list(AuditRecord.objects.order_by("id").values_list("user_id", "actor")) == [
        (anna.pk, "anna"), (anna.pk, "api:anna")]


def test_it_names_a_system_actor_without_a_user(db):
    actor = Actor.system("loader")
    assert (actor.user, actor.user_id, actor.name) == (None, None, "loader")
    audit_record(actor=actor, action="load", entity="orgunit", entity_id=1, key="k" * 300)
    record = AuditRecord.objects.get()
    assert (record.user_id, record.actor, len(record.key)) == (None, "loader", 255)
