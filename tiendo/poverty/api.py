"""Poverty review API: a unit's review, a commune's households (scoped, audited), importing
a household file, recording a commune's step, a province's own standards. Same rules and
scope as the pages."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.audit.services import Actor
from tiendo.errors import Forbidden, InvalidInput, Problem
from tiendo.language import current_lang
from tiendo.poverty.files import national_standards
from tiendo.poverty.local import (
    local_standard_delete,
    local_standard_for,
    local_standard_save,
    local_standard_uses,
    local_standards,
    standards_province,
)
from tiendo.poverty.selectors import households_list, review_unit, review_view
from tiendo.poverty.services import review_import, review_step_record

router = Router(tags=["poverty"])


class PovertyCountsOut(Schema):
    households: int
    poor: int
    near_poor: int
    middle_income: int
    poverty_rate: Decimal | None
    near_poverty_rate: Decimal | None
    communes: int
    communes_total: int  # on the map of the review year: communes < this is partial
    finished: int
    start: int
    new: int
    fell_in: int
    left: int
    gone: int


class PovertyRowOut(Schema):
    unit: str
    name: str
    counts: PovertyCountsOut


class PovertyPrevalenceOut(Schema):
    code: str
    label: str
    households: int
    rate: Decimal | None


class PovertyStepOut(Schema):
    commune: str
    meeting: datetime.date | None
    recognition: datetime.date | None
    finished: bool


class PovertyReviewOut(Schema):
    unit: str
    name: str
    year: int
    standard: str | None
    total: PovertyCountsOut
    rows: list[PovertyRowOut]
    deprivations: list[PovertyPrevalenceOut]
    steps: list[PovertyStepOut]
    has_previous: bool


def _counts(c) -> dict:
    return {**{k: getattr(c, k) for k in ("households", "poor", "near_poor", "middle_income",
                                          "communes", "communes_total", "finished", "start",
                                          "new", "fell_in", "left", "gone")},
            "poverty_rate": c.poverty_rate, "near_poverty_rate": c.near_poverty_rate}


@router.get("/reviews/{year}", response=PovertyReviewOut)
def review(request, year: int, unit: str):
    """The review of the unit with code `unit` (on the map of the review year) for `year`,
    added up over its communes, with a row per unit directly below."""
    found = review_unit(request.auth, unit, year)
    view = review_view(user=request.auth, unit=found, year=year, lang=current_lang())
    return {
        "unit": found.code, "name": found.name, "year": year,
        "standard": view.standard.code if view.standard else None,
        "total": _counts(view.total),
        "rows": [{"unit": r.unit.code, "name": r.unit.name, "counts": _counts(r.counts)}
                 for r in view.rows],
        "deprivations": [p.__dict__ for p in view.prevalence],
        "steps": [{"commune": s.commune.code,
                   "meeting": s.meeting.done_on if s.meeting else None,
                   "recognition": s.recognition.done_on if s.recognition else None,
                   "finished": s.finished} for s in view.steps],
        "has_previous": view.has_previous,
    }


class PovertyHouseholdOut(Schema):
    household_id: str
    name: str
    area: str
    members: int
    income: int
    classification: str
    deprivation_count: int
    deprivations: str
    explanation: str


class PovertyHouseholdsOut(Schema):
    total: int
    offset: int
    households: list[PovertyHouseholdOut]


@router.get("/reviews/{year}/households", response=PovertyHouseholdsOut)
def households(request, year: int, unit: str, offset: int = 0, limit: int = 500):
    """A commune's households with the explanation of each (personal data: only for a user
    whose scope covers the commune; every access is recorded)."""
    found = review_unit(request.auth, unit, year)
    total, rows = households_list(user=request.auth, unit=found, year=year,
                                  lang=current_lang(), via="api", offset=max(offset, 0),
                                  limit=min(max(limit, 1), 5000))
    return {"total": total, "offset": offset, "households": [r.__dict__ for r in rows]}


class PovertyImportOut(Schema):
    year: int | None
    households: int
    communes: int
    replaced: int
    stored: bool


@router.post("/reviews", response=PovertyImportOut)
def import_review(request, file: UploadedFile = File(...),  # noqa: B008
                  year: int | None = Form(None)):  # noqa: B008
    """Store a household file (CSV or .xlsx, one review year): all of it, or 422 with every
    problem (line and column). A commune's review already stored for the year is replaced."""
    user = request.auth
    if not user_scope(user).allows(Action.ENTER):
        raise Forbidden(_("your role does not allow entering data"))
    outcome = review_import(data=file.read(), name=file.name or "upload.csv",
                            actor=Actor.of(user, via="api"), year=year)
    return {"year": outcome.year, "households": outcome.households,
            "communes": outcome.communes, "replaced": outcome.replaced,
            "stored": outcome.stored}


class PovertyStepIn(Schema):
    unit: str
    step: str
    done_on: datetime.date
    result: str = ""


@router.post("/reviews/{year}/steps", response=PovertyStepOut)
def step(request, year: int, payload: PovertyStepIn):
    """Record a step of a commune's review (meeting, posted, recognition) with its date and
    result."""
    found = review_unit(request.auth, payload.unit, year)
    commune = orgunit_for(request.auth, found.pk, Action.ENTER)
    if commune.kind != "commune":
        raise InvalidInput([Problem(_("steps are recorded per commune"), field="unit",
                                    value=payload.unit)])
    record = review_step_record(commune=commune, year=year, step=payload.step,
                                done_on=payload.done_on, result=payload.result[:255],
                                actor=Actor.of(request.auth, via="api"))
    return {"commune": commune.code, "meeting": record.done_on if record.step == "meeting"
            else None, "recognition": record.done_on if record.step == "recognition" else None,
            "finished": False}


class PovertyStandardIn(Schema):
    code: str
    name: str
    based_on: str  # the national standard whose indicators it uses, e.g. ND07-2021
    first_year: int
    last_year: int
    rural_line: int  # đồng per person per month
    urban_line: int
    rural_middle: int | None = None  # the middle band's upper ends: both or neither
    urban_middle: int | None = None


class PovertyStandardOut(PovertyStandardIn):
    id: int | None  # None for a national standard
    local: bool
    uses: int  # communes' reviews classified with it (a local one used is fixed but its name)


def _standard_out(standard, local: bool) -> dict:
    fields = {f: getattr(standard, f) for f in ("code", "first_year", "last_year",
                                                "rural_line", "urban_line")}
    if local:
        return {**fields, "id": standard.pk, "local": True, "name": standard.name,
                "based_on": standard.based_on, "rural_middle": standard.rural_middle,
                "urban_middle": standard.urban_middle, "uses": local_standard_uses(standard)}
    return {**fields, "id": None, "local": False, "name": standard.name(current_lang()),
            "based_on": standard.code, "rural_middle": standard.rural_middle,
            "urban_middle": standard.urban_middle, "uses": 0}


@router.get("/standards", response=list[PovertyStandardOut])
def standards(request, province: int):
    """The national standards and the province's own (by the province's unit id), oldest
    first; a province's own replaces the national lines for its years."""
    found = standards_province(request.auth, province, Action.READ)
    return ([_standard_out(s, False) for s in national_standards()]
            + [_standard_out(s, True) for s in local_standards(found)])


@router.post("/standards", response={201: PovertyStandardOut})
def create_standard(request, province: int, payload: PovertyStandardIn):
    """A province's own higher standard; 422 with every problem (a line below the national
    one, years outside the national standard's or overlapping another of the province's…)."""
    found = standards_province(request.auth, province, Action.PLAN)
    record = local_standard_save(province=found, **payload.model_dump(),
                                 actor=Actor.of(request.auth, via="api"))
    return Status(201, _standard_out(record, True))


@router.put("/standards/{standard_id}", response=PovertyStandardOut)
def update_standard(request, standard_id: int, payload: PovertyStandardIn):
    """Change a province's own standard; once reviews were classified with it only its name
    may change."""
    standard = local_standard_for(request.auth, standard_id)
    record = local_standard_save(province=standard.province, **payload.model_dump(),
                                 actor=Actor.of(request.auth, via="api"), standard=standard)
    return _standard_out(record, True)


@router.delete("/standards/{standard_id}", response={204: None})
def delete_standard(request, standard_id: int):
    """Remove a province's own standard no review was classified with (422 otherwise)."""
    standard = local_standard_for(request.auth, standard_id)
    local_standard_delete(standard=standard, actor=Actor.of(request.auth, via="api"))
    return Status(204, None)
