"""Every face shows the same evaluation the same way: the dashboard page, the API's
/evaluation and /dashboard, `tiendo evaluate` (JSON and table), the evaluation download and
the periodic report all carry `tiendo.analytics.present`'s row for each target, field by
field, and none words or rounds a figure of its own."""

import io
import json
from contextlib import redirect_stdout
from decimal import Decimal as D

import pytest
from django.test import Client

from tiendo.analytics.evaluation import targets_evaluate
from tiendo.analytics.present import present
from tiendo.analytics.serialize import row_json
from tiendo.cli import main
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.exchange.exports import evaluation_rows
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target, TargetSet
from tiendo.reports.content import report_content
from tiendo.testing import EnglishClient

pytestmark = pytest.mark.django_db
LANG = "en"


@pytest.fixture
def judged(world):
    """Tây Ninh's 2025 targets: jobs exceeded, workers abroad not met (an estimate in it),
    unemployment (a rate, a ceiling) met, the Gratitude Fund (money, in tỷ đồng in a report)
    met; the same months of 2024 to compare with."""
    plan = TargetSet.objects.create(name="KH 2025", period="2025")
    for code, comparison, value in [("jobs_created", "at_least", "11000"),
                                    ("overseas_workers", "at_least", "1000"),
                                    ("urban_unemployment_rate", "at_most", "3.5"),
                                    ("gratitude_fund", "at_least", "14000000000")]:
        Target.objects.create(target_set=plan, indicator=Indicator.objects.get(code=code),
                              org_unit=world.province, period="2025", comparison=comparison,
                              value=D(value))
    elements = {e.code: e for e in DataElement.objects.all()}
    values = []
    for year, jobs, abroad, rate in [(2024, "950", "70", "3.61"), (2025, "1001", "75", "3.5")]:
        for month in range(1, 13):
            period = parse_period(f"{year}{month:02d}")
            values += [
                ValueInput(element=elements["jobs_created"], org_unit=world.commune,
                           period=period, value=D(jobs)),
                ValueInput(element=elements["overseas_workers"], org_unit=world.commune,
                           period=period, value=D(abroad), estimate=month == 12),
            ]
        values += [
            ValueInput(element=elements["urban_unemployment_rate"], org_unit=world.province,
                       period=parse_period(str(year)), value=D(rate)),
            ValueInput(element=elements["gratitude_fund"], org_unit=world.province,
                       period=parse_period(str(year)), value=D(14_050_000_000)),
        ]
    datavalues_save(values=values, actor="test")
    evaluation = targets_evaluate(unit=world.province, period=parse_period("2025"),
                                  target_set=plan)
    rows = {r.target.indicator.code: present(r, LANG) for r in evaluation.results}
    assert len(rows) == 4
    return world, plan, evaluation, rows


def _signed_in(world, role: str) -> Client:
    client = EnglishClient(HTTP_ACCEPT_LANGUAGE=LANG)
    client.force_login(world.users[role])
    return client


def test_the_rows_are_worth_comparing(judged):
    """The fixture holds what tends to differ between faces: an estimate, a rate's change
    in points, an amount's change in %, decimals to round half-up."""
    _world, _plan, _evaluation, rows = judged
    assert rows["urban_unemployment_rate"].vs_last_year_kind == "points"
    assert rows["jobs_created"].vs_last_year_kind == "pct"
    assert "(est.)" in rows["overseas_workers"].actual_text
    assert rows["gratitude_fund"].actual_short_text == "14.05 billion VND"
    assert {row.status for row in rows.values()} == {"exceeded", "not_met", "met"}


def test_the_dashboard_page_shows_the_presentation_rows(judged):
    world, plan, _evaluation, rows = judged
    page = _signed_in(world, "specialist").get(
        f"/?unit={world.province.pk}&period=2025&set={plan.pk}")
    assert page.status_code == 200
    shown = {r["p"].indicator_code: r["p"] for r in page.context["rows"]}
    assert shown == rows
    html = page.content.decode()
    for row in rows.values():
        assert row.status_text in html and row.achievement_text in html


def test_the_api_answers_the_presentation_rows(judged):
    world, plan, _evaluation, rows = judged
    client = _signed_in(world, "specialist")
    query = f"unit={world.province.pk}&period=2025&target_set={plan.pk}"
    evaluation = client.get(f"/api/v1/evaluation?{query}").json()
    dashboard = client.get(f"/api/v1/dashboard?{query}").json()
    for body in (evaluation, dashboard):
        shown = {t["indicator"]: t["shown"] for t in body["targets"]}
        assert shown == {code: row_json(row) for code, row in rows.items()}
    for target in dashboard["targets"]:
        assert target["status_text"] == rows[target["indicator"]].status_text


def test_the_command_line_prints_the_presentation_rows(judged):
    _world, plan, _evaluation, rows = judged
    out = io.StringIO()
    with redirect_stdout(out):
        main(["--lang", LANG, "evaluate", "--unit", "80", "--period", "2025",
              "--target-set", plan.name, "--format", "json"])
    shown = {t["indicator"]: t["shown"] for t in json.loads(out.getvalue())["targets"]}
    assert shown == {code: row_json(row) for code, row in rows.items()}
    table = io.StringIO()
    with redirect_stdout(table):
        main(["--lang", LANG, "evaluate", "--unit", "80", "--period", "2025",
              "--target-set", plan.name])
    lines = table.getvalue().splitlines()
    for row in rows.values():
        line = next(line for line in lines if line.startswith(row.indicator[:60]))
        for text in (row.target_text, row.actual_text, row.achievement_text, row.status_text):
            assert text in line


def test_the_evaluation_download_has_the_presentation_rows(judged):
    _world, _plan, evaluation, rows = judged
    _title, _headers, table = evaluation_rows(evaluation)
    by_name = {row.indicator: row for row in rows.values()}
    for cells in table:
        row = by_name[cells[0]]
        assert cells[1:4] == [row.unit_of_measure, row.target_text, row.actual]
        assert cells[5:7] == [row.achievement_pct, row.status_text]
        assert cells[8:] == [row.last_year, row.forecast, row.expected_pct]


def test_the_report_has_the_presentation_rows(judged):
    world, plan, _evaluation, rows = judged
    content = report_content(unit=world.province, period=parse_period("2025"),
                             target_set=plan, lang=LANG)
    lines = [line for section in content["sections"] for line in section["rows"]]
    assert len(lines) == 4
    for line in lines:
        row = rows[line["indicator_code"]]
        assert (line["indicator"], line["unit"], line["target_text"], line["to_date_text"],
                line["achievement_text"], line["status_text"], line["vs_last_year_kind"],
                line["vs_last_year_text"], line["compared_text"], line["pace"]) == (
            row.indicator, row.unit_label, row.target_short_text, row.actual_short_text,
            row.achievement_text, row.status_text, row.vs_last_year_kind,
            row.vs_last_year_text, row.compared_text, row.pace)


def test_the_page_and_the_api_open_on_the_same_unit_period_and_set(judged):
    """Asked nothing, both choose through `dashboard_choose`: the user's unit, the period its
    targets cover, the set holding them."""
    world, plan, _evaluation, rows = judged
    client = _signed_in(world, "specialist")
    page = client.get("/")
    api = client.get("/api/v1/dashboard").json()
    assert (page.context["unit"].pk, page.context["period"].code,
            page.context["target_set"].pk) == (api["unit"]["id"], api["period"],
                                                api["target_set"]) == (
        world.province.pk, "2025", plan.pk)
    assert {t["indicator"]: t["shown"] for t in api["targets"]} == {
        code: row_json(row) for code, row in rows.items()}


def test_the_api_answers_a_set_the_unit_has_no_targets_in_as_not_found(judged):
    world, _plan, _evaluation, _rows = judged
    other = TargetSet.objects.create(name="Khác", period="2025")
    client = _signed_in(world, "specialist")
    answer = client.get(f"/api/v1/dashboard?unit={world.province.pk}&target_set={other.pk}")
    assert answer.status_code == 404
