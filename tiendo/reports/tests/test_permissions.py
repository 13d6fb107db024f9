"""Who may read and who may write, on every page and endpoint of the reports app: admin,
the province's specialist and viewer, an officer of a district in it, an officer of a
district in a sibling province, anonymous."""


import pytest

from tiendo.reports.services import report_generate

pytestmark = pytest.mark.django_db

PEOPLE = ["admin", "specialist", "officer", "viewer", "sibling", None]


@pytest.fixture
def archived(province, target):
    return report_generate(unit=province["province"], period="2024", file_format="xlsx",
                           actor="test")


def _client(client, people, who):
    if who:
        client.force_login(people[who])
    return client


@pytest.mark.parametrize(("who", "code"), [
    ("admin", 200), ("specialist", 200), ("officer", 200), ("viewer", 200), ("sibling", 200),
    (None, 302),
])
def test_the_reports_page_needs_a_login(client, people, who, code):
    assert _client(client, people, who).get("/en/reports/").status_code == code


@pytest.mark.parametrize(("who", "code"), [
    ("admin", 302), ("specialist", 302), ("viewer", 302), ("officer", 404), ("sibling", 404),
    (None, 302),
])
def test_a_province_report_is_generated_by_who_reads_the_province(
    client, people, province, target, who, code
):
    answer = _client(client, people, who).post(
        "/en/reports/", {"unit": province["province"].pk, "period": "2024", "format": "xlsx"})
    assert answer.status_code == code
    if who and code == 302:
        assert "/reports/" in answer["Location"] and "login" not in answer["Location"]
    if who is None:
        assert "login" in answer["Location"]


@pytest.mark.parametrize(("who", "code"), [
    ("admin", 200), ("specialist", 200), ("viewer", 200), ("officer", 404), ("sibling", 404),
    (None, 302),
])
def test_an_archived_report_is_downloaded_by_who_reads_its_unit(
    client, people, archived, who, code
):
    answer = _client(client, people, who).get(f"/en/reports/{archived.pk}/download/")
    assert answer.status_code == code


@pytest.mark.parametrize(("who", "code"), [
    ("admin", 200), ("specialist", 200), ("viewer", 200), ("officer", 404), ("sibling", 404),
    (None, 401),
])
def test_the_api_generates_a_report_for_who_reads_the_unit(
    client, people, province, target, who, code
):
    answer = _client(client, people, who).post(
        "/api/v1/periodic-reports/", {"unit_id": province["province"].pk, "period": "2024",
                             "format": "xlsx"}, content_type="application/json")
    assert answer.status_code == code


@pytest.mark.parametrize(("who", "rows"), [
    ("admin", 3), ("specialist", 3), ("viewer", 3), ("officer", 1), ("sibling", None),
    (None, None),
])
def test_the_schedule_lists_only_the_units_a_user_reads(client, people, province, who, rows):
    answer = _client(client, people, who).get(
        f"/api/v1/periodic-reports/schedules/{province['schedule'].pk}/status",
        {"period": "202409"})
    if rows is None:
        assert answer.status_code == (404 if who else 401)
    else:
        assert len(answer.json()["units"]) == rows


@pytest.mark.parametrize(("who", "code"), [
    ("admin", 200), ("specialist", 200), ("viewer", 200), ("officer", 200), ("sibling", 404),
    (None, 302),
])
def test_the_schedule_page_is_shown_to_the_units_in_it(client, people, province, who, code):
    answer = _client(client, people, who).get(f"/en/reports/schedules/{province['schedule'].pk}/")
    assert answer.status_code == code


@pytest.mark.parametrize(("who", "code"), [
    ("admin", 200), ("specialist", 200), ("viewer", 403), ("officer", 403), ("sibling", 404),
    (None, 401),
])
def test_reminders_are_sent_by_who_approves_at_the_province(client, people, province, who,
                                                           code):
    answer = _client(client, people, who).post(
        f"/api/v1/periodic-reports/schedules/{province['schedule'].pk}/remind?period=202409")
    assert answer.status_code == code


@pytest.mark.parametrize(("who", "code"), [
    ("admin", 302), ("specialist", 302), ("viewer", 403), ("officer", 403), ("sibling", 404),
    (None, 302),
])
def test_the_reminder_button_works_for_who_approves_at_the_province(
    client, people, province, who, code
):
    answer = _client(client, people, who).post(
        f"/en/reports/schedules/{province['schedule'].pk}/remind/", {"period": "202409"})
    assert answer.status_code == code
    if code == 302 and who:
        assert "period=202409" in answer["Location"]
