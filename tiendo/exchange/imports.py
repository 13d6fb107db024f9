"""The one import pipeline: read → check → store, for values and for targets, whatever the
file (the readers are in `tiendo.exchange.readers`).

Values are checked by `datavalues_check` and stored by `datavalues_save`
(`tiendo.data.services`), targets by `targets_check` and `targets_save_many`
(`tiendo.plans`). `_import` is the one transaction and the one place that decides what
stays: nothing when any problem was found (every problem is listed, up to MAX_PROBLEMS),
nothing while warnings wait to be accepted, nothing on a dry run (the writes are made so
the checks that need the stored state run as in a real store, then undone).
"""

import dataclasses
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.data.services import (
    RawValue,
    UnitCheck,
    ValueChange,
    datavalues_check,
    datavalues_delete_named,
    datavalues_save,
)
from tiendo.errors import InvalidInput, Problem
from tiendo.exchange.readers import DHIS2_CSV, DHIS2_JSON, TARGETS_CSV, TASKS_CSV, detect_format
from tiendo.exchange.readers.dhis2 import dhis2_csv_values, dhis2_json_values
from tiendo.exchange.readers.targets import targets_csv_records
from tiendo.exchange.readers.text import clean
from tiendo.plans.checks import RawTarget, target_changes, targets_check
from tiendo.plans.models import TargetSet
from tiendo.plans.services import targets_save_many

MAX_PROBLEMS = 1000  # a broken million-row file should not produce a million messages


@dataclass(frozen=True, slots=True)
class ImportResult:
    format: str
    created: int
    updated: int
    unchanged: int
    rows: int
    stored: bool = False
    needs_acceptance: bool = False  # warnings were found and not accepted
    deleted: int = 0  # values an exchange file marked deleted, and deleted


def problems_capped(problems: list[Problem]) -> list[Problem]:
    """The problems in file order, the first MAX_PROBLEMS of them, and then a line saying
    the list was cut: enough to fix a file by, without a million-line answer."""
    ordered = sorted(problems, key=lambda p: (p.sheet, p.line if p.line is not None else 0))
    if len(ordered) <= MAX_PROBLEMS:
        return ordered
    return [*ordered[:MAX_PROBLEMS],
            Problem(_("only the first %(count)s problems are listed; fix them and check the "
                      "file again") % {"count": MAX_PROBLEMS})]


class _Counted:
    """The rows of a reader, counted as they go by."""

    def __init__(self, rows: Iterable) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator:
        for row in self.rows:
            self.count += 1
            yield row


def _import(
    *, fmt: str, store: Callable[[], tuple[int, int, int]], rows: _Counted,
    problems: list[Problem], warnings: list[Problem] | None, dry_run: bool,
    accept_warnings: bool,
) -> ImportResult:
    """Run `store` (which reads, checks and writes, returning created, updated and
    unchanged) in the import's one transaction and decide, here only, whether it stays."""
    with transaction.atomic():
        counts = (0, 0, 0)
        try:
            counts = store()
        except InvalidInput as error:
            problems.extend(error.problems)
        if problems:
            raise InvalidInput(problems_capped(problems))
        needs_acceptance = bool(warnings) and not accept_warnings
        stored = not dry_run and not needs_acceptance
        if not stored:
            transaction.set_rollback(True)
    return ImportResult(fmt, *counts, rows.count, stored, needs_acceptance)


def values_import(
    *, fmt: str, rows: Iterable[RawValue], actor: str, user=None, dry_run: bool = False,
    source: str = "", changes: list[ValueChange] | None = None,
    problems: list[Problem] | None = None, warnings: list[Problem] | None = None,
    accept_warnings: bool = False, unit_check: UnitCheck | None = None,
) -> ImportResult:
    """Check and store values given by code, all or nothing; `rows` may be a generator and
    is read once, a chunk at a time. `unit_check` may refuse a unit (the faces pass the
    user's scope). `problems` and `warnings` may be shared with the reader of `rows`, which
    reports there what only it can see (a formula in a cell, a number typed as text)."""
    problems = [] if problems is None else problems
    counted = _Counted(rows)
    deleted_lines: set[int] = set()
    deletions: list = []

    def marked(rows: Iterable[RawValue]) -> Iterator[RawValue]:
        for row in rows:
            if row.deleted:
                deleted_lines.add(row.line)
            yield row

    def kept(items: Iterable) -> Iterator:
        for item in items:
            if item.line in deleted_lines:
                deletions.append(item)
            else:
                yield item

    checked = datavalues_check(rows=marked(counted), unit_check=unit_check, problems=problems)
    deleted = 0

    def store() -> tuple[int, int, int]:
        nonlocal deleted
        saved = datavalues_save(values=kept(checked), actor=actor, user=user, source=source,
                                changes=changes)
        if deletions and not problems:
            deleted = datavalues_delete_named(values=deletions, actor=actor, user=user,
                                              changes=changes, reason=_("deleted by an import"))
        return saved.created, saved.updated, saved.unchanged

    try:
        result = _import(fmt=fmt, store=store, rows=counted, problems=problems,
                         warnings=warnings, dry_run=dry_run, accept_warnings=accept_warnings)
    finally:
        checked.close()
    return dataclasses.replace(result, deleted=deleted)


def targets_import(
    *, records: Iterable[RawTarget], actor: str, user, dry_run: bool,
    target_set: TargetSet | None = None, fmt: str = TARGETS_CSV,
    names: dict[str, str] | None = None, sheet: str = "",
    changes: list[ValueChange] | None = None, problems: list[Problem] | None = None,
    warnings: list[Problem] | None = None, accept_warnings: bool = False,
) -> ImportResult:
    """Check and store targets, all or nothing (see `targets_check` for `target_set`,
    `names` and `sheet`); `problems` and `warnings` as for `values_import`."""
    counted = _Counted(records)

    def store() -> tuple[int, int, int]:
        pending = targets_check(records=list(counted), user=user, target_set=target_set,
                                names=names, sheet=sheet)
        outcomes: list[tuple[str, dict | None]] = []
        targets_save_many(rows=pending, actor=actor, user=user, outcomes=outcomes)
        if changes is not None:
            changes.extend(target_changes(rows=pending, outcomes=outcomes))
        kinds = [kind for kind, _old in outcomes]
        return kinds.count("created"), kinds.count("updated"), kinds.count("unchanged")

    return _import(fmt=fmt, store=store, rows=counted,
                   problems=[] if problems is None else problems, warnings=warnings,
                   dry_run=dry_run, accept_warnings=accept_warnings)


def tasks_import(
    *, records: list, actor: str, user, dry_run: bool, fmt: str = TASKS_CSV,
    sheet: str = "",
) -> ImportResult:
    """Check and store a task list (`tiendo.assignments`), all or nothing."""
    from tiendo.assignments.services import tasks_check, tasks_save
    from tiendo.audit.services import Actor

    counted = _Counted(records)

    def store() -> tuple[int, int, int]:
        pending = tasks_check(records=list(counted), user=user, sheet=sheet)
        created = tasks_save(pending=pending, actor=Actor(name=actor, user=user), user=user,
                             via="import")
        return len(created), 0, 0

    return _import(fmt=fmt, store=store, rows=counted, problems=[], warnings=None,
                   dry_run=dry_run, accept_warnings=False)


def import_text(
    *, text: str, actor: str, user=None, dry_run: bool = False, source: str = "",
    changes: list[ValueChange] | None = None, unit_check: UnitCheck | None = None,
) -> ImportResult:
    """Import `text` in whichever text format it is (DHIS2 JSON or CSV, targets CSV); raises
    InvalidInput if anything is wrong, in which case nothing is written. With `dry_run`,
    only counts."""
    fmt = detect_format(text)
    text = clean(text)
    if fmt == TARGETS_CSV:
        return targets_import(records=targets_csv_records(text), actor=actor, user=user,
                              dry_run=dry_run, changes=changes)
    if fmt == TASKS_CSV:
        from tiendo.assignments.readers import tasks_csv_records

        return tasks_import(records=tasks_csv_records(text), actor=actor, user=user,
                            dry_run=dry_run)
    problems: list[Problem] = []
    rows = (dhis2_json_values(text, problems) if fmt == DHIS2_JSON
            else dhis2_csv_values(io.StringIO(text), problems))
    return values_import(fmt=fmt, rows=rows, actor=actor, user=user, dry_run=dry_run,
                         source=source, changes=changes, unit_check=unit_check,
                         problems=problems)


def import_stream(
    *, stream: TextIO, actor: str, user=None, dry_run: bool = False, source: str = "",
    changes: list[ValueChange] | None = None, unit_check: UnitCheck | None = None,
) -> ImportResult:
    """Like `import_text`, reading a text stream: a DHIS2 CSV is read row by row and never
    held whole in memory; JSON and targets CSVs are small and read at once."""
    head = stream.read(64 * 1024)
    head += stream.readline()  # end on a line boundary: the rest follows line by line
    first_line = head.lstrip("\ufeff").split("\n", 1)[0]
    if head.lstrip("\ufeff").strip() and not head.lstrip("\ufeff").lstrip().startswith(("{", "[")):
        if detect_format(first_line) == DHIS2_CSV:
            lines = itertools.chain(io.StringIO(head.lstrip("\ufeff")), stream)
            problems: list[Problem] = []
            return values_import(fmt=DHIS2_CSV, rows=dhis2_csv_values(lines, problems),
                                 actor=actor, user=user, dry_run=dry_run, source=source,
                                 changes=changes, unit_check=unit_check, problems=problems)
    return import_text(text=head + stream.read(), actor=actor, user=user, dry_run=dry_run,
                       source=source, changes=changes, unit_check=unit_check)
