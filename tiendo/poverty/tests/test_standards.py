"""A province's own higher standard: entered on its page by the province's specialist or an
administrator, refused with the reason beside the field when below the national lines,
overlapping another of its years or outside the national standard's years; every change
audited; once reviews were classified with it, only its name may change."""

import pytest

from tiendo.audit.models import AuditRecord
from tiendo.audit.services import Actor
from tiendo.errors import InvalidInput
from tiendo.poverty.files import national_standards
from tiendo.poverty.local import local_standard_save
from tiendo.poverty.models import LocalStandard
from tiendo.poverty.services import review_import
from tiendo.poverty.tests.helpers import household_file

pytestmark = pytest.mark.django_db
FORM = {"code": "TN-2024", "name": "Chuẩn nghèo tỉnh Tây Ninh", "based_on": "ND07-2021",
        "first_year": "2024", "last_year": "2025", "rural_line": "1.700.000",
        "urban_line": "2 200 000", "rural_middle": "", "urban_middle": ""}


def _save(world, **changes):
    fields = {"code": "TN-2024", "name": "Chuẩn Tây Ninh", "based_on": "ND07-2021",
              "first_year": 2024, "last_year": 2025, "rural_line": 1_700_000,
              "urban_line": 2_200_000, **changes}
    return local_standard_save(province=world.province, actor=Actor.system("t"), **fields)


def _refused(world, **changes) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        _save(world, **changes)
    return {p.field: p.message for p in caught.value.problems}


def test_the_specialist_adds_a_standard_and_it_is_audited(world, client):
    client.force_login(world.users["specialist"])
    page = client.get(f"/poverty/standards/{world.province.pk}/").content.decode()
    assert "Tỉnh chưa có chuẩn nghèo riêng" in page and "ND07-2021" in page
    answer = client.post(f"/poverty/standards/{world.province.pk}/new/", FORM)
    assert answer.status_code == 302
    standard = LocalStandard.objects.get()
    assert (standard.rural_line, standard.urban_line, standard.rural_middle) == (
        1_700_000, 2_200_000, None)
    record = AuditRecord.objects.get(entity="poverty.standard")
    assert record.action == "create" and record.new["rural_line"] == 1_700_000
    listed = client.get(f"/poverty/standards/{world.province.pk}/").content.decode()
    assert "TN-2024" in listed and "1.700.000 đ" in listed and "2024–2025" in listed


def test_an_edit_changes_what_was_asked_and_audits_old_and_new(world, client):
    standard = _save(world)
    client.force_login(world.users["admin"])
    url = f"/poverty/standards/{world.province.pk}/{standard.pk}/"
    assert 'value="1700000"' in client.get(url).content.decode()
    client.post(url, {**FORM, "name": "Chuẩn Tây Ninh", "rural_line": "1800000",
                      "rural_middle": "2.500.000",
                      "urban_middle": "3.200.000"})
    standard.refresh_from_db()
    assert (standard.rural_line, standard.rural_middle, standard.urban_middle) == (
        1_800_000, 2_500_000, 3_200_000)
    record = AuditRecord.objects.get(entity="poverty.standard", action="update")
    assert record.old == {"rural_line": 1_700_000, "rural_middle": None, "urban_middle": None}


def test_a_line_below_the_national_one_is_refused_beside_its_field(world, client):
    client.force_login(world.users["specialist"])
    page = client.post(f"/poverty/standards/{world.province.pk}/new/",
                       {**FORM, "urban_line": "1.999.999"}).content.decode()
    assert "Không lưu gì" in page or "Chưa lưu" in page
    assert "không được thấp hơn chuẩn quốc gia 2.000.000 đ" in page
    assert 'id="urban_line-errors"' in page and not LocalStandard.objects.exists()
    # Equal to the national line is not below it.
    assert _save(world, rural_line=1_500_000, urban_line=2_000_000).pk


def test_a_word_for_a_number_is_refused(world, client):
    client.force_login(world.users["specialist"])
    page = client.post(f"/poverty/standards/{world.province.pk}/new/",
                       {**FORM, "rural_line": "một triệu", "last_year": "x"}).content.decode()
    assert "một số nguyên đồng/người/tháng" in page and "một năm, ví dụ 2026" in page


def test_the_rules_of_a_local_standard(world):
    _save(world)
    assert "2024–2025" in _refused(world, code="TN-2025", first_year=2025, last_year=2026)[
        "first_year"]  # overlaps TN-2024
    assert "first_year" in _refused(world, code="TN-26", first_year=2026, last_year=2025)
    assert "2022–2026" in _refused(world, code="TN-27", first_year=2026, last_year=2027)[
        "first_year"]  # beyond the national standard it builds on
    assert "code" in _refused(world, first_year=2026, last_year=2026)  # code used
    assert "code" in _refused(world, code="ND07-2021", first_year=2026, last_year=2026)
    assert "code" in _refused(world, code="TN 26", first_year=2026, last_year=2026)
    assert "based_on" in _refused(world, code="TN-26", based_on="ND00", first_year=2026,
                                  last_year=2026)
    assert "rural_middle" in _refused(world, code="TN-26", first_year=2026, last_year=2026,
                                      rural_middle=2_500_000)  # one end of the band only
    assert "urban_middle" in _refused(world, code="TN-26", first_year=2026, last_year=2026,
                                      rural_middle=2_500_000, urban_middle=2_200_000)
    assert "urban_middle" in _refused(world, code="TN-26", first_year=2026, last_year=2026,
                                      rural_middle=2_500_000, urban_middle=2_999_999)
    other = local_standard_save(province=world.other_province, code="HCM-2026", name="HCM",
                                based_on="ND07-2021", first_year=2026, last_year=2026,
                                rural_line=1_600_000, urban_line=2_100_000,
                                actor=Actor.system("t"))
    with pytest.raises(InvalidInput):  # a standard is changed only through its province
        _save(world, code="HCM-2026", standard=other)


def test_a_standard_used_by_reviews_keeps_its_lines(world):
    standard = _save(world)
    review_import(data=household_file([{"household_id": "A1", "commune": "25459"}]),
                  name="r.csv", actor=Actor.system("t"))
    assert "rural_line" in _refused(world, rural_line=1_800_000, standard=standard)
    renamed = _save(world, name="Chuẩn nghèo Tây Ninh 2024–2025", standard=standard)
    assert renamed.name == "Chuẩn nghèo Tây Ninh 2024–2025"


def test_an_unused_standard_is_removed_on_its_page_and_audited(world, client):
    standard = _save(world)
    client.force_login(world.users["specialist"])
    edit = client.get(f"/poverty/standards/{world.province.pk}/{standard.pk}/").content.decode()
    assert "Xóa chuẩn nghèo này" in edit and 'data-confirm="Xóa chuẩn nghèo TN-2024?"' in edit
    answer = client.post(f"/poverty/standards/{world.province.pk}/{standard.pk}/delete/")
    assert answer.status_code == 302 and not LocalStandard.objects.exists()
    record = AuditRecord.objects.get(entity="poverty.standard", action="delete")
    assert record.key == "TN-2024" and record.old["rural_line"] == 1_700_000


def test_a_used_standard_cannot_be_removed(world, client):
    standard = _save(world)
    review_import(data=household_file([{"household_id": "A1", "commune": "25459"}]),
                  name="r.csv", actor=Actor.system("t"))
    client.force_login(world.users["specialist"])
    edit = client.get(f"/poverty/standards/{world.province.pk}/{standard.pk}/").content.decode()
    assert "Xóa chuẩn nghèo này" not in edit
    answer = client.post(f"/poverty/standards/{world.province.pk}/{standard.pk}/delete/",
                         follow=True)
    assert "không thể xóa" in answer.content.decode()
    assert LocalStandard.objects.filter(pk=standard.pk).exists()
    api = client.delete(f"/api/v1/poverty/standards/{standard.pk}")
    assert api.status_code == 422 and LocalStandard.objects.filter(pk=standard.pk).exists()


def test_the_api_lists_adds_changes_and_removes_a_provinces_standards(world, client):
    client.force_login(world.users["specialist"])
    url = f"/api/v1/poverty/standards?province={world.province.pk}"
    assert [s["code"] for s in client.get(url).json()] == [
        s.code for s in national_standards()]
    body = {"code": "TN-2024", "name": "Chuẩn Tây Ninh", "based_on": "ND07-2021",
            "first_year": 2024, "last_year": 2025, "rural_line": 1_700_000,
            "urban_line": 2_200_000}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["local"] is True
    below = client.post(url, {**body, "code": "TN-X", "first_year": 2026, "last_year": 2026,
                              "rural_line": 1_000_000}, content_type="application/json")
    assert below.status_code == 422
    assert [(p["field"], p["message"]) for p in below.json()["problems"]] == [
        ("rural_line", "không được thấp hơn chuẩn quốc gia 1.500.000 đ")]
    one = f"/api/v1/poverty/standards/{created.json()['id']}"
    changed = client.put(one, {**body, "rural_line": 1_800_000},
                         content_type="application/json")
    assert changed.status_code == 200 and changed.json()["rural_line"] == 1_800_000
    assert client.get(url).json()[-1]["rural_line"] == 1_800_000
    client.force_login(world.users["viewer"])  # reads, does not edit
    assert client.get(url).status_code == 200
    assert client.delete(one).status_code == 403
    client.force_login(world.users["stranger"])  # another province's specialist
    assert client.delete(one).status_code == 404
    client.force_login(world.users["specialist"])
    assert client.delete(one).status_code == 204 and not LocalStandard.objects.exists()


def test_the_review_page_links_to_the_provinces_standards(world, client):
    review_import(data=household_file([{"household_id": "A1", "commune": "25459"}]),
                  name="r.csv", actor=Actor.system("t"))
    client.force_login(world.users["viewer"])
    page = client.get(f"/poverty/{world.commune.pk}/2024/").content.decode()
    assert f'href="/poverty/standards/{world.province.pk}/"' in page
    standards = client.get(f"/poverty/standards/{world.province.pk}/").content.decode()
    assert "Thêm chuẩn nghèo riêng" not in standards  # a viewer reads, does not add
    client.force_login(world.users["officer"])  # the commune's officer cannot read the province
    page = client.get(f"/poverty/{world.commune.pk}/2024/").content.decode()
    assert "/poverty/standards/" not in page
    assert client.get(f"/poverty/standards/{world.commune.pk}/").status_code == 404


def test_a_local_standard_classifies_only_the_years_it_gives(world):
    from tiendo.lib.poverty import CLASSES
    from tiendo.poverty.models import Household

    _save(world, code="TN-2025", first_year=2025, last_year=2025, rural_line=1_600_000)
    found = {}
    for year in (2024, 2025, 2026):  # the year before, the year itself, the year after
        review_import(data=household_file([{
            "household_id": f"H{year}", "commune": "25459", "year": year,
            "income_per_capita": 1_600_000,
            "deprived": ["health_insurance", "water", "sanitation"]}]),
            name=f"{year}.csv", actor=Actor.system("t"))
        household = Household.objects.get(household_id=f"H{year}")
        found[year] = CLASSES[household.classification]
    assert found == {2024: "middle_income", 2025: "poor", 2026: "middle_income"}
