"""Run for a province: production settings that refuse to start unsafely, `check --deploy`
clean, a health endpoint, and `tiendo serve` refusing a demo database."""

import os
import subprocess
import sys

import pytest

from tiendo.accounts.services import user_with_membership
from tiendo.cli import main

KEY = "k" * 30 + "-production-key-for-tests-0123456789"


def _manage(tmp_path, env: dict, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                   "TIENDO_DATA_DIR": str(tmp_path), **env}
    if "TIENDO_SECRET_KEY" not in env:
        environment.pop("TIENDO_SECRET_KEY", None)
    return subprocess.run([sys.executable, "-m", "django", *args,
                           "--settings=tiendo.settings"], env=environment,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_its_own_secret_key(tmp_path):
    done = _manage(tmp_path, {"TIENDO_ENV": "production"}, "check")
    assert done.returncode != 0 and "TIENDO_SECRET_KEY must be set" in done.stderr


def test_production_passes_djangos_deployment_check(tmp_path):
    done = _manage(tmp_path, {"TIENDO_ENV": "production", "TIENDO_SECRET_KEY": KEY,
                              "TIENDO_ALLOWED_HOSTS": "tiendo.example.gov.vn"},
                   "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_development_still_warns_in_the_deployment_check(tmp_path):
    """The check would catch a production server started in development mode."""
    done = _manage(tmp_path, {"TIENDO_ENV": "development"},
                   "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0 and "security.W" in done.stdout + done.stderr


@pytest.mark.django_db
def test_the_health_endpoint_says_the_database_answers(client):
    answer = client.get("/api/v1/health")
    assert answer.status_code == 200 and answer.json() == {"status": "ok", "problems": []}


@pytest.mark.django_db
def test_serve_refuses_a_demo_database_in_production(settings, capsys, monkeypatch):
    settings.PRODUCTION = True
    user_with_membership(username="demo-admin", password="tiendo-demo", role="admin",
                         org_unit=None, actor="test")
    monkeypatch.setattr(os, "execv", lambda *args: pytest.fail("must not start"))
    assert main(["--lang", "en", "serve"]) == 2
    assert "demo users exist" in capsys.readouterr().err


@pytest.mark.django_db
def test_serve_collects_the_static_files_and_becomes_gunicorn(settings, tmp_path,
                                                               monkeypatch):
    settings.STATIC_ROOT = tmp_path / "static"
    started = []
    monkeypatch.setattr(os, "execv", lambda path, command: started.append(command))
    assert main(["--lang", "en", "serve", "--bind", "0.0.0.0:8080", "--workers", "3"]) == 0
    assert started[0][1:6] == ["-m", "gunicorn", "tiendo.wsgi:application", "--bind",
                               "0.0.0.0:8080"]
    assert started[0][6:8] == ["--workers", "3"]
    assert (tmp_path / "static" / "web" / "tiendo.css").exists()


@pytest.mark.django_db
def test_serve_with_worker_starts_the_job_worker_before_gunicorn(settings, tmp_path,
                                                                  monkeypatch):
    settings.STATIC_ROOT = tmp_path / "static"
    events = []
    monkeypatch.setattr(subprocess, "Popen", lambda command: events.append(("child", command)))
    monkeypatch.setattr(os, "execv", lambda path, command: events.append(("exec", command)))
    assert main(["--lang", "en", "serve", "--with-worker"]) == 0
    assert events[0] == ("child", [sys.executable, "-m", "tiendo.cli", "worker"])
    assert events[1][0] == "exec" and events[1][1][1:3] == ["-m", "gunicorn"]


@pytest.mark.django_db
def test_the_log_in_page_lists_the_demo_users_only_outside_production(client, settings):
    user_with_membership(username="demo-admin", password="tiendo-demo", role="admin",
                         org_unit=None, actor="test")
    assert "demo-admin" in client.get("/accounts/login/").content.decode()
    settings.PRODUCTION = True
    assert "demo-admin" not in client.get("/accounts/login/").content.decode()


def test_a_worker_freezes_what_start_up_loaded():
    """gunicorn's workers import tiendo.wsgi: after it, a full collection during a request
    no longer walks Django's and the apps' objects (see the comment there)."""
    code = "import gc, tiendo.wsgi; print(gc.get_freeze_count())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "tiendo.settings"},
                         check=True).stdout
    assert int(out) > 10_000
