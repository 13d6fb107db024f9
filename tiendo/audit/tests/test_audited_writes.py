"""Writes that once left no audit record, and a page that once wrote on GET."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tiendo.accounts.services import apitoken_create
from tiendo.audit.models import AuditRecord
from tiendo.audit.services import Actor
from tiendo.exchange.freeform import labelmappings_remember
from tiendo.exchange.models import LabelMapping, Upload
from tiendo.exchange.services import upload_receive
from tiendo.indicators.loaders import catalogue_load
from tiendo.plans.services import document_get_or_create


def test_it_audits_a_new_api_token_without_its_secret(world):
    officer = world.users["officer"]
    token = apitoken_create(user=officer, name="Excel", actor=Actor.system("manage api_token"))
    record = AuditRecord.objects.get(entity="apitoken")
    assert (record.action, record.user_id, record.actor) == ("create", None, "manage api_token")
    assert (record.key, record.new) == ("officer", {"user": officer.pk, "name": "Excel"})
    stored = repr([record.key, record.old, record.new, record.reason])
    assert token not in stored and officer.api_tokens.get().digest not in stored


def test_it_names_the_user_who_makes_a_token_for_themself(world):
    officer = world.users["officer"]
    apitoken_create(user=officer)
    assert AuditRecord.objects.get(entity="apitoken").user_id == officer.pk


def test_it_audits_a_new_document_once(world):
    specialist = world.users["specialist"]
    first = document_get_or_create(symbol="12/NQ-HĐND", kind="resolution",
                                   date=datetime.date(2025, 12, 10), actor="web:specialist",
                                   user=specialist)
    document_get_or_create(symbol="12/NQ-HĐND", actor="web:specialist", user=specialist)
    record = AuditRecord.objects.get(entity="document")
    assert (record.entity_id, record.key, record.user_id) == (first.pk, "12/NQ-HĐND",
                                                              specialist.pk)
    assert record.new["kind"] == "resolution" and record.new["date"] == "2025-12-10"


def test_it_audits_remembered_labels_when_they_change(world):
    specialist = world.users["specialist"]
    labels = {"element": {"Số lao động": "jobs_created", "Bỏ qua": ""}}
    assert labelmappings_remember(user=specialist, labels=labels) == 1
    assert labelmappings_remember(user=specialist, labels=labels) == 1  # the same again
    labelmappings_remember(user=specialist, labels={"element": {"Số lao động": "new_jobs"}})
    mapping = LabelMapping.objects.get()
    records = AuditRecord.objects.filter(entity="labelmapping", entity_id=mapping.pk)
    assert [(r.action, r.user_id, r.old, r.new) for r in records.order_by("id")] == [
        ("create", specialist.pk, None, {"code": "jobs_created", "scope_unit": world.province.pk}),
        ("update", specialist.pk, {"code": "jobs_created"}, {"code": "new_jobs"}),
    ]


def test_it_audits_a_received_upload_and_the_old_ones_it_deletes(world):
    officer = world.users["officer"]
    old = upload_receive(user=officer, filename="old.csv", content=b"a", options={})
    Upload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31))
    new = upload_receive(user=officer, filename="new.csv", content=b"bc",
                         options={"period": "2024"})
    assert list(Upload.objects.values_list("pk", flat=True)) == [new.pk]
    created = AuditRecord.objects.get(entity="upload", entity_id=new.pk)
    assert (created.action, created.user_id, created.key) == ("create", officer.pk, "new.csv")
    assert created.new == {"bytes": 2, "options": {"period": "2024"}}
    expired = AuditRecord.objects.get(entity="upload", entity_id=old.pk, action="expire")
    assert (expired.user_id, expired.actor, expired.key) == (None, "uploads", "old.csv")
    assert (expired.old["user"], expired.old["status"]) == (officer.pk, "received")


def test_it_settles_an_interrupted_upload_when_the_next_file_arrives(world):
    officer = world.users["officer"]
    stuck = Upload.objects.create(user=officer, filename="big.csv", content=b"x",
                                  status=Upload.Status.STORING)
    Upload.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=31))
    upload_receive(user=officer, filename="next.csv", content=b"y", options={})
    stuck.refresh_from_db()
    assert stuck.status == Upload.Status.FAILED
    assert "interrupted" in stuck.report["problems"][0]["message"]
    record = AuditRecord.objects.get(entity="upload", entity_id=stuck.pk)
    assert (record.action, record.old, record.new) == (
        "interrupted", {"status": "storing"}, {"status": "failed"})


def test_the_pages_of_an_interrupted_upload_write_nothing(client, world):
    officer = world.users["officer"]
    stuck = Upload.objects.create(user=officer, filename="big.csv", content=b"x",
                                  status=Upload.Status.STORING)
    Upload.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=31))
    before = (AuditRecord.objects.count(),
              list(Upload.objects.values_list("pk", "status", "report", "updated_at")))
    client.force_login(officer)
    status = client.get(reverse("exchange:upload-status", args=[stuck.pk])).json()
    page = client.get(reverse("exchange:upload", args=[stuck.pk]))
    listing = client.get(reverse("exchange:home"))
    assert status == {"status": "failed", "progress": 0, "done": True}
    assert b"interrupted" in page.content
    assert "Has problems" in listing.content.decode()
    assert (AuditRecord.objects.count(),
            list(Upload.objects.values_list("pk", "status", "report", "updated_at"))) == before


def test_it_audits_what_loading_the_catalogue_creates_and_nothing_on_reloading(db):
    catalogue_load()
    created = AuditRecord.objects.filter(actor="catalogue", action="create")
    assert created.filter(entity="dataelement", key="jobs_created").exists()
    assert created.filter(entity="indicator", key="trained_labour_rate").exists()
    records = AuditRecord.objects.count()
    catalogue_load()
    assert AuditRecord.objects.count() == records
