from decimal import Decimal as D

import pytest
from django.test import Client

from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target, TargetSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    target_set = TargetSet.objects.create(name="KH 2022", period="2022")
    element = DataElement.objects.get(code="new_party_members")
    datavalues_save(values=[ValueInput(element=element, org_unit=world.province,
                                       period=parse_period("2022"), value=D(71))],
                    actor="test")
    Target.objects.create(target_set=target_set, org_unit=world.province, period="2022",
                          indicator=Indicator.objects.get(code="new_party_members"),
                          comparison="at_least", value=D(70))
    return target_set


def _login(client, world, role):
    client.force_login(world.users[role])
    return client


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_the_headline_and_the_figures_of_the_engine_in_vietnamese(world, plan):
    client = _login(Client(), world, "specialist")
    page = client.get("/", {"period": "2022"})
    text = page.content.decode()
    assert "1/1 chỉ tiêu đạt và vượt kế hoạch (100,00%)" in text
    assert "101,43%" in text and "Năm 2022" in text


def test_it_lists_the_units_below_with_links(client, world, plan):
    text = _login(client, world, "specialist").get("/", {"period": "2022"}).content.decode()
    assert f"?unit={world.commune.pk}&amp;period=2022" in text
    assert "Phường Bình Minh" in text


def test_an_officer_opens_on_their_own_unit(client, world, plan):
    text = _login(client, world, "officer").get("/", {"period": "2022"}).content.decode()
    assert "<h1>Phường Tân Ninh — 2022</h1>" in text
    assert "compared with the targets of Tây Ninh" in text


def test_another_province_is_not_found(client, world, plan):
    response = _login(client, world, "stranger").get("/", {"unit": world.province.pk})
    assert response.status_code == 404


def test_a_bad_period_code_does_not_crash(client, world, plan):
    response = _login(client, world, "specialist").get("/", {"period": "2022Q9"})
    assert response.status_code == 302


def test_the_targets_table_downloads_as_excel_with_numbers_as_numbers(client, world, plan):
    import io

    import openpyxl

    response = _login(client, world, "specialist").get(
        "/", {"period": "2022", "export": "xlsx", "table": "targets"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] and row[2] is not None]
    assert rows[-1][2] == 71 and float(rows[-1][3]) == 101.43


def test_the_units_table_downloads_as_csv(client, world, plan):
    response = _login(client, world, "specialist").get(
        "/", {"period": "2022", "export": "csv", "table": "units"})
    assert response["Content-Type"].startswith("text/csv")
    assert "Phường Bình Minh" in response.content.decode("utf-8-sig")


def test_the_units_table_shows_each_units_figure_and_verdict(client, world, plan):
    element = DataElement.objects.get(code="new_party_members")
    datavalues_save(values=[
        ValueInput(element=element, org_unit=world.commune, period=parse_period(code),
                   value=value) for code, value in (("2021", D(10)), ("2022", D(1234)))],
        actor="test")
    text = _login(client, world, "specialist").get("/", {"period": "2022"}).content.decode()
    # Its share of 2021 (all of it) × 70: a pace target of 70, passed (the world's
    # specialist reads English).
    assert '<td class="n">1,234<br><span class="s exceeded">exceeded</span></td>' in text
    assert '<td class="n">—</td>' in text  # a commune with no figure
