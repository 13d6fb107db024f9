"""Exchange API: the Excel form of a unit, period and data set; uploads checked (and stored);
exports of stored values as DHIS2 JSON or CSV, or ADX. Same rules and scope as the pages."""

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from tiendo.accounts.access import Action, user_scope
from tiendo.errors import Forbidden, InvalidInput, Problem
from tiendo.exchange import exports
from tiendo.exchange.selectors import choice_resolve
from tiendo.exchange.services import mapping_confirm, outcome_report, upload_import
from tiendo.exchange.template import Expected
from tiendo.plans.selectors import targetset_for
from tiendo.web.responses import attachment

router = Router(tags=["exchange"])


@router.get("/template", response={200: None})
def template(request, data_set: str, unit: str, period: str):
    """The .xlsx form of `data_set` for the unit with code `unit` in `period`, filled with
    what is stored now."""
    choice = choice_resolve(user=request.auth, unit=unit, period=period, data_set=data_set,
                            required=("unit", "period", "data_set"))
    content, filename = exports.template_file(choice)
    return attachment(HttpResponse(content, content_type=exports.XLSX_TYPE), filename)


@router.get("/values", response={200: None})
def values(request, unit: str, period: str, format: str = "dhis2-json",  # noqa: A002
           data_set: str = ""):
    """Stored values of the unit and the units below it within `period` (only those in the
    caller's scope): `format` dhis2-json, dhis2-csv or adx."""
    choice = choice_resolve(user=request.auth, unit=unit, period=period, data_set=data_set,
                            required=("unit", "period"))
    chunks, content_type, filename = exports.values_file(
        choice, fmt=format, scope=user_scope(request.auth))
    return attachment(StreamingHttpResponse(chunks, content_type=content_type), filename)


class ProblemOut(Schema):
    message: str
    line: int | None
    field: str
    value: str
    sheet: str


class ChangeOut(Schema):
    kind: str
    key: str
    label: str = ""  # the key in names, in the request's language
    old: str | None
    new: str | None  # None: the value was deleted
    line: int | None


class CountsOut(Schema):
    created: int
    updated: int
    unchanged: int
    rows: int
    deleted: int = 0


class UploadOut(Schema):
    kind: str
    counts: CountsOut | None
    changes: list[ChangeOut]
    warnings: list[ProblemOut]
    stored: bool
    needs_acceptance: bool
    about: dict
    proposal: dict | None


def _mapping_json(text: str) -> tuple[dict[int, str], dict[int, str]]:
    try:
        sent = json.loads(text)
        return ({int(k): str(v).strip() for k, v in (sent.get("rows") or {}).items()},
                {int(k): str(v).strip() for k, v in (sent.get("columns") or {}).items()})
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput([Problem(
            _('the mapping must be a JSON object {"rows": {row: code}, "columns": {column: '
              'unit code}}'), field="mapping")]) from None


@router.post("/uploads", response=UploadOut)
def upload(
    request, file: UploadedFile = File(...), store: bool = Form(False),  # noqa: B008
    accept_warnings: bool = Form(False), unit: str = Form(""), period: str = Form(""),  # noqa: B008
    data_set: str = Form(""), accept_other: bool = Form(False),  # noqa: B008
    target_set: int | None = Form(None),  # noqa: B008
    mapping: str = Form(""),  # noqa: B008
):
    """Check a file (Excel form, Excel template of a target set, DHIS2-style sheet, DHIS2
    JSON/CSV, ADX, targets CSV) and, with `store`, keep its values or targets: all or
    nothing, 422 with every problem otherwise. Without `accept_warnings`, a file with
    warnings is only checked. `target_set` (an id) makes sure a targets template is of that
    set. An own table (free-form sheet, with `period`) gives a proposal of its mapping;
    send it again with `mapping`, a JSON object {"rows": {"6": "jobs_created", ...},
    "columns": {"4": "80", ...}} of the confirmed codes by row and column number (a label
    left out is skipped), to check and store it; confirmed labels are remembered."""
    user = request.auth
    if not user_scope(user).allows(Action.ENTER):
        raise Forbidden(_("your role does not allow entering data"))
    choice = choice_resolve(user=user, unit=unit, period=period, data_set=data_set,
                            action=Action.ENTER)
    expected_set = None if target_set is None else targetset_for(user, target_set,
                                                                 Action.PLAN)
    expected = Expected(data_set=choice.data_set, unit=choice.unit, period=choice.period,
                        accept_other=accept_other, target_set=expected_set)
    confirmed = None
    if mapping:
        rows, columns = _mapping_json(mapping)
        confirmed = mapping_confirm(stream=file.file, user=user, expected=expected,
                                    rows=rows, columns=columns)
    outcome = upload_import(
        stream=file.file, filename=file.name or "upload", user=user,
        actor=f"api:{user.get_username()}", store=store, accept_warnings=accept_warnings,
        expected=expected, mapping=confirmed)
    return outcome_report(outcome)
