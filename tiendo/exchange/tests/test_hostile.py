"""Hostile files are refused before they cost the server: a workbook that unpacks to far more
than it weighs, a sheet with too many cells or a cell too long, a file over the size limit."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tiendo.accounts.services import apitoken_create
from tiendo.errors import InvalidInput
from tiendo.exchange.models import Upload
from tiendo.exchange.services import upload_import
from tiendo.exchange.tests.conftest import save, snapshot

pytestmark = pytest.mark.django_db
SHEET = "xl/worksheets/sheet1.xml"


def bomb(unpacked: int) -> bytes:
    """A workbook whose one text cell (an inline string in the sheet's XML) unpacks to about
    `unpacked` bytes, deflated to a tiny file."""
    book = Workbook()
    book.active["A1"] = "x"
    plain = save(book)
    out = io.BytesIO()
    with (zipfile.ZipFile(io.BytesIO(plain)) as source,
          zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target):
        for name in source.namelist():
            if name != SHEET:
                target.writestr(name, source.read(name))
                continue
            before, after = source.read(name).split(b"<t>x</t>")
            with target.open(name, "w") as part:
                part.write(before + b"<t>")
                chunk = b"A" * (1024 * 1024)
                for _ in range(unpacked // len(chunk)):
                    part.write(chunk)
                part.write(b"</t>" + after)
    return out.getvalue()


def _refused(data: bytes) -> list:
    with pytest.raises(InvalidInput) as caught:
        upload_import(stream=io.BytesIO(data), filename="f.xlsx", user=None, actor="test",
                      store=True)
    return caught.value.problems


def test_it_answers_422_to_a_zip_bomb_and_stores_nothing(client, people, area):
    data = bomb(50 * 1024 * 1024)
    assert len(data) < 1024 * 1024  # a ratio of more than 50
    headers = {"HTTP_AUTHORIZATION": f"Bearer {apitoken_create(user=people['commune'])}"}
    before = snapshot()
    response = client.post("/api/v1/exchange/uploads",
                           {"file": SimpleUploadedFile("bomb.xlsx", data), "store": "true"},
                           **headers)
    assert response.status_code == 422
    assert "50 MB" in response.json()["problems"][0]["message"]  # in the user's language
    assert snapshot() == before and not Upload.objects.exists()


def test_it_refuses_a_workbook_above_the_unpacked_size_limit(settings):
    settings.TIENDO_UPLOAD_MAX_RATIO = 100_000
    settings.TIENDO_UPLOAD_MAX_UNPACKED_BYTES = 4 * 1024 * 1024
    assert "more than the 4 MB" in _refused(bomb(5 * 1024 * 1024))[0].message


def test_the_upload_page_refuses_a_zip_bomb_before_keeping_it(client, people):
    client.force_login(people["officer"])
    response = client.post(reverse("exchange:upload-create"),
                           {"file": SimpleUploadedFile("bomb.xlsx", bomb(20 * 1024 * 1024))})
    assert response.status_code == 422
    assert b"unpacks to 20 MB" in response.content
    assert not Upload.objects.exists()


def test_the_upload_page_refuses_a_file_over_the_size_limit_before_keeping_it(
        client, people, settings):
    settings.TIENDO_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(people["officer"])
    sent = SimpleUploadedFile("big.csv", b"dataelement,period,orgunit,value\n" * 40_000)
    response = client.post(reverse("exchange:upload-create"), {"file": sent})
    assert response.status_code == 422
    assert b"larger than 1 MB" in response.content
    assert not Upload.objects.exists()


def _sheet(rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("values")
    sheet.append(["dataelement", "period", "orgunit", "value", "comment"])
    for row in rows:
        sheet.append(row)
    return save(book)


def test_it_refuses_a_cell_longer_than_the_limit(area, settings):
    settings.TIENDO_UPLOAD_MAX_CELL_CHARS = 1000
    problems = _refused(_sheet([["new_jobs", "2024", "805", 5, "x" * 1001]]))
    assert "1001 characters, more than the 1000" in problems[0].message
    assert (problems[0].line, problems[0].field) == (2, "E")


def test_it_refuses_a_sheet_with_more_cells_than_the_limit(area, settings):
    settings.TIENDO_UPLOAD_MAX_CELLS = 100
    problems = _refused(_sheet([["new_jobs", "2024", "805", n, ""] for n in range(30)]))
    assert "cells or more, above the limit of 100" in problems[0].message


def test_a_failed_upload_does_not_keep_its_file(client, people, area, settings):
    settings.TIENDO_UPLOAD_MAX_CELL_CHARS = 10
    client.force_login(people["officer"])
    data = _sheet([["new_jobs", "2024", "805", 5, "a comment longer than ten"]])
    client.post(reverse("exchange:upload-create"),
                {"file": SimpleUploadedFile("v.xlsx", data)})
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.FAILED and bytes(upload.content) == b""
    assert "more than the 10" in upload.report["problems"][0]["message"]


def test_a_file_name_with_control_characters_is_kept_without_them(client, people, area):
    client.force_login(people["officer"])
    data = b"dataelement,period,orgunit,value\nnew_jobs,2024,805,5\n"
    response = client.post(reverse("exchange:upload-create"),
                           {"file": SimpleUploadedFile("so\x00 lieu\x1b.csv", data)})
    assert response.status_code == 302
    assert Upload.objects.get().filename == "so lieu.csv"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {apitoken_create(user=people['officer'])}"}
    response = client.post("/api/v1/exchange/uploads",
                           {"file": SimpleUploadedFile("so\x00 lieu.csv", data), "store": "true"},
                           **headers)
    assert response.status_code == 200


def test_a_control_character_in_a_file_is_refused_with_its_place(client, people, area):
    client.force_login(people["officer"])
    data = "dataelement,period,orgunit,value,comment\nnew_jobs,2024,805,5\x00,ghi\x00chú\n"
    client.post(reverse("exchange:upload-create"),
                {"file": SimpleUploadedFile("v.csv", data.encode())})
    upload = Upload.objects.get()  # its report is stored, on PostgreSQL too
    assert upload.status == Upload.Status.FAILED
    assert [(p["line"], p["field"]) for p in upload.report["problems"]] == [(2, "value")]
