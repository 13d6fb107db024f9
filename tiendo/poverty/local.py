"""A province's own higher poverty standard (chuẩn nghèo riêng của tỉnh): its income lines
replace the national ones for the years it gives, on the indicators of the national
standard it builds on. Writes go through `local_standard_save` and `local_standard_delete`,
audited."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, orgunit_for
from tiendo.audit.services import Actor, audit_record
from tiendo.errors import InvalidInput, NotFound, Problem, text_problems
from tiendo.lib.numbers import format_number
from tiendo.org.models import OrgUnit
from tiendo.poverty.files import national_standards
from tiendo.poverty.models import LocalStandard, Review

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
FIELDS = ("code", "name", "based_on", "first_year", "last_year", "rural_line", "urban_line",
          "rural_middle", "urban_middle")
# What may change on a standard that reviews were already classified with: only its name
# (the stored classes were worked out on its lines and years).
FIXED_ONCE_USED = tuple(f for f in FIELDS if f != "name")


def standards_province(user, unit_id: int, action: Action) -> OrgUnit:
    """The province whose standards the user reads (READ) or edits (PLAN); NotFound for a
    unit that is not a province."""
    unit = orgunit_for(user, unit_id, action)
    if unit.kind != OrgUnit.Kind.PROVINCE:
        raise NotFound(_("local standards belong to a province"))
    return unit


def local_standards(province: OrgUnit) -> list[LocalStandard]:
    return list(LocalStandard.objects.filter(province=province).order_by("first_year", "code"))


def local_standard_of(province: OrgUnit, standard_id: int) -> LocalStandard:
    """The province's standard with this id; NotFound for another province's."""
    standard = LocalStandard.objects.filter(pk=standard_id, province=province).first()
    if standard is None:
        raise NotFound(_("no such standard"))
    return standard


def local_standard_for(user, standard_id: int) -> LocalStandard:
    """A province's own standard the user may edit (the API's way in, by id alone);
    NotFound where they may not see it, Forbidden where they may only read it."""
    standard = LocalStandard.objects.filter(pk=standard_id).first()
    if standard is None:
        raise NotFound(_("no such standard"))
    standards_province(user, standard.province_id, Action.PLAN)
    return standard


def local_standard_uses(standard: LocalStandard) -> int:
    """How many communes' reviews were classified with this standard."""
    return Review.objects.filter(standard=standard.code).count()


def _money(value: int) -> str:
    return format_number(value, 0, "vi") + " đ"


def _problems(*, province: OrgUnit, standard: LocalStandard | None, fields: dict
              ) -> list[Problem]:
    problems = text_problems({"code": fields["code"], "name": fields["name"]})
    if problems:
        return problems
    if province.kind != OrgUnit.Kind.PROVINCE:
        problems.append(Problem(_("a local standard belongs to a province"), field="province"))
    code = fields["code"]
    national = {s.code: s for s in national_standards()}
    if not code or len(code) > 32 or not CODE.fullmatch(code):
        problems.append(Problem(_("a code of up to 32 letters, digits, dots, dashes or "
                                  "underscores, e.g. TN-2026"), field="code", value=code))
    elif code in national or LocalStandard.objects.filter(code=code).exclude(
            pk=standard.pk if standard else None).exists():
        problems.append(Problem(_("this code is already used by another standard"),
                                field="code", value=code))
    if not fields["name"].strip() or len(fields["name"]) > 255:
        problems.append(Problem(_("a name of up to 255 characters is required"), field="name"))
    base = national.get(fields["based_on"])
    if base is None:
        problems.append(Problem(_("choose the national standard it builds on"),
                                field="based_on", value=fields["based_on"]))
    first, last = fields["first_year"], fields["last_year"]
    if first > last:
        problems.append(Problem(_("the first year is after the last"), field="first_year"))
    elif base is not None and not (base.first_year <= first and last <= base.last_year):
        problems.append(Problem(
            _("the years must lie within those of %(code)s (%(first)s–%(last)s)") % {
                "code": base.code, "first": base.first_year, "last": base.last_year},
            field="first_year"))
    else:
        overlapping = (LocalStandard.objects.filter(province=province, first_year__lte=last,
                                                    last_year__gte=first)
                       .exclude(pk=standard.pk if standard else None).first())
        if overlapping is not None:
            problems.append(Problem(
                _("the years overlap those of %(code)s (%(first)s–%(last)s): a province has "
                  "one standard per year") % {"code": overlapping.code,
                                              "first": overlapping.first_year,
                                              "last": overlapping.last_year},
                field="first_year"))
    if base is not None:
        for area, national_line in (("rural", base.rural_line), ("urban", base.urban_line)):
            if fields[f"{area}_line"] < national_line:
                problems.append(Problem(
                    _("may not be below the national line of %(line)s") % {
                        "line": _money(national_line)}, field=f"{area}_line"))
    middles = (fields["rural_middle"], fields["urban_middle"])
    if (middles[0] is None) != (middles[1] is None):
        problems.append(Problem(_("give both ends of the middle band (rural and urban) or "
                                  "neither"), field="rural_middle"))
    elif middles[0] is not None:
        for area in ("rural", "urban"):
            middle, line = fields[f"{area}_middle"], fields[f"{area}_line"]
            national_middle = base.middle(area == "urban") if base is not None else None
            if middle <= line:
                problems.append(Problem(_("must be above the poverty line of %(line)s") % {
                    "line": _money(line)}, field=f"{area}_middle"))
            elif national_middle is not None and middle < national_middle:
                problems.append(Problem(
                    _("may not be below the national middle band's %(line)s") % {
                        "line": _money(national_middle)}, field=f"{area}_middle"))
    if standard is not None and not problems:
        used = local_standard_uses(standard)
        changed = [f for f in FIXED_ONCE_USED if getattr(standard, f) != fields[f]]
        if used and changed:
            problems.append(Problem(
                _("%(count)s communes' reviews were classified with this standard: only its "
                  "name may change; make a new standard for other years") % {"count": used},
                field=changed[0]))
    return problems


def local_standard_save(*, province: OrgUnit, code: str, name: str, based_on: str,
                        first_year: int, last_year: int, rural_line: int, urban_line: int,
                        rural_middle: int | None = None, urban_middle: int | None = None,
                        actor: Actor, standard: LocalStandard | None = None) -> LocalStandard:
    """Create a province's own standard, or change `standard` (of that province). Its lines
    may not be below the national ones, its years lie within the national standard's and
    overlap no other standard of the province; audited."""
    fields = {"code": code.strip(), "name": name.strip(), "based_on": based_on,
              "first_year": first_year, "last_year": last_year, "rural_line": rural_line,
              "urban_line": urban_line, "rural_middle": rural_middle,
              "urban_middle": urban_middle}
    if standard is not None and standard.province_id != province.pk:
        raise InvalidInput([Problem(_("this standard belongs to another province"),
                                    field="province")])
    with transaction.atomic():
        # One province's standards are checked and changed one writer at a time, so two
        # overlapping standards cannot both pass the overlap check.
        OrgUnit.objects.select_for_update().filter(pk=province.pk).first()
        problems = _problems(province=province, standard=standard, fields=fields)
        if problems:
            raise InvalidInput(problems)
        if standard is None:
            record = LocalStandard.objects.create(province=province, **fields)
            audit_record(actor=actor, action="create", entity="poverty.standard",
                         entity_id=record.id, key=record.code, new=fields)
            return record
        old = {f: getattr(standard, f) for f in FIELDS}
        changed = {f: v for f, v in fields.items() if old[f] != v}
        if changed:
            for f, v in changed.items():
                setattr(standard, f, v)
            standard.save(update_fields=list(changed))
            audit_record(actor=actor, action="update", entity="poverty.standard",
                         entity_id=standard.id, key=standard.code,
                         old={f: old[f] for f in changed}, new=changed)
    return standard


def local_standard_delete(*, standard: LocalStandard, actor: Actor) -> None:
    """Remove a standard no review was classified with (one that was stays: the stored
    classes were worked out on its lines); audited."""
    with transaction.atomic():
        OrgUnit.objects.select_for_update().filter(pk=standard.province_id).first()
        used = local_standard_uses(standard)
        if used:
            raise InvalidInput([Problem(
                _("%(count)s communes' reviews were classified with this standard: it cannot "
                  "be removed") % {"count": used}, field="code", value=standard.code)])
        old = {f: getattr(standard, f) for f in FIELDS}
        audit_record(actor=actor, action="delete", entity="poverty.standard",
                     entity_id=standard.id, key=standard.code, old=old)
        standard.delete()
