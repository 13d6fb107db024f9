"""A report as a person types it: every problem of the form at once (number format, whole
numbers, rate range, parts against the total), a draft that keeps whatever was typed, and
a submission that needs a clean form.

What cannot be a value ("1a", a rate of 150) is kept as the draft's text (`DraftText`),
never as a value: the cell's stored value, if any, stays as it was until it is corrected.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.audit.services import Actor, Change, audit_records
from tiendo.data.models import DraftText
from tiendo.data.services import (
    EntryInput,
    SaveResult,
    ValueInput,
    datavalues_enter,
    value_problems,
)
from tiendo.data.submissions import submission_submit
from tiendo.errors import InvalidInput, Problem
from tiendo.lib.numbers import NumberParseError, parse_typed, plain_number


@dataclass(frozen=True, slots=True)
class Typed:
    """One cell as posted: the text in the value box, the estimate box and the comment, and
    the version of the stored value the person saw."""

    text: str
    estimate: bool = False
    comment: str = ""
    seen_version: int = 0


@dataclass(slots=True)
class Checked:
    """The form read: each cell's value (None when empty or unreadable) and its problems,
    by the cell's key; `blocking` are those a draft keeps as text."""

    values: dict[str, Decimal | None]
    problems: dict[str, list[Problem]]
    blocking: set[str]

    @property
    def all(self) -> list[Problem]:
        return [p for found in self.problems.values() for p in found]


def drafts_of(form) -> dict[str, str]:
    """The draft texts of a report's cells, by the cell's key."""
    keys = {(cell.element.pk, cell.part): cell.key for cell in form.cells}
    rows = DraftText.objects.filter(org_unit=form.unit, period=form.period.code,
                                    data_element__in=[e for e, _cells in form.groups])
    return {keys[(r.data_element_id, r.part)]: r.text for r in rows
            if (r.data_element_id, r.part) in keys}


def report_check(*, form, texts: Mapping[str, str], lang: str) -> Checked:
    """Every problem of the form as typed (`texts` by cell key; a cell not in it keeps its
    stored value), each beside its cell."""
    values: dict[str, Decimal | None] = {}
    problems: dict[str, list[Problem]] = {}
    blocking: set[str] = set()
    for line, cell in enumerate(form.cells):
        if cell.key not in texts:
            values[cell.key] = cell.stored.value if cell.stored else None
            continue
        text = texts[cell.key].strip()
        found: list[Problem] = []
        value = None
        if not text:
            if cell.stored and not cell.locked:
                found.append(Problem(_("a stored value cannot be emptied; type 0 if that is "
                                       "the figure"), line, "value", ""))
        else:
            try:
                value = parse_typed(text, lang)
            except NumberParseError:
                found.append(Problem(_("not a number: write it as 15.500 or 12,5"), line,
                                     "value", text))
            else:
                found.extend(value_problems(ValueInput(
                    element=cell.element, org_unit=form.unit, period=form.period, value=value,
                    part=cell.part, line=line)))
                if found:
                    value = None
        values[cell.key] = value
        if found:
            problems[cell.key] = found
            blocking.add(cell.key)
    for _element, cells in form.groups:
        total, parts = cells[0], cells[1:]
        if not parts or any(c.key in blocking for c in cells):
            continue
        given = [values[c.key] for c in parts if values[c.key] is not None]
        whole = values[total.key]
        if whole is None or not given or sum(given, Decimal(0)) == whole:
            continue
        line = form.cells.index(total)
        problems.setdefault(total.key, []).append(Problem(
            _("the parts add up to %(parts)s but the total is %(total)s") % {
                "parts": plain_number(sum(given, Decimal(0))), "total": plain_number(whole)},
            line, "value", plain_number(whole)))
    return Checked(values, problems, blocking)


def report_save(*, form, typed: Mapping[str, Typed], submit: bool, lang: str, actor: str,
                user=None) -> tuple[SaveResult, Checked]:
    """Store what was typed into a report. A draft keeps everything: the valid values as
    values, the rest as draft text, and comes back with the problems still to fix. To
    submit, the form must be clean: otherwise InvalidInput with every problem, and nothing
    is written."""
    open_cells = [cell for cell in form.cells if not cell.locked and cell.key in typed]
    checked = report_check(form=form, texts={c.key: typed[c.key].text for c in open_cells},
                           lang=lang)
    if submit and checked.problems:
        raise InvalidInput(checked.all)
    entries, keep = [], {}
    for cell in open_cells:
        posted = typed[cell.key]
        if cell.key in checked.blocking:
            keep[cell.key] = (cell, posted.text.strip())
            continue
        value = checked.values[cell.key]
        stored = cell.stored
        comment = posted.comment.strip()
        if value is None and not stored:
            continue
        if (stored and value == stored.value and posted.estimate == stored.estimate
                and comment == stored.comment and posted.seen_version == stored.version):
            continue  # untouched: leaves the value (and its version) alone
        entries.append(EntryInput(cell.element, cell.part, value, posted.estimate, comment,
                                  posted.seen_version, form.cells.index(cell)))
    with transaction.atomic():
        result = datavalues_enter(org_unit=form.unit, period=form.period, entries=entries,
                                  actor=actor, user=user, check_parts=submit)
        _drafts_keep(form=form, keep={} if submit else keep, actor=actor, user=user)
        if submit:
            submission_submit(data_set=form.data_set, org_unit=form.unit, period=form.period,
                              actor=actor, user=user)
    return result, checked


def _drafts_keep(*, form, keep: dict, actor: str, user) -> None:
    """Make the report's draft texts exactly `keep` (cell key → (cell, text)), audited."""
    current = {(r.data_element_id, r.part): r for r in DraftText.objects.filter(
        org_unit=form.unit, period=form.period.code,
        data_element__in=[e for e, _cells in form.groups]).select_related("data_element")}
    wanted = {(cell.element.pk, cell.part): (cell, text) for cell, text in keep.values()}
    changes = []
    for key, row in current.items():
        if key not in wanted:
            changes.append(Change(entity_id=row.pk, key=_key(form, row.data_element.code,
                                                             row.part), old={"text": row.text}))
            row.delete()
    for key, (cell, text) in wanted.items():
        row = current.get(key)
        if row is not None and row.text == text:
            continue
        if row is None:
            row = DraftText.objects.create(data_element=cell.element, part=cell.part,
                                           org_unit=form.unit, period=form.period.code,
                                           text=text, updated_by=user)
        else:
            old = row.text
            row.text, row.updated_by = text, user
            row.save(update_fields=["text", "updated_by", "updated_at"])
        changes.append(Change(entity_id=row.pk, key=_key(form, cell.element.code, cell.part),
                              old=None if key not in current else {"text": old},
                              new={"text": text}))
    if changes:
        audit_records(actor=Actor(name=actor, user=user), action="draft", entity="drafttext",
                      changes=changes)


def _key(form, element_code: str, part: str) -> str:
    part = f"[{part}]" if part else ""
    return f"{element_code}{part} {form.unit.code} {form.period.code}"
