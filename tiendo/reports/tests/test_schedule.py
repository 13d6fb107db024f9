"""Who reported on time, late or not at all, around the cut-off and the deadline."""

import datetime

import pytest
from django.core import mail

from tiendo.lib.periods import parse_period
from tiendo.lib.schedule import SubmissionState
from tiendo.reports.models import Reminder
from tiendo.reports.selectors import schedule_period, schedule_status
from tiendo.reports.services import reminders_send
from tiendo.reports.tests.fixtures import at, frozen, submit

pytestmark = pytest.mark.django_db

# September 2024: data 15/08 → 14/09 (a Saturday); deadline Tuesday 17/09.


def _states(province, now):
    status = schedule_status(schedule=province["schedule"], period=parse_period("202409"),
                             now=now)
    return {row.unit.code: row.state for row in status.units}


def test_it_tells_on_time_late_and_missing_after_the_deadline(province):
    ben_luc, duc_hoa, _can_giuoc = province["districts"]
    submit(province, ben_luc, at(2024, 9, 17, 16))
    submit(province, duc_hoa, at(2024, 9, 18, 8))
    assert _states(province, at(2024, 9, 20)) == {
        "794": SubmissionState.ON_TIME, "795": SubmissionState.LATE,
        "796": SubmissionState.MISSING,
    }


def test_nobody_is_missing_before_the_deadline_is_over(province):
    submit(province, province["districts"][0], at(2024, 9, 16))
    assert _states(province, at(2024, 9, 17, 23)) == {
        "794": SubmissionState.ON_TIME, "795": SubmissionState.NOT_DUE,
        "796": SubmissionState.NOT_DUE,
    }


def test_the_default_period_is_the_latest_whose_data_is_cut_off(province):
    schedule = province["schedule"]
    assert schedule_period(schedule, None, at(2024, 9, 14)).code == "202408"
    assert schedule_period(schedule, None, at(2024, 9, 15)).code == "202409"


def test_it_reminds_the_missing_units_once(province, people):
    ben_luc, duc_hoa, can_giuoc = province["districts"]
    submit(province, ben_luc, at(2024, 9, 16))
    from tiendo.accounts.services import user_with_membership

    user_with_membership(username="duc_hoa", password="x", role="officer", org_unit=duc_hoa,
                         actor="test", email="duchoa@example.vn")
    user_with_membership(username="can_giuoc", password="x", role="officer",
                         org_unit=can_giuoc, actor="test", email="cangiuoc@example.vn")
    with frozen(at(2024, 9, 18)):
        sent = reminders_send(period_code="202409", actor="test")
        again = reminders_send(period_code="202409", actor="test")
    assert sorted(r.org_unit.code for r in sent) == ["795", "796"]
    assert again == []
    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["cangiuoc@example.vn", "duchoa@example.vn"]
    assert "17/09/2024" in mail.outbox[0].body
    assert Reminder.objects.count() == 2


def test_it_sends_no_reminder_before_the_deadline(province, people):
    with frozen(at(2024, 9, 17, 12)):
        assert reminders_send(period_code="202409", actor="test") == []
    assert mail.outbox == []


def test_the_page_shows_late_and_missing_with_frozen_time(province, people, client):
    ben_luc, duc_hoa, _can_giuoc = province["districts"]
    submit(province, ben_luc, at(2024, 9, 17, 10))
    submit(province, duc_hoa, at(2024, 9, 19, 10))
    client.force_login(people["specialist"])
    url = f"/en/reports/schedules/{province['schedule'].pk}/?period=202409"
    with frozen(at(2024, 9, 20)):
        page = client.get(url).content.decode()
    assert "17/09/2024" in page
    rows = {line.split("</td>")[0]: line for line in page.split("<tr><td>")[1:]}
    assert "on time" in rows["Huyện Bến Lức"]
    assert "late" in rows["Huyện Đức Hòa"]
    assert "missing" in rows["Huyện Cần Giuộc"]


def test_the_api_gives_the_same_states_with_frozen_time(province, people, client):
    submit(province, province["districts"][0], at(2024, 9, 18, 10))
    client.force_login(people["admin"])
    with frozen(at(2024, 9, 16)):
        before = client.get(f"/api/v1/periodic-reports/schedules/{province['schedule'].pk}/status",
                            {"period": "202409"}).json()
    with frozen(at(2024, 9, 18, 12)):
        after = client.get(f"/api/v1/periodic-reports/schedules/{province['schedule'].pk}/status",
                           {"period": "202409"}).json()
    assert before["deadline"] == "2024-09-17"
    assert [u["state"] for u in before["units"]] == ["not_due", "not_due", "not_due"]
    assert [u["state"] for u in after["units"]] == ["late", "missing", "missing"]


def test_it_refuses_a_period_of_another_type(province, people, client):
    client.force_login(people["admin"])
    answer = client.get(f"/api/v1/periodic-reports/schedules/{province['schedule'].pk}/status",
                        {"period": "2024Q3"})
    assert answer.status_code == 422


def test_a_holiday_moves_the_deadline_and_who_is_late(province):
    from tiendo.reports.models import Holiday

    Holiday.objects.create(day=datetime.date(2024, 9, 16), name="nghỉ bù (ví dụ)")
    submit(province, province["districts"][0], at(2024, 9, 18, 10))
    status = schedule_status(schedule=province["schedule"], period=parse_period("202409"),
                             now=at(2024, 9, 20))
    assert status.window.deadline == datetime.date(2024, 9, 18)
    assert status.units[0].state == SubmissionState.ON_TIME
