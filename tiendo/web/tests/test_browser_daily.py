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
        officer.get_by_role("button", name="Lưu nháp").click()
    assert "Đã lưu nháp" in officer.content()


def test_an_officer_at_375_px_sees_three_mistakes_at_once_keeps_a_draft_fixes_and_submits(
    browser, live_server, world  # noqa: F811
):
    officer = _login(browser, live_server, world, "officer", width=375)
    officer.goto(f"{live_server.url}/entry/?unit={world.commune.pk}&set=monthly&period=202610")
    jobs = f"#value-{world.elements['jobs_created'].pk}-total"
    rate = f"#value-{world.elements['urban_unemployment_rate'].pk}-total"
    overseas = world.elements["overseas_workers"].pk
    total = f"#value-{overseas}-total"
    part = f"input[data-element='{overseas}']:not([data-part='total'])"
    # The first box has the focus; the three mistakes typed by keyboard.
    assert officer.evaluate("document.activeElement.id") == jobs[1:]
    officer.keyboard.type("1a")
    officer.fill(total, "10")
    officer.locator(part).first.fill("4")
    officer.fill(rate, "150")
    officer.locator(rate).press("Tab")
    with officer.expect_navigation():
        officer.get_by_role("button", name="Lưu và gửi báo cáo").click()
    text = officer.content()
    assert "Chưa gửi: 3 lỗi cần sửa" in text
    assert officer.locator("[aria-invalid=true]").count() == 3
    for problem in ("không phải là số", "tỷ lệ phải nằm trong khoảng 0 đến 100",
                    "tổng các phân tổ là 4 nhưng tổng số là 10"):
        assert problem in text, problem
    _shots(officer, "entry-three-mistakes")
    with officer.expect_navigation():
        officer.get_by_role("button", name="Lưu nháp").click()
    assert "Đã lưu nháp" in officer.content()
    assert officer.locator(jobs).input_value() == "1a"  # kept as typed
    assert officer.locator(rate).input_value() == "150"
    officer.fill(jobs, "15")
    officer.fill(rate, "4,5")
    officer.locator(part).first.fill("10")
    with officer.expect_navigation():
        officer.get_by_role("button", name="Lưu và gửi báo cáo").click()
    assert "Đã lưu và gửi báo cáo chờ duyệt" in officer.content()
    assert officer.locator(jobs).get_attribute("readonly") is not None
    _shots(officer, "entry-submitted")


@pytest.fixture
def five_reports(world):
    """Five communes of the province with October submitted (made before the browser)."""
    from decimal import Decimal as D

    from tiendo.data.services import ValueInput, datavalues_save
    from tiendo.data.submissions import submission_submit
    from tiendo.lib.periods import parse_period
    from tiendo.org.services import orgunit_create

    units = [world.commune, world.sibling] + [
        orgunit_create(code=f"2550{n}", name=f"Xã Thử {n}", kind="commune",
                       parent=world.province) for n in range(3)]
    for number, unit in enumerate(units):
        for code, value in (("202609", 20 + number), ("202610", 21 + number)):
            datavalues_save(values=[ValueInput(element=world.elements["jobs_created"],
                                               org_unit=unit, period=parse_period(code),
                                               value=D(value))], actor="officer")
        submission_submit(data_set=world.data_set, org_unit=unit,
                          period=parse_period("202610"), actor="officer")
    return units


def test_a_specialist_reviews_one_report_read_only_then_approves_five_at_once(
    five_reports, browser, live_server, world  # noqa: F811
):
    specialist = _login(browser, live_server, world, "specialist", width=1366)
    specialist.goto(f"{live_server.url}/approval/")
    assert specialist.locator("input[name=id]").count() == 5
    assert "kỳ trước 20" in specialist.content()
    _shots(specialist, "approval-list")
    with specialist.expect_navigation():
        specialist.locator("tr", has_text="Phường Tân Ninh").get_by_role(
            "link", name="Báo cáo tháng").click()
    assert specialist.locator("main table input").count() == 0  # read-only
    assert specialist.get_by_role("button", name="Duyệt", exact=True).is_visible()
    _shots(specialist, "approval-review")
    specialist.goto(f"{live_server.url}/approval/")
    specialist.check("#select-all")
    asked = []
    specialist.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with specialist.expect_navigation():
        specialist.get_by_role("button", name="Duyệt các báo cáo đã chọn").click()
    assert asked and "Duyệt các báo cáo đã chọn?" in asked[0]
    assert "Đã duyệt 5 báo cáo." in specialist.content()
    assert specialist.locator("input[name=id]").count() == 0


def test_a_target_typed_54_000_is_stored_as_fifty_four_thousand(
    plan, browser, live_server, world  # noqa: F811
):
    page = _login(browser, live_server, world, "specialist", width=1366)
    page.goto(f"{live_server.url}/targets/{plan.pk}/add/")
    jobs = page.locator("select[name=indicator] option", has_text="(jobs_created)")
    page.select_option("select[name=indicator]", jobs.get_attribute("value"))
    page.fill("input[name=org_unit]", "25459")
    page.select_option("select[name=period]", "2026")
    page.fill("input[name=value]", "54.000")
    _shots(page, "target-add")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu", exact=True).click()
    row = page.locator("tr", has_text="Phường Tân Ninh")
    assert "54.000" in row.inner_text()
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert "54,000" in page.locator("tr", has_text="Phường Tân Ninh").inner_text()
    _shots(page, "targetset")
