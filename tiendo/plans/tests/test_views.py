from decimal import Decimal as D

import pytest

from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Document, Target, TargetSet

pytestmark = pytest.mark.django_db


def test_it_shows_each_target_as_it_reads_with_the_engines_judgement(as_role, world):
    datavalues_save(values=[ValueInput(element=DataElement.objects.get(code="jobs_created"),
                                       org_unit=world.province, period=parse_period("2026"),
                                       value=D(1100))], actor="test")
    page = as_role("viewer").get(f"/targets/{world.target_set.pk}/").content.decode()
    assert "1.000" in page and "1.100" in page and "110,00%" in page


def test_it_filters_the_list_by_kind_and_period(as_role, world):
    TargetSet.objects.create(name="Phấn đấu 2027", kind="aspirational", scope=world.province,
                             period="2027")
    client = as_role("specialist")
    names = [s.name for s in client.get("/targets/?kind=aspirational").context["sets"]]
    assert names == ["Phấn đấu 2027"]
    names = [s.name for s in client.get("/targets/?period=2026").context["sets"]]
    assert names == [world.target_set.name]


def test_it_filters_the_list_by_unit(as_role, world):
    client = as_role("admin")
    assert list(client.get(f"/targets/?unit={world.sibling.pk}").context["sets"]) == []


def test_it_shows_problems_beside_their_fields_and_saves_nothing(as_role, world):
    response = as_role("specialist").post(f"/targets/{world.target_set.pk}/add/", {
        "indicator": world.province_target.indicator_id, "org_unit": "761", "period": "2026",
        "comparison": "range", "value": "30",
    })
    assert response.status_code == 200
    assert list(response.context["errors"]) == ["value_max"]
    assert not Target.objects.filter(org_unit=world.other_district).exists()


def test_it_refuses_a_unit_outside_the_sets_scope_on_the_page(as_role, world):
    response = as_role("admin").post(f"/targets/{world.target_set.pk}/add/", {
        "indicator": world.province_target.indicator_id, "org_unit": "01", "period": "2026",
        "comparison": "at_least", "value": "5",
    })
    assert list(response.context["errors"]) == ["org_unit"]


def test_it_reads_vietnamese_numbers_in_the_form(as_role, world):
    as_role("specialist").post(f"/targets/{world.target_set.pk}/add/", {
        "indicator": world.province_target.indicator_id, "org_unit": "761", "period": "2026",
        "comparison": "at_least", "value": "1.500.000",
    })
    assert Target.objects.get(org_unit=world.other_district).value == D(1500000)


def test_it_creates_a_set_with_a_new_document(as_role, world):
    as_role("specialist").post("/targets/new/", {
        "name": "KH 2027", "kind": "assigned", "scope": world.province.pk, "period": "2027",
        "document_symbol": "99/KH-UBND", "document_kind": "plan", "document_date": "2026-12-10",
        "document_issuer": "UBND tỉnh", "document_title": "Kế hoạch 2027",
    })
    target_set = TargetSet.objects.get(name="KH 2027")
    assert (target_set.document.symbol, target_set.scope) == ("99/KH-UBND", world.province)


def test_it_creates_no_document_when_the_set_is_refused(as_role, world):
    response = as_role("specialist").post("/targets/new/", {
        "name": world.target_set.name, "scope": world.province.pk,
        "document_symbol": "100/KH-UBND",
    })
    assert "name" in response.context["errors"]
    assert not Document.objects.filter(symbol="100/KH-UBND").exists()


def test_it_refuses_a_scope_the_user_may_not_plan(as_role, world):
    response = as_role("specialist").post("/targets/new/", {
        "name": "Lạ", "scope": world.sibling.pk, "document_symbol": "1/KH"})
    assert "scope" in response.context["errors"]
    assert not TargetSet.objects.filter(name="Lạ").exists()


def test_it_shows_the_allocation_problem_and_keeps_what_was_typed(as_role, world):
    url = f"/targets/{world.target_set.pk}/{world.province_target.pk}/allocate/"
    response = as_role("specialist").post(url, {f"unit_{world.district.pk}": "600",
                                                f"unit_{world.other_district.pk}": "300"})
    assert response.status_code == 200
    assert "amounts" in response.context["errors"]
    assert 'value="300"' in response.content.decode()
    assert not Target.objects.filter(org_unit=world.other_district).exists()


def test_it_offers_a_running_total_and_the_proportional_helper(as_role, world):
    url = f"/targets/{world.target_set.pk}/{world.province_target.pk}/allocate/"
    page = as_role("specialist").get(url).content.decode()
    assert 'id="running-total"' in page and 'id="use-proposal"' in page
    assert 'value="600"' in page  # the district's current target


def test_it_warns_when_the_allocation_asks_more_than_the_whole(as_role, world):
    url = f"/targets/{world.target_set.pk}/{world.province_target.pk}/allocate/"
    response = as_role("specialist").post(url, {f"unit_{world.district.pk}": "700",
                                                f"unit_{world.other_district.pk}": "400"},
                                          follow=True)
    levels = [m.level_tag for m in response.context["messages"]]
    assert "warning" in levels and "success" in levels


def test_it_puts_targets_in_the_menu_for_readers(as_role, world):
    page = as_role("viewer").get("/targets/").content.decode()
    assert 'href="/targets/" aria-current="page"' in page


def test_it_does_not_overwrite_an_existing_target_from_the_add_page(as_role, world):
    response = as_role("specialist").post(f"/targets/{world.target_set.pk}/add/", {
        "indicator": world.province_target.indicator_id, "org_unit": "79", "period": "2026",
        "comparison": "at_least", "value": "1",
    })
    assert list(response.context["errors"]) == ["indicator"]
    world.province_target.refresh_from_db()
    assert world.province_target.value == D(1000)


def test_it_reads_54_000_as_fifty_four_thousand_in_vietnamese(as_role, world):
    response = as_role("specialist").post(f"/targets/{world.target_set.pk}/add/", {
        "indicator": world.province_target.indicator_id, "org_unit": "761", "period": "2026",
        "comparison": "at_least", "value": "54.000",
    })
    assert response.status_code == 302
    assert Target.objects.get(org_unit=world.other_district).value == D(54000)


def test_it_reads_the_number_as_english_writes_it_on_the_english_page(world):
    from tiendo.testing import EnglishClient

    client = EnglishClient()
    client.force_login(world.users["specialist"])
    client.post(f"/en/targets/{world.target_set.pk}/add/", {
        "indicator": world.province_target.indicator_id, "org_unit": "761", "period": "2026",
        "comparison": "at_least", "value": "54.000",
    })
    assert Target.objects.get(org_unit=world.other_district).value == D(54)
