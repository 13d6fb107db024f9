"""Pages: who may read (download forms and exports) and who may write (upload and store)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from tiendo.data.models import DataValue
from tiendo.exchange.models import Upload
from tiendo.exchange.template import template_build
from tiendo.exchange.tests.conftest import office_sheet, save, store, workbook
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db
EVERYONE = ["admin", "specialist", "officer", "commune", "viewer", "sibling", None]
# Cần Đước (805): the officer works there, the commune officer below it, the sibling in Tân An.
READ_805 = {"admin", "specialist", "officer", "viewer"}
WRITE_805 = {"admin", "specialist", "officer"}


def _client(client, people, who):
    if who is not None:
        client.force_login(people[who])
    return client


def _filled_form(area, lao_dong, number=321) -> bytes:
    book = workbook(template_build(data_set=lao_dong, unit=area["can_duoc"],
                                   period=parse_period("2024")))
    for row in book["Data"].iter_rows(min_row=7):
        if row[0].value == "new_jobs":
            row[4].value = number
    return save(book)


@pytest.mark.parametrize("who", EVERYONE)
def test_it_shows_the_page_to_every_role_and_nobody_else(client, people, who):
    response = _client(client, people, who).get(reverse("exchange:home"))
    assert response.status_code == (302 if who is None else 200)


@pytest.mark.parametrize("who", EVERYONE)
def test_it_gives_the_form_to_those_who_may_read_the_unit(client, people, lao_dong, who):
    response = _client(client, people, who).get(
        reverse("exchange:template"), {"data_set": "lao_dong", "unit": "805", "period": "2024"})
    expected = 302 if who is None else 200 if who in READ_805 else 404
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"].startswith(
            'attachment; filename="lao_dong_805_2024.xlsx"')


@pytest.mark.parametrize("who", EVERYONE)
def test_it_exports_only_what_the_user_may_read(client, people, area, who):
    store(area["can_duoc"], "new_jobs", 5)
    response = _client(client, people, who).get(
        reverse("exchange:export"), {"unit": "805", "period": "2024", "format": "dhis2-csv"})
    expected = 302 if who is None else 200 if who in READ_805 else 404
    assert response.status_code == expected
    if expected == 200:
        assert b"new_jobs,2024,805" in b"".join(response.streaming_content)


@pytest.mark.parametrize("who", EVERYONE)
def test_it_stores_an_upload_only_for_those_who_may_enter_it(client, people, area, lao_dong,
                                                             who):
    client = _client(client, people, who)
    sent = SimpleUploadedFile("form.xlsx", _filled_form(area, lao_dong))
    response = client.post(reverse("exchange:upload-create"), {"file": sent})
    if who is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    if who == "viewer":
        assert response.status_code == 403
        return
    upload = Upload.objects.get()
    assert response["Location"] == reverse("exchange:upload", args=[upload.pk])
    client.post(reverse("exchange:upload-store", args=[upload.pk]))
    upload.refresh_from_db()
    if who in WRITE_805:
        assert upload.status == Upload.Status.STORED
        assert DataValue.objects.get().value == 321
    else:
        assert upload.status == Upload.Status.FAILED
        assert "outside" in upload.report["problems"][0]["message"]
        assert not DataValue.objects.exists()


def test_it_shows_the_report_and_the_progress_status(client, people, area, lao_dong):
    client.force_login(people["officer"])
    sent = SimpleUploadedFile("form.xlsx", _filled_form(area, lao_dong))
    page = client.get(client.post(reverse("exchange:upload-create"), {"file": sent})["Location"])
    assert b"What would change" in page.content and b"Store these values" in page.content
    upload = Upload.objects.get()
    status = client.get(reverse("exchange:upload-status", args=[upload.pk])).json()
    assert status == {"status": "checked", "progress": 100, "done": True}


def test_the_report_shows_a_changed_value_as_stored_not_with_the_database_zeros(
    client, people, area
):
    store(area["can_duoc"], "new_jobs", 1500)
    client.force_login(people["officer"])
    sent = SimpleUploadedFile("c.csv", b"dataelement,period,orgunit,value\n"
                                       b"new_jobs,2024,805,1600\n")
    client.post(reverse("exchange:upload-create"), {"file": sent})
    upload = Upload.objects.get()
    change = upload.report["changes"][0]
    assert (change["old"], change["new"]) == ("1500", "1600")  # what the API gives
    page = client.get(reverse("exchange:upload", args=[upload.pk])).content.decode()
    assert ">1,500</td>" in page and ">1,600</td>" in page and "1500.000000" not in page
    assert change["label"] == f"New jobs created · {area['can_duoc'].name} · 2024"
    assert f"<td>{change['label']}</td>" in page
    with translation.override("vi"):  # the Vietnamese page: no language prefix
        page = client.get(reverse("exchange:upload", args=[upload.pk])).content.decode()
    assert ">1.500</td>" in page and ">1.600</td>" in page


def test_the_status_shows_the_progress_of_work_still_inside_its_transaction(client, people):
    from tiendo.exchange import services

    client.force_login(people["officer"])
    upload = Upload.objects.create(user=people["officer"], filename="big.csv", content=b"x",
                                   status=Upload.Status.CHECKING)
    services._progress_set(upload.pk, 42)  # what the working thread last reported
    status = client.get(reverse("exchange:upload-status", args=[upload.pk])).json()
    assert status == {"status": "checking", "progress": 42, "done": False}


def test_an_upload_whose_process_ended_is_reported_as_interrupted(client, people, settings):
    client.force_login(people["officer"])
    upload = Upload.objects.create(user=people["officer"], filename="big.csv", content=b"x",
                                   status=Upload.Status.STORING)
    status_url = reverse("exchange:upload-status", args=[upload.pk])
    assert client.get(status_url).json()["done"] is False  # recent: still waited for
    Upload.objects.filter(pk=upload.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=31))
    assert client.get(status_url).json() == {"status": "failed", "progress": 0, "done": True}
    page = client.get(reverse("exchange:upload", args=[upload.pk]))
    assert b"interrupted" in page.content


def test_progress_reported_by_another_process_is_seen_through_a_shared_cache(
    client, people, settings, tmp_path
):
    """Several server processes share TIENDO_CACHE_DIR: the one polled answers with what
    the one working last reported, and does not take long work for interrupted work."""
    from django.core.cache.backends.filebased import FileBasedCache

    from tiendo.exchange import services

    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path)}}
    other_process = FileBasedCache(str(tmp_path), {})
    client.force_login(people["officer"])
    upload = Upload.objects.create(user=people["officer"], filename="big.csv", content=b"x",
                                   status=Upload.Status.STORING)
    Upload.objects.filter(pk=upload.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=45))
    other_process.set(services._progress_key(upload.pk), 63)
    status_url = reverse("exchange:upload-status", args=[upload.pk])
    assert client.get(status_url).json() == {"status": "storing", "progress": 63, "done": False}
    other_process.delete(services._progress_key(upload.pk))  # that process ended
    assert client.get(status_url).json()["status"] == "failed"


def test_old_uploads_are_deleted_when_a_new_one_arrives(people):
    from tiendo.exchange.services import upload_receive

    old = upload_receive(user=people["officer"], filename="old.csv", content=b"a", options={})
    Upload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31))
    new = upload_receive(user=people["officer"], filename="new.csv", content=b"b", options={})
    assert list(Upload.objects.values_list("pk", flat=True)) == [new.pk]


def test_it_hides_an_upload_from_everyone_but_its_sender(client, people, area, lao_dong):
    client.force_login(people["officer"])
    sent = SimpleUploadedFile("form.xlsx", _filled_form(area, lao_dong))
    client.post(reverse("exchange:upload-create"), {"file": sent})
    upload = Upload.objects.get()
    client.force_login(people["admin"])
    assert client.get(reverse("exchange:upload", args=[upload.pk])).status_code == 404
    assert client.post(reverse("exchange:upload-store", args=[upload.pk])).status_code == 404
    assert not DataValue.objects.exists()


def test_it_maps_a_free_form_sheet_on_the_page(client, people, area):
    client.force_login(people["specialist"])
    sent = SimpleUploadedFile("bieu01.xlsx", office_sheet())
    response = client.post(reverse("exchange:upload-create"), {"file": sent, "period": "2024"})
    page = client.get(response["Location"])
    assert b"Which rows and columns are which?" in page.content
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.NEEDS_MAPPING
    client.post(reverse("exchange:upload-map", args=[upload.pk]), {
        "row-6": "jobs_created", "row-7": "new_jobs", "row-8": "", "row-9": "",
        "col-4": "80", "col-5": "794", "col-6": "805", "col-7": "802"})
    upload.refresh_from_db()
    assert upload.status == Upload.Status.CHECKED
    assert upload.report["counts"]["created"] == 8 and len(upload.report["warnings"]) == 1
    client.post(reverse("exchange:upload-store", args=[upload.pk]), {"accept_warnings": "1"})
    assert DataValue.objects.count() == 8


def test_it_explains_a_bad_choice_on_the_page(client, people, lao_dong):
    client.force_login(people["officer"])
    response = client.get(reverse("exchange:template"),
                          {"data_set": "lao_dong", "unit": "805", "period": "2024Q5"})
    assert response.status_code == 422 and b"not a period code" in response.content


def test_it_says_no_file_was_chosen(client, people):
    client.force_login(people["officer"])
    response = client.post(reverse("exchange:upload-create"), {"period": "2024"})
    assert response.status_code == 422 and b"choose a file" in response.content
