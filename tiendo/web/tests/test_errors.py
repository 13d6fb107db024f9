"""Error pages speak the user's language, and a database too busy to write says so."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from tiendo.web.middleware import database_busy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("quantri", password="x")


def test_a_missing_page_is_explained_in_vietnamese_by_default(admin):
    client = Client()  # no /en/ prefix: Vietnamese
    client.force_login(admin)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_missing_page_is_explained_in_english_under_en(client, admin):
    client.force_login(admin)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and b"Page not found" in response.content


def test_a_write_that_waited_in_vain_for_the_database_gets_a_busy_page(
    client, admin, monkeypatch
):
    def locked(**_kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("tiendo.exchange.views.upload_receive", locked)
    client.force_login(admin)
    response = client.post(reverse("exchange:upload-create"),
                           {"file": SimpleUploadedFile("a.csv", b"x")})
    assert response.status_code == 503 and response["Retry-After"] == "120"
    assert b"Nothing you sent was saved" in response.content


def test_the_api_gets_the_busy_answer_as_json():
    middleware = database_busy(lambda request: None)
    with translation.override("vi"):
        response = middleware.process_exception(
            RequestFactory().post("/api/v1/data/values"), OperationalError("database is locked"))
    assert response.status_code == 503
    assert "chưa có gì được ghi" in json.loads(response.content)["detail"]
    other = middleware.process_exception(RequestFactory().get("/"), OperationalError("other"))
    assert other is None  # any other database error stays a server error


@pytest.mark.django_db
def test_pages_forbid_scripts_from_anywhere_but_our_own_files(client):
    """The header is sent, and no template holds an inline script or handler it would block."""
    from pathlib import Path

    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    root = Path(__file__).resolve().parents[2]
    inline = [str(path.relative_to(root)) for path in root.glob("**/templates/**/*.html")
              if "<script>" in path.read_text() or " onchange=" in path.read_text()
              or " onclick=" in path.read_text()]
    assert inline == []
