"""In a real browser: a commune officer enters and submits, a provincial specialist approves,
and the dashboard then shows the new number and status. Debian's Chromium, driven by
Playwright; screenshots of the main pages are kept in artifacts/screenshots/.
"""

import os
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.models import Indicator
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target, TargetSet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: tools/test installs Debian's chromium package")
    pytest.skip("Debian's chromium is not installed (tools/test installs it)",
                allow_module_level=True)


@pytest.fixture
def browser(monkeypatch, world):
    """Chromium, started after the test data: Playwright runs its loop in a greenlet, and a
    database connection opened from there is one Django never closes (PostgreSQL then
    refuses to drop the test database)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the tests' own ORM calls are
    # still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def plan(world):
    # Requested before `browser` by the tests, for the reason given there.
    target_set = TargetSet.objects.create(name="UBND tỉnh giao 2026", period="2026",
                                          scope=world.province)
    Target.objects.create(target_set=target_set, org_unit=world.province, period="2026",
                          indicator=Indicator.objects.get(code="jobs_created"),
                          comparison="at_least", value=D(100))
    datavalues_save(values=[ValueInput(element=world.elements["jobs_created"],
                                       org_unit=world.sibling, period=parse_period("202609"),
                                       value=D(80))], actor="test")
    return target_set


def _login(browser, live_server, world, role, width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.users[role].username)
    page.fill("input[name=password]", world.PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    return page


def _shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_officer_enters_and_submits_a_specialist_approves_the_dashboard_follows(
    plan, browser, live_server, world
):
    officer = _login(browser, live_server, world, "officer")
    _shot(officer, "dashboard-officer")
    entry = (f"{live_server.url}/entry/?unit={world.commune.pk}&set=monthly&period=202610")
    officer.goto(entry)
    field = officer.locator(f"#value-{world.elements['jobs_created'].pk}-total")
    # Keyboard only: the first box has the focus; Enter goes to the next box.
    assert officer.evaluate("document.activeElement.id") == field.get_attribute("id")
    officer.keyboard.type("1.234")
    officer.keyboard.press("Enter")
    assert officer.evaluate("document.activeElement.id") != field.get_attribute("id")
    with officer.expect_navigation():
        officer.get_by_role("button", name="Lưu nháp").click()
    assert "Đã lưu nháp" in officer.content()
    field = officer.locator(f"#value-{world.elements['jobs_created'].pk}-total")
    assert field.input_value() == "1.234"
    field.fill("25")
    with officer.expect_navigation():
        officer.get_by_role("button", name="Lưu và gửi báo cáo").click()
    assert "Đã lưu và gửi báo cáo chờ duyệt" in officer.content()
    _shot(officer, "entry-submitted")

    specialist = _login(browser, live_server, world, "specialist")
    specialist.goto(f"{live_server.url}/approval/")
    _shot(specialist, "approval-queue")
    row = specialist.locator("tr", has_text="Phường Tân Ninh")
    with specialist.expect_navigation():
        row.get_by_role("link", name="Báo cáo tháng").click()
    specialist.once("dialog", lambda dialog: dialog.accept())  # "Duyệt báo cáo này?"
    with specialist.expect_navigation():
        specialist.get_by_role("button", name="Duyệt", exact=True).click()
    assert "Đã duyệt" in specialist.content()

    specialist.goto(f"{live_server.url}/?unit={world.province.pk}&period=202610")
    text = specialist.content()
    assert "1/1 chỉ tiêu đạt và vượt kế hoạch (100,00%)" in text
    assert "105,00%" in text  # 80 + 25 against 100
    _shot(specialist, "dashboard-specialist")


def test_the_pages_fit_a_375_pixel_phone(plan, browser, live_server, world):
    page = _login(browser, live_server, world, "officer", width=375)
    for name, path in (("dashboard", "/"), ("entry", "/entry/"), ("approval", "/approval/")):
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        _shot(page, f"{name}-375px")
        assert overflow <= 375, (path, overflow)


def test_a_wrong_password_is_refused_and_throttled(browser, live_server, world):
    page = browser.new_page()
    for _attempt in range(6):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "officer")
        page.fill("input[name=password]", "wrong")
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
    assert "Đăng nhập sai quá nhiều lần" in page.content()


def test_a_specialist_changes_targets_through_the_excel_template(
    plan, settings, browser, live_server, world, tmp_path
):
    from openpyxl import load_workbook

    settings.TIENDO_EXCHANGE_INLINE = True  # the check runs in the request, on this database
    page = _login(browser, live_server, world, "specialist")
    page.goto(f"{live_server.url}/targets/{plan.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải biểu mẫu Excel").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "chi-tieu_UBND_tỉnh_giao_2026.xlsx"
    book = load_workbook(template)
    book.worksheets[0]["H7"] = 150  # the province's target: 100 → 150
    book.save(template)
    page.get_by_text("Tải lên biểu mẫu Excel đã nhập").click()
    page.set_input_files("#targets-file", str(template))
    with page.expect_navigation():
        page.locator("#upload").get_by_role("button", name="Tải lên và kiểm tra").click()
    assert "Biểu mẫu chỉ tiêu của bộ" in page.content()
    assert "1" in page.locator(".card", has_text="chỉ tiêu thay đổi").inner_text()
    _shot(page, "targets-template-checked")
    # No ORM from here on: a query from inside Playwright's greenlet opens a connection
    # that is never closed. The set's page tells what is stored.
    other = _login(browser, live_server, world, "specialist")
    other.goto(f"{live_server.url}/targets/{plan.pk}/")
    assert other.locator("tbody tr td.n").first.inner_text() == "100"  # not stored yet
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu các chỉ tiêu này").click()
    assert "Đã ghi" in page.content()
    page.goto(f"{live_server.url}/targets/{plan.pk}/")
    assert page.locator("tbody tr td.n").first.inner_text() == "150"


def test_the_pages_scripts_run_under_their_content_security_policy(browser, live_server,
                                                                    world):
    """The running parts check and the language switch work from our own script files, and
    the browser reports no violation of the policy."""
    page = _login(browser, live_server, world, "officer")
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/entry/?unit={world.commune.pk}&set=monthly&period=202610")
    element = world.elements["overseas_workers"].pk
    page.locator(f"#value-{element}-total").fill("10")
    page.locator(f"input[data-element='{element}']:not([data-part='total'])").first.fill("3")
    note = page.locator(f".parts-check[data-element='{element}']")
    assert "10" in note.inner_text() and "3" in note.inner_text()
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []
