"""In a real browser: a specialist copies a task out of a document, the commune's officer
reports progress and marks it done with evidence, the specialist confirms it, and the
dashboard and the report then show the new count."""

import datetime
import io

import pytest
from django.utils import timezone

from tiendo.plans.models import Document
from tiendo.web.tests.test_browser import _login, _shot, browser, plan  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resolution(world):
    return Document.objects.create(symbol="15/NQ-HĐND", kind="resolution",
                                   date=datetime.date(2026, 1, 10), issuer="HĐND tỉnh")


def test_a_task_from_a_document_is_done_confirmed_and_counted(
    plan, resolution, browser, live_server, world  # noqa: F811
):
    from docx import Document as Docx

    today = timezone.localdate().strftime("%d/%m/%Y")
    specialist = _login(browser, live_server, world, "specialist")
    specialist.goto(f"{live_server.url}/tasks/document/{resolution.pk}/")
    # Keyboard only: type a cell, Tab to the next.
    specialist.locator("input[name=title-0]").focus()
    specialist.keyboard.type("Rà soát lao động thất nghiệp")
    specialist.keyboard.press("Tab")
    specialist.keyboard.type("25459")
    specialist.keyboard.press("Tab")
    specialist.keyboard.press("Tab")
    specialist.keyboard.type("31/12/2026")
    with specialist.expect_navigation():
        specialist.keyboard.press("Enter")
    assert "Rà soát lao động thất nghiệp" in specialist.locator("table").first.inner_text()
    _shot(specialist, "tasks-document")

    officer = _login(browser, live_server, world, "officer")
    officer.goto(f"{live_server.url}/tasks/?period=2026")
    with officer.expect_navigation():
        officer.get_by_role("link", name="Rà soát lao động thất nghiệp").click()
    officer.locator("#progress-form input[name=progress_pct]").fill("60")
    with officer.expect_navigation():
        officer.locator("#progress-form button").click()
    assert "60%" in officer.locator("#task-progress").inner_text()
    with officer.expect_navigation():  # a resolution's task needs evidence
        officer.locator("#done-form input[name=done_on]").fill(today)
        officer.locator("#done-form button").click()
    assert officer.locator(".problems").count() == 1
    officer.locator("#done-form input[name=done_on]").fill(today)
    officer.locator("#done-form input[name=evidence_document]").fill("45/BC-UBND")
    with officer.expect_navigation():
        officer.locator("#done-form button").click()
    assert officer.locator("#decide-form").count() == 0  # not for one's own task
    task_url = officer.url
    _shot(officer, "task-done")

    specialist.goto(task_url)
    with specialist.expect_navigation():
        specialist.locator("#decide-form button[value=confirm]").click()
    assert specialist.locator("#task-state").inner_text().strip() != ""
    assert specialist.locator("#decide-form").count() == 0

    specialist.goto(f"{live_server.url}/?unit={world.province.pk}&period=2026")
    assert "Hoàn thành 1/1 nhiệm vụ (đúng hạn 1, quá hạn 0)" in specialist.content()
    _shot(specialist, "dashboard-tasks")

    specialist.goto(f"{live_server.url}/reports/")
    specialist.select_option("select[name=unit]", str(world.province.pk))
    specialist.select_option("select[name=period]", "2026")
    specialist.select_option("select[name=format]", "docx")
    with specialist.expect_navigation():
        specialist.locator("form.filters button[type=submit]:not([name=action])").click()
    with specialist.expect_download() as download:
        specialist.locator("#report a.button").first.click()
    text = "\n".join(p.text for p in Docx(io.BytesIO(
        open(download.value.path(), "rb").read())).paragraphs)
    assert "Hoàn thành 1/1 nhiệm vụ (đúng hạn 1, quá hạn 0)" in text
