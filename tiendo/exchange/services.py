"""Uploads: one entry for every file a user sends (Excel template, DHIS2-style sheet,
free-form sheet, DHIS2 JSON or CSV, ADX; targets as the Excel template of a target set or
a CSV), checked, dry-run or stored, all or nothing: read by `tiendo.exchange.readers`,
checked and stored by the pipeline in `tiendo.exchange.imports`.

The outcome says what the file is, what would change (new / changed / unchanged) and the
warnings to accept; problems raise `InvalidInput` with sheet, row, column, value found and
what was expected. Stored data is unchanged unless the whole file is right, the warnings are
accepted, and the user asked to store.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.access import user_scope
from tiendo.audit.services import Actor, Change, audit_record, audit_records
from tiendo.data.services import RawValue, ValueChange
from tiendo.errors import InvalidInput, Problem, TiendoError
from tiendo.exchange import files
from tiendo.exchange.freeform import (
    Proposal,
    freeform_propose,
    labelmappings_remember,
    mapping_labels,
)
from tiendo.exchange.imports import (
    ImportResult,
    import_stream,
    targets_import,
    tasks_import,
    values_import,
)
from tiendo.exchange.models import Upload
from tiendo.exchange.readers import (
    ADX,
    SHEET,
    TARGETS_TEMPLATE,
    TASKS_SHEET,
    TEMPLATE,
    detect_format,
)
from tiendo.exchange.readers.adx import DXF2_XML, xml_values
from tiendo.exchange.readers.freeform import freeform_values
from tiendo.exchange.readers.sheet import sheet_values
from tiendo.exchange.readers.targets import targets_template_records
from tiendo.exchange.readers.template import template_values
from tiendo.exchange.selectors import xml_vocabulary
from tiendo.exchange.targets_template import field_names as target_field_names
from tiendo.exchange.targets_template import targets_template_key
from tiendo.exchange.template import Expected, check_expected, template_key
from tiendo.lib.numbers import plain_number
from tiendo.lib.periods import Period, PeriodError, parse_period
from tiendo.lib.text import visible

Progress = Callable[[float], None]


@dataclass(slots=True)
class Outcome:
    kind: str
    result: ImportResult | None = None
    changes: list[ValueChange] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    stored: bool = False
    needs_acceptance: bool = False
    about: dict = field(default_factory=dict)
    proposal: Proposal | None = None


@dataclass(slots=True)
class Mapping:
    """A confirmed free-form mapping: row number → element code, column number → unit."""

    period: Period
    heading_row: int
    rows: dict[int, str]
    columns: dict[int, str]


def _progress_rows(rows: Iterable[RawValue], report: Callable[[], None] | None,
                   every: int = 2000) -> Iterator[RawValue]:
    for count, row in enumerate(rows, start=1):
        if report is not None and count % every == 0:
            report()
        yield row


def upload_limits_check(*, stream: BinaryIO) -> int:
    """The file's size in bytes, or InvalidInput when it is over TIENDO_UPLOAD_MAX_BYTES or
    is a workbook that would unpack too large; nothing is read into memory. The page checks
    this before it keeps a file, the API and the import before they read one."""
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    if size > settings.TIENDO_UPLOAD_MAX_BYTES:
        raise InvalidInput([Problem(
            _("the file is larger than %(limit)s MB") %
            {"limit": settings.TIENDO_UPLOAD_MAX_BYTES // (1024 * 1024)})])
    if files.read_head(stream, 4) == files.ZIP_MAGIC:
        files.zip_check(stream)
    return size


def upload_import(
    *, stream: BinaryIO, filename: str, user, actor: str, store: bool,
    accept_warnings: bool = False, expected: Expected | None = None,
    mapping: Mapping | None = None, progress: Progress | None = None,
) -> Outcome:
    """Check the file and, with `store`, keep its values; see the module docstring.

    A free-form sheet without `mapping` returns a proposal and stores nothing.
    """
    size = upload_limits_check(stream=stream)
    kind = files.sniff(files.read_head(stream))
    problems: list[Problem] = []
    outcome = Outcome(kind=kind)
    expected = expected or Expected()

    unit_check = None
    if user is not None:
        scope = user_scope(user)

        def unit_check(unit) -> str | None:
            if scope.can_enter(unit):
                return None
            return _("this unit is outside what you may enter data for")

    def tell() -> None:
        if progress is not None and size:
            progress(min(0.99, stream.tell() / size))

    if kind == files.XLSX:
        book = files.open_workbook(stream)
        outcome.kind = detect_format(book)
        if outcome.kind == TARGETS_TEMPLATE:
            return _targets_upload(book, outcome, user=user, actor=actor, store=store,
                                   accept_warnings=accept_warnings, expected=expected)
        if outcome.kind == TASKS_SHEET:
            from tiendo.assignments.readers import tasks_sheet_records

            sheet, records = tasks_sheet_records(book)
            return _settled(outcome, tasks_import(records=records, actor=actor, user=user,
                                                  dry_run=not store, fmt=TASKS_SHEET,
                                                  sheet=sheet))
        rows = _workbook_rows(book, stream, outcome, user=user, expected=expected,
                              mapping=mapping, problems=problems, progress=progress)
        if rows is None:
            return outcome  # a free-form sheet to map first
    elif kind == files.ADX:
        head = files.read_head(stream)
        outcome.kind = DXF2_XML if b"dataValueSet" in head.split(b"<adx", 1)[0] else ADX
        rows = _progress_rows(xml_values(stream, problems, [], xml_vocabulary()), tell)
    else:
        return _text_upload(stream, outcome, user=user, actor=actor, store=store,
                            filename=filename, tell=tell, unit_check=unit_check)
    return _settled(outcome, values_import(
        fmt=outcome.kind, rows=rows, actor=actor, user=user, dry_run=not store,
        source=filename, changes=outcome.changes, problems=problems, warnings=outcome.warnings,
        accept_warnings=accept_warnings, unit_check=unit_check))


def _settled(outcome: Outcome, result: ImportResult) -> Outcome:
    outcome.result = result
    outcome.stored, outcome.needs_acceptance = result.stored, result.needs_acceptance
    return outcome


def _targets_upload(book, outcome: Outcome, *, user, actor, store, accept_warnings,
                    expected: Expected) -> Outcome:
    """The template of a target set: its rows checked (and stored) by the targets import."""
    key = targets_template_key(book, user)
    target_set = key.target_set
    wanted = expected.target_set
    if wanted is not None and wanted.pk != target_set.pk and not expected.accept_other:
        raise InvalidInput([Problem(
            _("this template is for the target set %(found)s, not %(wanted)s")
            % {"found": target_set.name, "wanted": wanted.name},
            field="target_set", value=target_set.name)])
    outcome.about = {"target_set": target_set.name, "target_set_id": target_set.pk}
    problems: list[Problem] = []
    records = targets_template_records(book, key, problems=problems, warnings=outcome.warnings)
    return _settled(outcome, targets_import(
        records=records, actor=actor, user=user, dry_run=not store, target_set=target_set,
        fmt=TARGETS_TEMPLATE, names=target_field_names(), sheet=key.data_sheet,
        changes=outcome.changes, problems=problems, warnings=outcome.warnings,
        accept_warnings=accept_warnings))


def _text_upload(stream, outcome: Outcome, *, user, actor, store, filename, tell,
                 unit_check) -> Outcome:
    """DHIS2 JSON or CSV, or a targets CSV: they hold no warnings to accept."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        result = import_stream(
            stream=_Ticking(text, tell), actor=actor, user=user, dry_run=not store,
            source=filename, changes=outcome.changes, unit_check=unit_check)
    except UnicodeDecodeError:
        raise InvalidInput([Problem(_(
            "this is neither an Excel workbook (.xlsx) nor a UTF-8 text file (DHIS2 JSON or "
            "CSV, ADX XML)"))]) from None
    except csv.Error as error:
        raise InvalidInput([Problem(_("the CSV cannot be read: %(error)s") % {"error": error})
                            ]) from None
    outcome.kind = result.format
    return _settled(outcome, result)


class _Ticking(io.TextIOBase):
    """A text stream that reports progress as it is read."""

    def __init__(self, inner: io.TextIOWrapper, tell: Callable[[], None]) -> None:
        self._inner, self._tell, self._lines = inner, tell, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        return self._inner.read(size)

    def readline(self, size: int = -1) -> str:
        return self._inner.readline(size)

    def __iter__(self):
        for line in self._inner:
            self._lines += 1
            if self._lines % 5000 == 0:
                self._tell()
            yield line


def _workbook_rows(book, stream, outcome: Outcome, *, user, expected: Expected,
                   mapping: Mapping | None, problems, progress):
    """The rows of our form, of a DHIS2-style sheet or of a mapped own table; None for an
    own table not mapped yet (`outcome.proposal` says what its labels probably mean)."""
    warnings = outcome.warnings
    if outcome.kind == TEMPLATE:
        key = template_key(book)
        check_expected(key, expected)
        outcome.about = {"data_set": key.data_set.code, "data_set_name": key.data_set.name,
                         "unit": key.unit.code, "unit_name": key.unit.name,
                         "period": key.period.code}
        allowed = set(key.data_set.elements.values_list("code", flat=True))
        return _in_data_set(template_values(book, key, problems=problems, warnings=warnings),
                            allowed, key.data_set.code, problems)
    if outcome.kind == SHEET:
        return sheet_values(book.worksheets[0], problems=problems, warnings=warnings,
                            progress=progress)
    # an office's own table
    free_book = files.open_workbook(stream, data_only=True)  # cached results of formulas
    if mapping is None:
        period = expected.period
        if period is None:
            raise InvalidInput([Problem(_(
                "this sheet is not a template of the system: choose the period it reports, "
                "then map its rows and columns"), field="period")])
        outcome.proposal = freeform_propose(free_book, period=period, user=user)
        return None
    return freeform_values(free_book, period=mapping.period, rows=mapping.rows,
                           columns=mapping.columns, heading_row=mapping.heading_row,
                           problems=problems, warnings=warnings)


def _in_data_set(rows: Iterable[RawValue], allowed: set[str], code: str,
                 problems: list[Problem]) -> Iterator[RawValue]:
    for row in rows:
        if row.element and row.element not in allowed:
            problems.append(Problem(
                _("this data element is not part of the data set %(code)s") % {"code": code},
                row.line, row.names["element"], row.element, row.sheet))
            continue
        yield row


# --- uploads kept between steps (web and API) --------------------------------------------

CHANGES_SHOWN = 500


def _problem_dict(problem: Problem) -> dict:
    # A value read from a file may hold a NUL, which PostgreSQL refuses in the report.
    def shown(text):
        return visible(text) if isinstance(text, str) else text

    return {"message": shown(problem.message), "line": problem.line,
            "field": shown(problem.field), "value": shown(problem.value),
            "sheet": shown(problem.sheet)}


# Settling and expiring uploads is Tiến Độ keeping its uploads tidy, for no one user.
RETENTION = Actor.system("uploads")


def upload_receive(*, user, filename: str, content: bytes, options: dict) -> Upload:
    """Keep a file the user sent until it is checked and stored. Uploads whose work was
    interrupted are marked so, and uploads older than TIENDO_UPLOAD_KEEP_DAYS go (the audit
    trail names the file each value came from); each of these writes is audited."""
    upload_limits_check(stream=io.BytesIO(content))
    with transaction.atomic():
        uploads_settle_interrupted()
        cutoff = timezone.now() - datetime.timedelta(days=settings.TIENDO_UPLOAD_KEEP_DAYS)
        expired = list(
            Upload.objects.filter(created_at__lt=cutoff)
            .exclude(status__in=[Upload.Status.CHECKING, Upload.Status.STORING])
            .values("pk", "filename", "user_id", "status", "created_at")
        )
        if expired:
            Upload.objects.filter(pk__in=[row["pk"] for row in expired]).delete()
            audit_records(actor=RETENTION, action="expire", entity="upload", changes=[
                Change(entity_id=row["pk"], key=row["filename"], old={
                    "user": row["user_id"], "status": row["status"],
                    "created_at": row["created_at"].isoformat()})
                for row in expired
            ])
        upload = Upload.objects.create(user=user, filename=filename[:255], content=content,
                                       options=options)
        audit_record(actor=Actor.of(user), action="create", entity="upload",
                     entity_id=upload.pk, key=upload.filename,
                     new={"bytes": len(content), "options": options})
    return upload


def _expected(options: dict) -> Expected:
    from tiendo.indicators.models import DataSet
    from tiendo.org.models import OrgUnit
    from tiendo.plans.models import TargetSet

    period = None
    if options.get("period"):
        try:
            period = parse_period(options["period"])
        except PeriodError:
            period = None
    return Expected(
        data_set=DataSet.objects.filter(code=options.get("data_set") or "").first(),
        unit=OrgUnit.objects.filter(pk=options.get("unit_id") or 0).first(),
        period=period,
        accept_other=bool(options.get("accept_other")),
        target_set=TargetSet.objects.filter(pk=options.get("target_set") or 0).first(),
    )


def mapping_confirm(*, stream: BinaryIO, user, expected: Expected, rows: dict[int, str],
                    columns: dict[int, str]) -> Mapping:
    """An own table's mapping sent whole (command line, API): codes by row and by column
    number, checked against the sheet's labels; a label left out or with no code is skipped.
    The confirmed labels are remembered for the user's scope, as on the page."""
    if expected.period is None:
        raise InvalidInput([Problem(_("your own table needs the period it reports"),
                                    field="period")])
    proposal = upload_import(stream=stream, filename="", user=user, actor="", store=False,
                             expected=expected).proposal
    stream.seek(0)
    if proposal is None:
        raise InvalidInput([Problem(_("a mapping is for your own tables, and this file is not "
                                      "one"), field="mapping")])
    problems = [
        Problem(_("the sheet has no labelled %(kind)s %(index)s") % {"kind": name, "index": index},
                field="mapping", value=str(index))
        for name, sent, labels in ((_("row"), rows, proposal.rows),
                                   (_("column"), columns, proposal.columns))
        for index in sorted(set(sent) - {label.index for label in labels})
    ]
    if problems:
        raise InvalidInput(problems)
    labelmappings_remember(user=user, labels=mapping_labels(proposal, rows, columns))
    return Mapping(period=expected.period, heading_row=proposal.heading_row,
                   rows={k: v for k, v in rows.items() if v},
                   columns={k: v for k, v in columns.items() if v})


def _mapping(options: dict) -> Mapping | None:
    mapped = options.get("mapping")
    if not mapped:
        return None
    return Mapping(period=parse_period(mapped["period"]), heading_row=int(mapped["heading_row"]),
                   rows={int(k): v for k, v in mapped["rows"].items() if v},
                   columns={int(k): v for k, v in mapped["columns"].items() if v})


def _progress_key(upload_id: int) -> str:
    return f"tiendo:upload-progress:{upload_id}"


def _progress_set(upload_id: int, percent: int) -> None:
    """Progress goes to Django's cache, not the database: the work's own writes stay in its
    transaction until the end. The entry lapses after the stale time, so it is also the
    sign that some process is still working on the upload. A cache shared by the server's
    processes (TIENDO_CACHE_DIR) lets any of them answer the page's polls."""
    cache.set(_progress_key(upload_id), percent, settings.TIENDO_UPLOAD_STALE_MINUTES * 60)


def upload_progress(upload: Upload) -> int:
    """How far the work on `upload` is (0–100)."""
    return cache.get(_progress_key(upload.pk), upload.progress)


def _stale() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.TIENDO_UPLOAD_STALE_MINUTES)


def _interrupted(upload: Upload, stale: datetime.datetime) -> bool:
    """Left "checking" or "storing" by a process that ended (a restart): no progress
    reported for the stale time. Its transaction was undone with the process."""
    return (upload.working and upload.updated_at < stale
            and cache.get(_progress_key(upload.pk)) is None)


def _as_failed(upload: Upload) -> Upload:
    upload.status = Upload.Status.FAILED
    upload.report = {**upload.report, "problems": [_problem_dict(Problem(_(
        "the work on this file was interrupted (the server restarted?) and nothing was "
        "stored; upload the file again")))]}
    return upload


def upload_state(upload: Upload) -> Upload:
    """`upload` as its page shows it: interrupted work reads as failed, so the page stops
    waiting. Nothing is saved (pages read on GET); `uploads_settle_interrupted` writes it."""
    return _as_failed(upload) if _interrupted(upload, _stale()) else upload


def uploads_settle_interrupted() -> int:
    """Mark failed, with an audit record each, the uploads whose work was interrupted, so
    they are kept only as long as any other; returns how many."""
    stale = _stale()
    settled = 0
    working = Upload.objects.filter(
        status__in=[Upload.Status.CHECKING, Upload.Status.STORING], updated_at__lt=stale)
    with transaction.atomic():
        for upload in working.defer("content"):
            if not _interrupted(upload, stale):
                continue
            was = upload.status
            _as_failed(upload)
            # Not select_for_update: a long import still running may hold its upload's row;
            # the status in the WHERE skips one that moved on since it was read.
            if Upload.objects.filter(pk=upload.pk, status=was).update(
                    status=upload.status, report=upload.report, updated_at=timezone.now()):
                audit_record(actor=RETENTION, action="interrupted", entity="upload",
                             entity_id=upload.pk, key=upload.filename, old={"status": was},
                             new={"status": upload.status})
                settled += 1
    return settled


def upload_run(*, upload_id: int, store: bool, queued: bool = False) -> Upload:
    """Check (and with `store`, store) a kept upload, recording progress and the report.
    A `queued` job whose upload was settled meanwhile (it waited past the stale time, and
    was shown and marked interrupted) leaves it so: the user was told to send it again."""
    upload = Upload.objects.get(pk=upload_id)
    if queued and not upload.working:
        return upload
    upload.status = Upload.Status.STORING if store else Upload.Status.CHECKING
    upload.progress = 0
    upload.save(update_fields=["status", "progress", "updated_at"])
    _progress_set(upload.pk, 0)
    try:
        return _run(upload, store=store)
    finally:
        cache.delete(_progress_key(upload.pk))


def _run(upload: Upload, *, store: bool) -> Upload:
    def progress(fraction: float) -> None:
        _progress_set(upload.pk, int(fraction * 100))

    options = upload.options
    report: dict = {"store": store}
    try:
        outcome = upload_import(
            stream=io.BytesIO(bytes(upload.content)), filename=upload.filename,
            user=upload.user, actor=f"upload:{upload.filename}", store=store,
            accept_warnings=bool(options.get("accept_warnings")), expected=_expected(options),
            mapping=_mapping(options), progress=progress)
    except InvalidInput as error:
        report["problems"] = [_problem_dict(p) for p in error.problems]
        upload.status = Upload.Status.FAILED
    except TiendoError as error:
        report["problems"] = [_problem_dict(Problem(str(error)))]
        upload.status = Upload.Status.FAILED
    if upload.status == Upload.Status.FAILED:
        upload.content = b""  # a refused file is not kept; its report says why
    else:
        report.update(outcome_report(outcome))
        upload.kind = outcome.kind
        if outcome.proposal is not None:
            upload.status = Upload.Status.NEEDS_MAPPING
        elif outcome.stored:
            upload.status = Upload.Status.STORED
        else:
            upload.status = Upload.Status.CHECKED
    upload.report = report
    upload.progress = 100
    upload.save(update_fields=["status", "progress", "report", "kind", "content",
                               "updated_at"])
    return upload


def _change_text(number: Decimal | str | None) -> str | None:
    """A value as plain digits, without the database's trailing zeros (28, not 28.000000,
    which a Vietnamese reader takes for 28 million); a target is already described."""
    if isinstance(number, Decimal):
        return plain_number(number)
    return number


def outcome_report(outcome: Outcome) -> dict:
    result = outcome.result
    return {
        "kind": outcome.kind,
        "counts": None if result is None else {
            "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "rows": result.rows, "deleted": result.deleted},
        "changes": [{"kind": c.kind, "key": c.key, "label": c.label,
                     "old": _change_text(c.old), "new": _change_text(c.new), "line": c.line}
                    for c in outcome.changes[:CHANGES_SHOWN]],
        "warnings": [_problem_dict(p) for p in outcome.warnings],
        "stored": outcome.stored,
        "needs_acceptance": outcome.needs_acceptance,
        "about": outcome.about,
        "proposal": None if outcome.proposal is None else outcome.proposal.as_dict(),
    }


def upload_start(*, upload: Upload, store: bool) -> None:
    """Put the work in the job queue (`tiendo worker` runs it) so the page can show its
    progress; inline when configured (tests, and a single process that prefers to wait).
    The heartbeat starts now: a job no worker takes up within the stale time reads as
    interrupted, as one whose worker died."""
    from tiendo.exchange.tasks import upload_task

    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.STORING if store else Upload.Status.CHECKING, progress=0,
        updated_at=timezone.now())
    if settings.TIENDO_EXCHANGE_INLINE:
        upload_run(upload_id=upload.pk, store=store)
        return
    _progress_set(upload.pk, 0)
    upload_task.enqueue(upload_id=upload.pk, store=store)


def upload_interrupted(*, upload_id: int) -> bool:
    """Mark failed, with its audit record, an upload whose job was cut off (the worker
    stopped while it ran: `tiendo worker` finds such jobs when it starts). Its transaction
    was undone with the worker, so nothing of it was stored; the user uploads it again.
    False when the upload is not being worked on (it finished, or is gone)."""
    upload = Upload.objects.filter(pk=upload_id).defer("content").first()
    if upload is None or not upload.working:
        return False
    was = upload.status
    _as_failed(upload)
    with transaction.atomic():
        if not Upload.objects.filter(pk=upload.pk, status=was).update(
                status=upload.status, report=upload.report, updated_at=timezone.now()):
            return False
        audit_record(actor=RETENTION, action="interrupted", entity="upload",
                     entity_id=upload.pk, key=upload.filename, old={"status": was},
                     new={"status": upload.status})
    cache.delete(_progress_key(upload.pk))
    return True


def upload_set_options(*, upload: Upload, **options) -> Upload:
    upload.options = {**upload.options, **options}
    upload.save(update_fields=["options", "updated_at"])
    return upload


