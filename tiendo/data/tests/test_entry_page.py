import pytest
from django.test import Client

from tiendo.audit.models import AuditRecord
from tiendo.data.models import DataValue, Submission
from tiendo.testing import EnglishClient

pytestmark = pytest.mark.django_db
PERIOD = "202610"


def _url(world, unit=None):
    unit = unit or world.commune
    return f"/entry/?unit={unit.pk}&set=monthly&period={PERIOD}"


def _key(world, code, part="total"):
    return f"{world.elements[code].pk}-{part}"


def _post(client, world, values, action="save", versions=None, unit=None):
    data = {"action": action}
    for (code, part), text in values.items():
        key = _key(world, code, part)
        data[f"value-{key}"] = text
        data[f"version-{key}"] = str((versions or {}).get((code, part), 0))
    return client.post(_url(world, unit), data)


def _stored(world, code, part=""):
    return DataValue.objects.filter(data_element=world.elements[code], part=part,
                                    org_unit=world.commune, period=PERIOD).first()


def test_an_officer_saves_a_draft_typed_the_vietnamese_way(world):
    client = Client()  # the Vietnamese pages
    client.force_login(world.users["officer"])
    response = _post(client, world, {("jobs_created", "total"): "1.250"})
    assert response.status_code == 302
    value = _stored(world, "jobs_created")
    assert value.value == 1250 and value.status == DataValue.Status.DRAFT
    assert value.updated_by == world.users["officer"]


def test_save_and_submit_sends_the_report_for_approval(client, world):
    client.force_login(world.users["officer"])
    _post(client, world, {("jobs_created", "total"): "30"}, action="submit")
    assert Submission.objects.get(org_unit=world.commune).status == Submission.Status.SUBMITTED
    assert _stored(world, "jobs_created").status == DataValue.Status.SUBMITTED


def test_parts_that_do_not_add_up_are_refused_on_submit_and_nothing_is_saved(client, world):
    client.force_login(world.users["officer"])
    response = _post(client, world, {("overseas_workers", "total"): "10",
                                     ("overseas_workers", "JP"): "4",
                                     ("overseas_workers", "KR"): "3",
                                     ("jobs_created", "total"): "30"}, action="submit")
    assert response.status_code == 200
    assert "the parts add up to 7 but the total is 10" in response.content.decode()
    assert not DataValue.objects.exists()
    assert not Submission.objects.filter(status="submitted").exists()


def test_a_draft_keeps_parts_that_do_not_add_up_and_says_so_beside_the_total(client, world):
    client.force_login(world.users["officer"])
    response = _post(client, world, {("overseas_workers", "total"): "10",
                                     ("overseas_workers", "JP"): "4",
                                     ("overseas_workers", "KR"): "3"})
    assert response.status_code == 302
    assert _stored(world, "overseas_workers").value == 10
    page = client.get(response["Location"]).content.decode()
    assert "the parts add up to 7 but the total is 10" in page


def test_every_problem_of_the_form_comes_at_once_beside_its_field(client, world):
    client.force_login(world.users["officer"])
    response = _post(client, world, {("urban_unemployment_rate", "total"): "150",
                                     ("jobs_created", "total"): "1a",
                                     ("overseas_workers", "total"): "10",
                                     ("overseas_workers", "JP"): "4"}, action="submit")
    text = response.content.decode()
    for message in ("not a number", "a rate must lie between 0 and 100",
                    "the parts add up to 4 but the total is 10"):
        assert message in text
    assert text.count('aria-invalid="true"') == 3
    assert not DataValue.objects.exists()


def test_a_draft_keeps_invalid_text_as_text_never_as_a_value(client, world):
    from tiendo.data.models import DraftText

    client.force_login(world.users["officer"])
    response = _post(client, world, {("urban_unemployment_rate", "total"): "150",
                                     ("jobs_created", "total"): "1a",
                                     ("overseas_workers", "total"): "12"})
    assert response.status_code == 302
    assert _stored(world, "overseas_workers").value == 12
    assert _stored(world, "jobs_created") is None
    assert _stored(world, "urban_unemployment_rate") is None
    assert sorted(DraftText.objects.values_list("text", flat=True)) == ["150", "1a"]
    page = client.get(response["Location"]).content.decode()
    assert 'value="1a"' in page and 'value="150"' in page
    assert "a rate must lie between 0 and 100" in page
    # Corrected and submitted: the texts go, the values are stored.
    _post(client, world, {("urban_unemployment_rate", "total"): "4,5",
                          ("jobs_created", "total"): "15",
                          ("overseas_workers", "total"): "12"},
          versions={("overseas_workers", "total"): 1}, action="submit")
    assert not DraftText.objects.exists()
    assert _stored(world, "jobs_created").status == DataValue.Status.SUBMITTED
    assert AuditRecord.objects.filter(entity="drafttext").count() == 4


def test_a_submitted_report_is_shown_read_only_with_its_state(client, world):
    client.force_login(world.users["officer"])
    _post(client, world, {("jobs_created", "total"): "30"}, action="submit")
    page = client.get(_url(world)).content.decode()
    assert "waits for approval" in page and "Save draft" not in page
    assert "readonly" in page


def test_the_first_box_is_focused_or_the_first_with_a_problem(client, world):
    client.force_login(world.users["officer"])
    page = client.get(_url(world)).content.decode()
    assert f'id="value-{_key(world, "jobs_created")}"' in page.split("autofocus")[0][-800:]
    response = _post(client, world, {("urban_unemployment_rate", "total"): "150"})
    page = client.get(response["Location"]).content.decode()
    focused = page.split("autofocus")[0][-800:]
    assert f'id="value-{_key(world, "urban_unemployment_rate")}"' in focused


def test_the_second_of_two_people_editing_a_value_is_told_and_nothing_is_lost(client, world):
    client.force_login(world.users["officer"])
    _post(client, world, {("jobs_created", "total"): "30"})
    seen = _stored(world, "jobs_created").version
    specialist = EnglishClient()
    specialist.force_login(world.users["specialist"])
    _post(specialist, world, {("jobs_created", "total"): "31"},
          versions={("jobs_created", "total"): seen})
    response = _post(client, world, {("jobs_created", "total"): "35"},
                     versions={("jobs_created", "total"): seen})
    assert "saved this value meanwhile" in response.content.decode()
    assert _stored(world, "jobs_created").value == 31


def test_a_value_far_from_the_units_history_is_saved_but_flagged(client, world):
    client.force_login(world.users["officer"])
    for month, value in (("202606", "30"), ("202607", "32"), ("202608", "29"),
                         ("202609", "31")):
        client.post(f"/entry/?unit={world.commune.pk}&set=monthly&period={month}",
                    {"action": "save", f"value-{_key(world, 'jobs_created')}": value,
                     f"version-{_key(world, 'jobs_created')}": "0"})
    response = _post(client, world, {("jobs_created", "total"): "3000"})
    assert _stored(world, "jobs_created").value == 3000
    page = client.get(response["Location"]).content.decode()
    assert "above the median (30.5) of the last 4 periods" in page


def test_a_small_change_on_a_steady_series_is_not_flagged(client, world):
    client.force_login(world.users["officer"])
    for month in ("202606", "202607", "202608", "202609"):
        client.post(f"/entry/?unit={world.commune.pk}&set=monthly&period={month}",
                    {"action": "save", f"value-{_key(world, 'jobs_created')}": "28",
                     f"version-{_key(world, 'jobs_created')}": "0"})
    response = _post(client, world, {("jobs_created", "total"): "30"})
    assert "median" not in client.get(response["Location"]).content.decode()


def test_an_approved_report_is_shown_read_only(client, world):
    client.force_login(world.users["officer"])
    _post(client, world, {("jobs_created", "total"): "30"}, action="submit")
    specialist = EnglishClient()
    specialist.force_login(world.users["specialist"])
    submission = Submission.objects.get()
    specialist.post("/approval/decide/", {"id": submission.pk, "decision": "approve",
                                          "version": submission.version})
    page = client.get(_url(world)).content.decode()
    assert "approved and locked" in page and "Save draft" not in page


def test_the_history_of_a_value_says_who_changed_it_from_what_to_what(client, world):
    client.force_login(world.users["officer"])
    _post(client, world, {("jobs_created", "total"): "30"})
    _post(client, world, {("jobs_created", "total"): "32"},
          versions={("jobs_created", "total"): 1})
    value = _stored(world, "jobs_created")
    page = client.get(f"/history/{value.pk}/").content.decode()
    assert "officer" in page and "30" in page and "32" in page
    assert AuditRecord.objects.filter(entity="datavalue", entity_id=value.pk).count() == 2


def test_a_viewer_cannot_enter_data(client, world):
    client.force_login(world.users["viewer"])
    assert client.get(_url(world)).status_code == 403
    assert _post(client, world, {("jobs_created", "total"): "30"}).status_code == 403
    assert not DataValue.objects.exists()


def test_a_unit_that_ended_is_offered_only_the_periods_it_existed_in(client, world):
    import datetime

    from tiendo.org.services import orgunit_create

    old = orgunit_create(code="25999", name="Xã Cũ", kind="commune", parent=world.province,
                         valid_to=datetime.date(2025, 6, 30))
    client.force_login(world.users["admin"])
    page = client.get(f"/entry/?unit={old.pk}&set=monthly&period=202506").content.decode()
    assert 'value="202506"' in page and 'value="202507"' not in page
    assert 'value="202610"' not in page
