"""The daily work in a real browser (issue #13): an administrator puts a commune officer on
the system, who chooses a password from the e-mail and enters data. Screenshots at 1366 and
375 px go to artifacts/screenshots/; no page is wider than its window."""

import re

import pytest
from django.core import mail

from tiendo.web.tests.test_browser import (  # noqa: F401 (fixtures)
    SHOTS,
    _login,
    browser,
    plan,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots(page, name):
    """The page at 1366 and at 375 px, asserting that neither overflows its window."""
    for width in (1366, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}px.png"), full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, (name, width, wide)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_an_administrator_adds_an_officer_who_sets_a_password_and_enters_data(
    browser, live_server, world  # noqa: F811
):
    admin = _login(browser, live_server, world, "admin", width=1366)
    admin.goto(f"{live_server.url}/accounts/users/")
    admin.fill("#p-name", "Nguyễn Thị Lan")
    admin.fill("#p-email", "lan@tanninh.gov.vn")
    admin.select_option("#p-unit", "25459")
    admin.select_option("#p-role", "officer")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Thêm", exact=True).click()
    assert "Nguyễn Thị Lan" in admin.content()
    assert "chưa chọn mật khẩu" in admin.content()
    _shots(admin, "users")
    admin.get_by_role("row", name=re.compile("Nguyễn Thị Lan")).get_by_role("link").click()
    admin.wait_for_load_state()
    _shots(admin, "user")

    link = re.search(r"https?://\S+/accounts/password/\S+", mail.outbox[-1].body).group(0)
    officer = browser.new_page(viewport={"width": 375, "height": 800})
    officer.goto(link)
    officer.fill("#id_new_password1", "mùa-lúa-chín-2026")
    officer.fill("#id_new_password2", "mùa-lúa-chín-2026")
    _shots(officer, "password-set")
    with officer.expect_navigation():
        officer.press("#id_new_password2", "Enter")
    assert "Mật khẩu đã được đặt" in officer.content()
    officer.goto(f"{live_server.url}/accounts/login/")
    officer.fill("input[name=username]", "lan@tanninh.gov.vn")
    officer.fill("input[name=password]", "mùa-lúa-chín-2026")
    with officer.expect_navigation():
        officer.press("input[name=password]", "Enter")
    officer.goto(f"{live_server.url}/entry/?unit={world.commune.pk}&set=monthly&period=202610")
    field = officer.locator(f"#value-{world.elements['jobs_created'].pk}-total")
    field.fill("12")
    with officer.expect_navigation():
        field.press("Enter")
    assert "Đã lưu nháp" in officer.content()
