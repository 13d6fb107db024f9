"""In a real browser: a commune officer imports a review, opens the commune's page and its
household list, and sees each household's explanation."""

import pytest

from tiendo.poverty.tests.helpers import household_file
from tiendo.web.tests.test_browser import _login, _shot, browser  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_imports_a_review_and_reads_the_explanation(
        browser, live_server, world, tmp_path):  # noqa: F811
    source = tmp_path / "ra-soat-2024.csv"
    source.write_bytes(household_file([
        {"household_id": "TN-0001", "commune": "25459", "income_per_capita": 1_400_000,
         "deprived": ["health_insurance", "water", "sanitation"]},
        {"household_id": "TN-0002", "commune": "25459", "income_per_capita": 2_100_000},
    ]))
    page = _login(browser, live_server, world, "officer")
    page.goto(f"{live_server.url}/poverty/")
    page.set_input_files("input[name=file]", str(source))
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(".messages")
    assert "2024" in page.inner_text(".messages")
    page.click(f"a[href='/poverty/{world.commune.pk}/2024/']")
    assert "Phường Tân Ninh" in page.inner_text("h1")
    page.click(f"a[href='/poverty/{world.commune.pk}/2024/households/']")
    text = page.inner_text("main")
    assert "TN-0001" in text
    assert "Thu nhập 1.400.000 đ ≤ chuẩn nông thôn 1.500.000 đ; thiếu hụt 3 chỉ số" in text
    assert "mức sống trung bình" in text  # TN-0002 in the middle band


@pytest.fixture
def partial_review(world):
    """A third commune with no review, and a 2024 review of the other two. Made before
    Chromium starts: once Playwright runs, the test's own database work would go through
    another connection (asgiref's context), left open at the end."""
    from tiendo.audit.services import Actor
    from tiendo.org.services import orgunit_create
    from tiendo.poverty.services import review_import

    orgunit_create(code="25481", name="Xã Chưa Rà", kind="commune", parent=world.province)
    review_import(data=household_file([
        {"household_id": "TN-0001", "commune": "25459", "income_per_capita": 1_400_000,
         "deprived": ["health_insurance", "water", "sanitation"]},
        {"household_id": "BM-0001", "commune": "25480", "income_per_capita": 1_600_000}]),
        name="r.csv", actor=Actor.system("test"))


def test_a_specialist_sets_the_provinces_standard_and_sees_a_partial_review(
        partial_review, browser, live_server, world):  # noqa: F811
    page = _login(browser, live_server, world, "specialist")
    page.goto(f"{live_server.url}/poverty/{world.province.pk}/2024/")
    assert "2/3 xã đã rà soát năm 2024" in page.inner_text("#completeness")
    _shot(page, "poverty-review-partial")
    page.click(f"a[href='/poverty/standards/{world.province.pk}/']")
    page.click(f"a[href='/poverty/standards/{world.province.pk}/new/']")
    page.fill("#code", "TN-2025")
    page.fill("#name", "Chuẩn nghèo tỉnh Tây Ninh năm 2025")
    page.fill("#first_year", "2025")
    page.fill("#last_year", "2025")
    page.fill("#rural_line", "1.400.000")
    page.fill("#urban_line", "2.100.000")
    page.click("form.stack button[type=submit]")
    assert "không được thấp hơn chuẩn quốc gia 1.500.000 đ" in page.inner_text(
        "#rural_line-errors")
    assert page.get_attribute("#rural_line", "aria-invalid") == "true"
    _shot(page, "poverty-standard-refused")
    page.fill("#rural_line", "1.600.000")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector(".messages")
    assert "TN-2025" in page.inner_text("main") and "1.600.000 đ" in page.inner_text("main")
    _shot(page, "poverty-standards")
