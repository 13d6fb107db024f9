"""The permission matrix: every page and every API operation × every role, asserting exactly
who may read and who may write. A route missing from the matrix fails the last test, so a new
page cannot ship unchecked.

Roles (tiendo.conftest.World): admin; specialist and viewer of the province; officer of a
commune in it; officer of the sibling commune; specialist of another province; anonymous.
"""

import io
import json
from dataclasses import dataclass, field
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

from tiendo.api.app import api
from tiendo.assignments.tests.permission_cases import task_cases
from tiendo.data.models import DataValue, Submission
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.data.submissions import submission_submit
from tiendo.lib.periods import parse_period

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # every route × every role

ROLES = ["anonymous", "admin", "specialist", "officer", "viewer", "sibling", "stranger"]
OK, LOGIN, FORBIDDEN, MISSING = "ok", "login", "forbidden", "missing"

EVERYONE = dict.fromkeys(ROLES[1:], OK)
READ_COMMUNE = {**EVERYONE, "sibling": MISSING, "stranger": MISSING}
ENTER_COMMUNE = {**READ_COMMUNE, "viewer": FORBIDDEN}
APPROVE_COMMUNE = {**ENTER_COMMUNE, "officer": FORBIDDEN}
READ_PROVINCE = {**READ_COMMUNE, "officer": MISSING}
ENTER_SOMEWHERE = {**EVERYONE, "viewer": FORBIDDEN}
APPROVE_OWN_SUBMISSION = {**APPROVE_COMMUNE, "specialist": FORBIDDEN, "officer": MISSING,
                          "sibling": FORBIDDEN}
# An upload is seen and handled by the user who sent it, and by nobody else (not even admin).
UPLOADER_ONLY = {**dict.fromkeys(ROLES[1:], MISSING), "officer": OK}


@dataclass
class Case:
    route: str  # the URL pattern or API path it covers
    method: str
    url: str
    expected: dict
    body: dict = field(default_factory=dict)
    api: bool = False
    multipart: bool = False  # an API operation that takes a file
    public: bool = False  # answers without a log-in (the health check)


def _uploads(world) -> tuple[int, int]:
    """Two uploads of the commune's officer: a checked DHIS2 file, and an own table waiting
    for its rows and columns to be mapped."""
    from openpyxl import Workbook

    from tiendo.exchange.services import upload_receive, upload_run

    checked = upload_receive(user=world.users["officer"], filename="v.json",
                             content=EXCHANGE_VALUES, options={})
    upload_run(upload_id=checked.pk, store=False)
    book, out = Workbook(), io.BytesIO()
    book.active.append(["Chỉ tiêu", "Phường Tân Ninh"])
    book.save(out)
    mapping = upload_receive(user=world.users["officer"], filename="own.xlsx",
                             content=out.getvalue(), options={"period": "202610"})
    mapping.status = "mapping"
    mapping.report = {"proposal": {"sheet": "Sheet", "heading_row": 1, "label_column": 1,
                                   "rows": [], "columns": []}}
    mapping.save()
    return checked.pk, mapping.pk


def _submitted_by_the_specialist(world, period) -> Submission:
    datavalues_save(values=[ValueInput(element=world.elements["jobs_created"],
                                       org_unit=world.sibling, period=period, value=D(12))],
                    actor="specialist")
    return submission_submit(data_set=world.data_set, org_unit=world.sibling, period=period,
                             actor="specialist", user=world.users["specialist"])


EXCHANGE_VALUES = json.dumps({"dataValues": [{"dataElement": "jobs_created",
                                              "period": "202610", "orgUnit": "25459",
                                              "value": 30}]}).encode()


@pytest.fixture
def setup(world, settings):
    settings.TIENDO_EXCHANGE_INLINE = True  # uploads checked in the request, not a thread
    october = parse_period("202610")
    datavalues_save(values=[ValueInput(element=world.elements["jobs_created"],
                                       org_unit=world.commune, period=october, value=D(28))],
                    actor="officer")
    submission = submission_submit(data_set=world.data_set, org_unit=world.commune,
                                   period=october, actor="officer")
    value = DataValue.objects.get()
    own = _submitted_by_the_specialist(world, october)
    element = world.elements["jobs_created"]
    commune, province = world.commune.pk, world.province.pk
    checked, own_table = _uploads(world)
    entry = f"/entry/?unit={commune}&set=monthly&period=202610"
    cases = [
        Case("", "get", f"/?unit={commune}&period=2026", READ_COMMUNE),
        Case("", "get", f"/?unit={province}&period=2026", READ_PROVINCE),
        Case("compare/", "get", f"/compare/?unit={province}&period=2026", READ_PROVINCE),
        Case("compare/", "get", f"/compare/?unit={commune}&period=2026", READ_COMMUNE),
        Case("entry/", "get", entry, ENTER_COMMUNE),
        Case("entry/", "post", entry, ENTER_COMMUNE,
             {"action": "save", f"value-{element.pk}-total": "29",
              f"version-{element.pk}-total": str(value.version)}),
        Case("approval/", "get", "/approval/", EVERYONE),
        Case("approval/decide/", "post", "/approval/decide/", APPROVE_COMMUNE,
             {"id": submission.pk, "decision": "approve", "version": submission.version}),
        Case("approval/<int:submission_id>/", "get", f"/approval/{submission.pk}/",
             READ_COMMUNE),
        Case("approval/approve/", "post", "/approval/approve/",
             {**APPROVE_COMMUNE, "sibling": FORBIDDEN, "viewer": FORBIDDEN},
             {"id": submission.pk, f"version-{submission.pk}": submission.version}),
        Case("history/<int:value_id>/", "get", f"/history/{value.pk}/", READ_COMMUNE),
        Case("/api/v1/me", "get", "/api/v1/me", EVERYONE, api=True),
        Case("/api/v1/health", "get", "/api/v1/health", EVERYONE, api=True, public=True),
        Case("/api/v1/units/{unit_id}", "get", f"/api/v1/units/{commune}", READ_COMMUNE,
             api=True),
        Case("/api/v1/evaluation", "get", f"/api/v1/evaluation?unit={province}&period=2026",
             READ_PROVINCE, api=True),
        Case("/api/v1/dashboard", "get", f"/api/v1/dashboard?unit={commune}&period=2026",
             READ_COMMUNE, api=True),
        Case("/api/v1/compare", "get", f"/api/v1/compare?unit={province}&period=2026",
             READ_PROVINCE, api=True),
        Case("/api/v1/reports", "get",
             f"/api/v1/reports?unit={commune}&data_set=monthly&period=202610", READ_COMMUNE,
             api=True),
        Case("/api/v1/reports", "post", "/api/v1/reports", ENTER_COMMUNE,
             {"unit": commune, "data_set": "monthly", "period": "202610",
              "values": [{"element": "jobs_created", "value": "29",
                          "version": value.version}]}, api=True),
        Case("/api/v1/submissions", "get", "/api/v1/submissions", EVERYONE, api=True),
        Case("/api/v1/submissions/{submission_id}/decision", "post",
             f"/api/v1/submissions/{submission.pk}/decision", APPROVE_COMMUNE,
             {"decision": "approve", "version": submission.version}, api=True),
        # Separation of duties: the specialist submitted the sibling's report themselves.
        Case("/api/v1/submissions/{submission_id}/decision", "post",
             f"/api/v1/submissions/{own.pk}/decision", APPROVE_OWN_SUBMISSION,
             {"decision": "approve", "version": own.version}, api=True),
        Case("/api/v1/values/{value_id}/history", "get", f"/api/v1/values/{value.pk}/history",
             READ_COMMUNE, api=True),
        Case("/api/v1/data-sets", "get", "/api/v1/data-sets", EVERYONE, api=True),
        Case("exchange/", "get", "/exchange/", EVERYONE),
        Case("exchange/template/", "get",
             "/exchange/template/?data_set=monthly&unit=25459&period=202610", READ_COMMUNE),
        Case("exchange/export/", "get",
             "/exchange/export/?unit=25459&period=2026&format=dhis2-csv", READ_COMMUNE),
        Case("exchange/uploads/", "post", "/exchange/uploads/", ENTER_SOMEWHERE,
             {"file": EXCHANGE_VALUES}),
        Case("exchange/uploads/<int:upload_id>/", "get", f"/exchange/uploads/{checked}/",
             UPLOADER_ONLY),
        Case("exchange/uploads/<int:upload_id>/status/", "get",
             f"/exchange/uploads/{checked}/status/", UPLOADER_ONLY),
        Case("exchange/uploads/<int:upload_id>/store/", "post",
             f"/exchange/uploads/{checked}/store/", UPLOADER_ONLY),
        Case("exchange/uploads/<int:upload_id>/map/", "post",
             f"/exchange/uploads/{own_table}/map/", UPLOADER_ONLY),
        Case("/api/v1/exchange/template", "get",
             "/api/v1/exchange/template?data_set=monthly&unit=25459&period=202610",
             READ_COMMUNE, api=True),
        Case("/api/v1/exchange/values", "get",
             "/api/v1/exchange/values?unit=25459&period=2026&format=adx", READ_COMMUNE,
             api=True),
        Case("/api/v1/exchange/uploads", "post", "/api/v1/exchange/uploads", ENTER_SOMEWHERE,
             {"file": EXCHANGE_VALUES, "store": "true"}, api=True, multipart=True),
        Case("/api/v1/elements", "get", "/api/v1/elements", EVERYONE, api=True),
        *_target_cases(world),
        *_periodic_report_cases(world),
        *_people_cases(world),
        *task_cases(world, Case, globals()),
        *_poverty_cases(world),
    ]
    return world, cases


# People: managed by administrators and specialists, within their scope and not above
# their own role (the stranger gets the form back: the commune is outside their province).
MANAGE_PEOPLE = {**EVERYONE, "officer": FORBIDDEN, "viewer": FORBIDDEN, "sibling": FORBIDDEN}


def _people_cases(world) -> list[Case]:
    from openpyxl import Workbook

    book, out = Workbook(), io.BytesIO()
    book.active.append(["Họ tên", "Email", "Mã đơn vị", "Vai trò"])
    book.active.append(["Lê Bình", "binh@x.vn", "25459", "officer"])
    book.save(out)
    officer = world.users["officer"].pk
    person = {**MANAGE_PEOPLE, "stranger": MISSING}
    return [
        Case("accounts/users/", "get", "/accounts/users/", MANAGE_PEOPLE),
        Case("accounts/users/add/", "post", "/accounts/users/add/", MANAGE_PEOPLE,
             {"name": "Võ Hoa", "email": "hoa@x.vn", "role": "officer", "unit": "25459"}),
        Case("accounts/users/import/", "post", "/accounts/users/import/", MANAGE_PEOPLE,
             {"file": out.getvalue()}),
        Case("accounts/users/<int:user_id>/", "get", f"/accounts/users/{officer}/", person),
        Case("accounts/users/<int:user_id>/", "post", f"/accounts/users/{officer}/", person,
             {"role": "officer", "unit": "25480", "active": "on"}),
    ]


# Target sets: the province's set holds a province target and one of the officer's commune,
# so the officer may read the set (their target only) but not change it.
PLAN_PROVINCE = {**READ_COMMUNE, "officer": FORBIDDEN, "viewer": FORBIDDEN}
PLAN_PROVINCE_TARGET = {**PLAN_PROVINCE, "officer": MISSING}
# The new-set page is for anyone who may plan somewhere, the stranger in their own province.
PLAN_SOMEWHERE = {**EVERYONE, "officer": FORBIDDEN, "viewer": FORBIDDEN, "sibling": FORBIDDEN}

FOREIGN_SET = {**dict.fromkeys(ROLES[1:], MISSING), "admin": OK}


def _target_cases(world) -> list[Case]:
    from tiendo.exchange.targets_template import targets_template_build
    from tiendo.plans.services import target_save, target_set_get_or_create

    target_set = target_set_get_or_create(name="KH 2026 Tây Ninh", scope=world.province,
                                          period="2026", actor="test")
    jobs = world.elements["jobs_created"].indicators.get(code="jobs_created")
    common = {"target_set": target_set, "indicator": jobs, "period": "2026",
              "comparison": "at_least", "actor": "test"}
    whole = target_save(org_unit=world.province, value=D(1000), **common)
    target_save(org_unit=world.commune, value=D(600), **common)
    s, t = target_set.pk, whole.pk
    template = targets_template_build(target_set=target_set, user=None)
    commune, sibling, province = world.commune.pk, world.sibling.pk, world.province.pk
    new_target = {"indicator": jobs.pk, "org_unit": "25480", "period": "2026",
                  "comparison": "at_least", "value": "400"}
    shares = {f"unit_{commune}": "600", f"unit_{sibling}": "400"}
    api_shares = {"amounts": [{"unit_id": commune, "value": "600"},
                              {"unit_id": sibling, "value": "400"}]}
    return [
        Case("targets/", "get", "/targets/", EVERYONE),
        Case("targets/new/", "get", "/targets/new/", PLAN_SOMEWHERE),
        # The stranger gets the form back with "choose a unit you may plan for".
        Case("targets/new/", "post", "/targets/new/", PLAN_SOMEWHERE,
             {"name": "QĐ 2027", "scope": province, "document_symbol": "1/QĐ"}),
        Case("targets/<int:set_id>/", "get", f"/targets/{s}/", READ_COMMUNE),
        Case("targets/<int:set_id>/template/", "get", f"/targets/{s}/template/",
             READ_COMMUNE),
        # The template of the set, sent from its page: checked for whoever may plan it.
        Case("exchange/uploads/", "post", "/exchange/uploads/", PLAN_PROVINCE,
             {"file": template, "target_set": s}),
        Case("targets/<int:set_id>/add/", "get", f"/targets/{s}/add/", PLAN_PROVINCE),
        Case("targets/<int:set_id>/add/", "post", f"/targets/{s}/add/", PLAN_PROVINCE,
             new_target),
        Case("targets/<int:set_id>/<int:target_id>/edit/", "get", f"/targets/{s}/{t}/edit/",
             PLAN_PROVINCE),
        Case("targets/<int:set_id>/<int:target_id>/edit/", "post", f"/targets/{s}/{t}/edit/",
             PLAN_PROVINCE, dict(new_target, org_unit="80", value="1200")),
        Case("targets/<int:set_id>/<int:target_id>/delete/", "post",
             f"/targets/{s}/{t}/delete/", PLAN_PROVINCE),
        Case("targets/<int:set_id>/<int:target_id>/allocate/", "post",
             f"/targets/{s}/{t}/allocate/", PLAN_PROVINCE, shares),
        # Tây Ninh's set asked for on Hồ Chí Minh City's figures: "no such target set" for
        # the city's specialist, exactly as a missing id (the others cannot see the city; an
        # administrator sees every set, and on the dashboard only a set that applies).
        Case("/api/v1/evaluation", "get",
             f"/api/v1/evaluation?unit={world.other_province.pk}&period=2026&target_set={s}",
             FOREIGN_SET, api=True),
        Case("/api/v1/dashboard", "get",
             f"/api/v1/dashboard?unit={world.other_province.pk}&period=2026&target_set={s}",
             dict.fromkeys(ROLES[1:], MISSING), api=True),  # no target of the set applies
        Case("/api/v1/targets/sets", "get", "/api/v1/targets/sets", EVERYONE, api=True),
        Case("/api/v1/targets/sets", "post", "/api/v1/targets/sets",
             {**PLAN_PROVINCE, "officer": MISSING},
             {"name": "QĐ 2027", "scope_id": province}, api=True),
        Case("/api/v1/targets/sets/{set_id}", "get", f"/api/v1/targets/sets/{s}",
             READ_COMMUNE, api=True),
        Case("/api/v1/targets/sets/{set_id}/template", "get",
             f"/api/v1/targets/sets/{s}/template", READ_COMMUNE, api=True),
        Case("/api/v1/exchange/uploads", "post", "/api/v1/exchange/uploads", PLAN_PROVINCE,
             {"file": template, "target_set": str(s)}, api=True, multipart=True),
        Case("/api/v1/targets/sets/{set_id}/targets", "post",
             f"/api/v1/targets/sets/{s}/targets", PLAN_PROVINCE,
             {"indicator": "jobs_created", "org_unit_id": sibling, "period": "2026",
              "comparison": "at_least", "value": "400"}, api=True),
        Case("/api/v1/targets/targets/{target_id}", "get", f"/api/v1/targets/targets/{t}",
             READ_PROVINCE, api=True),
        Case("/api/v1/targets/targets/{target_id}", "put", f"/api/v1/targets/targets/{t}",
             PLAN_PROVINCE_TARGET, {"comparison": "at_least", "value": "1200"}, api=True),
        Case("/api/v1/targets/targets/{target_id}", "delete", f"/api/v1/targets/targets/{t}",
             PLAN_PROVINCE_TARGET, api=True),
        Case("/api/v1/targets/targets/{target_id}/allocation", "get",
             f"/api/v1/targets/targets/{t}/allocation", PLAN_PROVINCE_TARGET, api=True),
        Case("/api/v1/targets/targets/{target_id}/allocation", "post",
             f"/api/v1/targets/targets/{t}/allocation", PLAN_PROVINCE_TARGET, api_shares,
             api=True),
    ]


def _periodic_report_cases(world) -> list[Case]:
    """Periodic reports (tiendo.reports): generating one reads the unit; the schedule shows
    each user the reporting units they read; reminders go out from the approving level."""
    from tiendo.indicators.models import Indicator
    from tiendo.plans.models import Target, TargetSet
    from tiendo.reports.models import ReportingSchedule
    from tiendo.reports.services import report_generate

    Target.objects.create(
        target_set=TargetSet.objects.create(name="KH 2026"), org_unit=world.province,
        indicator=Indicator.objects.get(code="jobs_created"), period="2026",
        comparison="at_least", value=D(100))
    report = report_generate(unit=world.province, period="2026", file_format="xlsx",
                             actor="test").pk
    schedule = ReportingSchedule.objects.create(
        name="Báo cáo tháng", data_set=world.data_set, root=world.province,
        unit_kind="commune", period_type="month").pk
    province = world.province.pk
    in_schedule = {**EVERYONE, "stranger": MISSING}
    remind = {**APPROVE_COMMUNE, "sibling": FORBIDDEN}
    api = "/api/v1/periodic-reports"
    return [
        Case("reports/", "get", "/reports/", EVERYONE),
        Case("reports/", "post", "/reports/", READ_PROVINCE,
             {"unit": province, "period": "2026", "format": "xlsx"}),
        Case("reports/<int:report_id>/", "get", f"/reports/{report}/", READ_PROVINCE),
        Case("reports/<int:report_id>/build/", "post", f"/reports/{report}/build/",
             READ_PROVINCE),
        Case("reports/<int:report_id>/status/", "get", f"/reports/{report}/status/",
             READ_PROVINCE),
        Case("reports/<int:report_id>/download/", "get", f"/reports/{report}/download/",
             READ_PROVINCE),
        Case("reports/schedules/", "get", "/reports/schedules/", EVERYONE),
        Case("reports/schedules/<int:schedule_id>/", "get",
             f"/reports/schedules/{schedule}/?period=202610", in_schedule),
        Case("reports/schedules/<int:schedule_id>/remind/", "post",
             f"/reports/schedules/{schedule}/remind/", remind, {"period": "202610"}),
        Case(f"{api}/", "post", f"{api}/", READ_PROVINCE,
             {"unit_id": province, "period": "2026", "format": "xlsx"}, api=True),
        Case(f"{api}/", "get", f"{api}/", EVERYONE, api=True),
        Case(f"{api}/{{report_id}}/file", "get", f"{api}/{report}/file", READ_PROVINCE,
             api=True),
        Case(f"{api}/schedules", "get", f"{api}/schedules", EVERYONE, api=True),
        Case(f"{api}/schedules/{{schedule_id}}/status", "get",
             f"{api}/schedules/{schedule}/status?period=202610", in_schedule, api=True),
        Case(f"{api}/schedules/{{schedule_id}}/remind", "post",
             f"{api}/schedules/{schedule}/remind?period=202610", remind, api=True),
    ]


def _outcome(response, case: Case) -> str:
    status = response.status_code
    if status in (401,) or (status == 302 and "/accounts/login/" in response["Location"]):
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return MISSING
    assert status < 400 or status == 422, (case.url, status, response.content[:300])
    return OK


def _request(client: Client, case: Case):
    if case.method == "get":
        return client.get(case.url)
    if case.api and not case.multipart:
        return getattr(client, case.method)(case.url, json.dumps(case.body),
                                            content_type="application/json")
    body = {key: (SimpleUploadedFile("file", value) if isinstance(value, bytes) else value)
            for key, value in case.body.items()}
    return client.post(case.url, body)


def _fingerprint():
    from tiendo.accounts.models import Membership
    from tiendo.assignments.models import Task
    from tiendo.plans.models import Target, TargetSet
    from tiendo.poverty.models import LocalStandard

    return (list(LocalStandard.objects.order_by("pk").values_list("code", "rural_line")),
            list(Membership.objects.order_by("pk").values_list("user__is_active", "role",
                                                                "org_unit")),
            list(DataValue.objects.values_list("value", "status", "version")),
            list(Submission.objects.values_list("status", "version")),
            list(Target.objects.order_by("pk").values_list("pk", "value")),
            TargetSet.objects.count(),
            list(Task.objects.order_by("pk").values_list("state", "progress_pct")))


def test_every_route_answers_each_role_exactly_as_the_matrix_says(setup):
    world, cases = setup
    wrong = []
    for case in cases:
        for role in ROLES:
            client = Client(enforce_csrf_checks=False)
            if role != "anonymous":
                client.force_login(world.users[role])
            if role == "anonymous":
                expected = OK if case.public else LOGIN
            else:
                expected = case.expected[role]
            before = _fingerprint()
            with transaction.atomic():
                outcome = _outcome(_request(client, case), case)
                after = _fingerprint()
                transaction.set_rollback(True)
            if outcome != expected:
                wrong.append(f"{case.method.upper()} {case.url} as {role}: {outcome}, "
                             f"expected {expected}")
            if outcome != OK and after != before:
                wrong.append(f"{case.method.upper()} {case.url} as {role} changed data")
    assert wrong == []


def test_a_bearer_token_acts_with_its_users_scope(setup):
    from tiendo.accounts.services import apitoken_create

    world, _cases = setup
    token = apitoken_create(user=world.users["sibling"])
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/me", **auth).json()["unit"]["code"] == "25480"
    assert client.get(f"/api/v1/units/{world.commune.pk}", **auth).status_code == 404
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_lists_hold_only_what_is_in_the_callers_scope(setup):
    world, _cases = setup
    client = Client()
    client.force_login(world.users["stranger"])
    assert client.get("/api/v1/submissions").json() == []
    client.force_login(world.users["officer"])
    assert len(client.get("/api/v1/submissions").json()) == 1


def test_the_session_api_checks_csrf_on_writes(setup):
    world, _cases = setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["specialist"])
    response = client.post("/api/v1/submissions/1/decision", json.dumps({"decision": "approve"}),
                           content_type="application/json")
    assert response.status_code in (401, 403)


def _page_routes(resolver=None, prefix="") -> set[str]:
    routes = set()
    for entry in (resolver or get_resolver()).url_patterns:
        # The language prefix of i18n_patterns ("en/" while tests run in English) is not
        # part of a route.
        pattern = "" if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith(("admin/", "i18n/", "api/")) or "admin" in pattern:
                continue
            routes |= _page_routes(entry, prefix + pattern)
        elif isinstance(entry, URLPattern):
            routes.add((prefix + pattern).removeprefix("^"))
    return routes


def test_no_page_or_api_operation_is_missing_from_the_matrix(setup):
    _world, cases = setup
    covered = {case.route for case in cases}
    # Log-in, log-out and choosing a password are for everyone by nature.
    pages = {route for route in _page_routes()
             if not route.startswith(("accounts/log", "accounts/password/"))}
    operations = set(api.get_openapi_schema()["paths"])
    assert (pages | operations) - covered == set()


POVERTY_STANDARD = {**READ_PROVINCE, "viewer": FORBIDDEN}


def _poverty_cases(world) -> list[Case]:
    """The poverty review (tiendo.poverty): a commune's review and its household list (personal
    data) for users whose scope covers the commune; importing for anyone who enters data
    somewhere (a commune outside the scope is a problem of the file)."""
    from tiendo.audit.services import Actor
    from tiendo.poverty.local import local_standard_save
    from tiendo.poverty.services import review_import
    from tiendo.poverty.tests.helpers import household_file

    rows = [{"household_id": "A1", "commune": "25459", "deprived": ["water", "sanitation",
                                                                    "telecom"]},
            {"household_id": "B1", "commune": "25480"}]
    review_import(data=household_file(rows), name="r.csv", actor=Actor.system("test"))
    upload = household_file([{"household_id": "A2", "commune": "25459"}])
    commune, province = world.commune.pk, world.province.pk
    api = "/api/v1/poverty"
    step = {"step": "meeting", "done_on": "2024-11-20", "result": "90%"}
    own = local_standard_save(province=world.province, code="TN-2026", name="Chuẩn Tây Ninh",
                              based_on="ND07-2021", first_year=2026, last_year=2026,
                              rural_line=1_600_000, urban_line=2_100_000,
                              actor=Actor.system("test")).pk
    standard = {"code": "TN-2025", "name": "Chuẩn 2025", "based_on": "ND07-2021",
                "first_year": "2025", "last_year": "2025", "rural_line": "1600000",
                "urban_line": "2100000"}
    standards = f"/poverty/standards/{province}"
    nobody = dict.fromkeys(ROLES[1:], MISSING)
    return [
        Case("poverty/", "get", "/poverty/", EVERYONE),
        Case("poverty/", "post", "/poverty/", ENTER_SOMEWHERE, {"file": upload}),
        Case("poverty/<int:unit_id>/<int:year>/", "get", f"/poverty/{commune}/2024/",
             READ_COMMUNE),
        Case("poverty/<int:unit_id>/<int:year>/", "get", f"/poverty/{province}/2024/",
             READ_PROVINCE),
        Case("poverty/<int:unit_id>/<int:year>/households/", "get",
             f"/poverty/{commune}/2024/households/", READ_COMMUNE),
        # Household lists are per commune: nobody gets one for a province.
        Case("poverty/<int:unit_id>/<int:year>/households/", "get",
             f"/poverty/{province}/2024/households/", nobody),
        Case("poverty/<int:unit_id>/<int:year>/steps/", "post", f"/poverty/{commune}/2024/steps/",
             ENTER_COMMUNE, step),
        # A province's own standards: read by whoever reads the province, entered by its
        # specialist and the administrators; a commune is not a province.
        Case("poverty/standards/<int:unit_id>/", "get", f"{standards}/", READ_PROVINCE),
        Case("poverty/standards/<int:unit_id>/", "get", f"/poverty/standards/{commune}/",
             nobody),
        Case("poverty/standards/<int:unit_id>/new/", "get", f"{standards}/new/",
             POVERTY_STANDARD),
        Case("poverty/standards/<int:unit_id>/new/", "post", f"{standards}/new/",
             POVERTY_STANDARD, standard),
        Case("poverty/standards/<int:unit_id>/<int:standard_id>/", "get",
             f"{standards}/{own}/", POVERTY_STANDARD),
        Case("poverty/standards/<int:unit_id>/<int:standard_id>/", "post",
             f"{standards}/{own}/", POVERTY_STANDARD,
             {**standard, "code": "TN-2026", "first_year": "2026", "last_year": "2026",
              "rural_line": "1700000"}),
        Case("poverty/standards/<int:unit_id>/<int:standard_id>/delete/", "post",
             f"{standards}/{own}/delete/", POVERTY_STANDARD),
        Case(f"{api}/standards", "get", f"{api}/standards?province={province}", READ_PROVINCE,
             api=True),
        Case(f"{api}/standards", "get", f"{api}/standards?province={commune}", nobody,
             api=True),
        Case(f"{api}/standards", "post", f"{api}/standards?province={province}",
             POVERTY_STANDARD, standard, api=True),
        Case(f"{api}/standards/{{standard_id}}", "put", f"{api}/standards/{own}",
             POVERTY_STANDARD, {**standard, "code": "TN-2026", "first_year": "2026",
                                "last_year": "2026", "rural_line": "1700000"}, api=True),
        Case(f"{api}/standards/{{standard_id}}", "delete", f"{api}/standards/{own}",
             POVERTY_STANDARD, api=True),
        Case(f"{api}/reviews/{{year}}", "get", f"{api}/reviews/2024?unit=25459", READ_COMMUNE,
             api=True),
        Case(f"{api}/reviews/{{year}}/households", "get",
             f"{api}/reviews/2024/households?unit=25459", READ_COMMUNE, api=True),
        Case(f"{api}/reviews/{{year}}/households", "get",
             f"{api}/reviews/2024/households?unit=80", nobody, api=True),
        Case(f"{api}/reviews", "post", f"{api}/reviews", ENTER_SOMEWHERE, {"file": upload},
             api=True, multipart=True),
        Case(f"{api}/reviews/{{year}}/steps", "post", f"{api}/reviews/2024/steps",
             ENTER_COMMUNE, {**step, "unit": "25459"}, api=True),
    ]
