"""In a real browser: a commune officer imports a review, opens the commune's page and its
household list, and sees each household's explanation."""

import os
import shutil
from pathlib import Path

import pytest

from tiendo.poverty.tests.helpers import household_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: tools/test installs Debian's chromium package")
    pytest.skip("Debian's chromium is not installed (tools/test installs it)",
                allow_module_level=True)


@pytest.fixture
def browser(monkeypatch, world):
    """Chromium, started after the test data (see tiendo/web/tests/test_browser.py)."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


def test_an_officer_imports_a_review_and_reads_the_explanation(browser, live_server, world,
                                                               tmp_path):
    source = tmp_path / "ra-soat-2024.csv"
    source.write_bytes(household_file([
        {"household_id": "TN-0001", "commune": "25459", "income_per_capita": 1_400_000,
         "deprived": ["health_insurance", "water", "sanitation"]},
        {"household_id": "TN-0002", "commune": "25459", "income_per_capita": 2_100_000},
    ]))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", world.users["officer"].username)
    page.fill("input[name=password]", world.PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/")
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
