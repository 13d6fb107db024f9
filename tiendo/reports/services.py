"""Writes of the reports app: generate and archive a report, send reminders.

A report is built in two steps so that pages can show progress: `report_queue` stores the
request (parameters checked, nothing built), `report_build` asks the engine, renders the
file and archives it with the content it was built from, saving its progress as it goes.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiendo.accounts.models import Membership
from tiendo.audit.services import Actor, audit_record
from tiendo.errors import InvalidInput, NotFound, Problem, text_problems
from tiendo.lib.language import language_of
from tiendo.lib.periods import PeriodError, parse_period
from tiendo.lib.schedule import SubmissionState
from tiendo.org.models import OrgUnit
from tiendo.plans.models import TargetSet
from tiendo.reports.content import report_content
from tiendo.reports.excel import render_xlsx
from tiendo.reports.models import GeneratedReport, Reminder, ReportingSchedule
from tiendo.reports.pdf import render_pdf
from tiendo.reports.selectors import schedule_period, schedule_status
from tiendo.reports.word import render_docx

RENDERERS: dict[str, Callable[[dict], bytes]] = {
    "docx": render_docx, "xlsx": render_xlsx, "pdf": render_pdf,
}
PARAM_KEYS = {
    "parent_body", "issuing_body", "number", "symbol", "place", "date", "subject",
    "addressee", "signer_authority", "signer_title", "signer_name", "recipients",
    "narrative_assessment", "narrative_shortcomings", "narrative_directions",
}
LONG_TEXTS = {"narrative_assessment", "narrative_shortcomings", "narrative_directions"}


def report_render(content: dict, file_format: str) -> bytes:
    """The file of a report from its content: the same content gives the same bytes."""
    data = RENDERERS[file_format](content)
    if file_format in ("docx", "xlsx"):
        data = _stable_zip(data, datetime.datetime.fromisoformat(content["generated_at"]))
    return data


def _stable_zip(data: bytes, when: datetime.datetime) -> bytes:
    """Word and Excel files are zip archives whose entries carry the time they were
    written (and openpyxl sets "modified" to the clock when saving); stamp them with the
    report's own time instead, so that the same content always gives the same file."""
    stamp = timezone.localtime(when).timetuple()[:6] if timezone.is_aware(when) else (
        when.timetuple()[:6])
    when_w3c = when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(
        output, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            body = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + when_w3c + rb"\g<2>", body)
            target.writestr(info, body)
    return output.getvalue()


def _clean_params(params: dict) -> dict:
    problems = []
    cleaned = {}
    for key, value in (params or {}).items():
        if key not in PARAM_KEYS:
            problems.append(Problem(_("unknown report parameter"), field=key))
            continue
        if key == "recipients":
            if isinstance(value, str):
                value = value.splitlines()
            value = [line.strip().lstrip("-").strip().rstrip(";.") for line in value]
            value = [line for line in value if line]
        elif value is not None:
            value = str(value).replace("\r\n", "\n").strip()
        lines = value if isinstance(value, list) else [value or ""]
        problems.extend(text_problems({key: "\n".join(lines)}))
        cleaned[key] = value
    number = cleaned.get("number")
    if number and not number.isdigit():
        problems.append(Problem(_("the number is digits only, e.g. 05"), field="number",
                                value=number))
    date = cleaned.get("date")
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        problems.append(Problem(_("the date is written YYYY-MM-DD"), field="date", value=date))
    if problems:
        raise InvalidInput(problems)
    return cleaned


def report_queue(
    *, unit: OrgUnit, period: str, file_format: str, target_set: TargetSet | None = None,
    lang: str = "vi", params: dict | None = None, user=None, actor: str,
) -> GeneratedReport:
    """Check and store a report request; `report_build` makes the file."""
    problems = []
    try:
        parsed = parse_period(period)
    except PeriodError as exc:
        problems.append(Problem(str(exc), field="period", value=period))
        parsed = None
    if file_format not in RENDERERS:
        problems.append(Problem(_("the format is docx, xlsx or pdf"), field="format",
                                value=file_format))
    try:
        params = _clean_params(params or {})
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        report = GeneratedReport.objects.create(
            created_at=timezone.now(), created_by=user, actor=actor, org_unit=unit,
            period=parsed.code, target_set=target_set, format=file_format,
            lang=language_of(lang), params=params,
        )
        audit_record(
            actor=Actor(name=actor, user=user), action="queue", entity="report",
            entity_id=report.pk, key=f"{unit.code} {parsed.code} {file_format}", new=report.params,
        )
    return report


def _progress(report: GeneratedReport, percent: int, status: str | None = None) -> None:
    # Saved at once (outside any transaction of the caller's) so a page polling the status
    # sees it while the build goes on.
    report.progress = percent
    fields = ["progress"]
    if status:
        report.status = status
        fields.append("status")
    GeneratedReport.objects.filter(pk=report.pk).update(
        **{field: getattr(report, field) for field in fields}
    )


def report_build(
    *, report: GeneratedReport, progress: Callable[[int], None] | None = None
) -> GeneratedReport:
    """Build the file of a queued report and archive it with the content it came from.
    `progress` hears the percentage too (the CLI prints it)."""
    if report.status == GeneratedReport.Status.DONE:
        return report
    report.error = ""

    def step(percent: int, status: str | None = None) -> None:
        _progress(report, percent, status)
        if progress:
            progress(percent)

    step(5, GeneratedReport.Status.BUILDING)
    try:
        content = report_content(
            unit=report.org_unit, period=parse_period(report.period),
            target_set=report.target_set, params=report.params, lang=report.lang,
            now=report.created_at, progress=step,
        )
        step(70)
        data = report_render(content, report.format)
    except Exception as exc:
        report.status, report.error = GeneratedReport.Status.FAILED, str(exc)
        report.save(update_fields=["status", "error"])
        raise
    report.content = content
    report.file = data
    report.filename = report_filename(content, report.format)
    report.status, report.progress = GeneratedReport.Status.DONE, 100
    if progress:
        progress(100)
    with transaction.atomic():
        report.save(update_fields=["content", "file", "filename", "status", "progress",
                                   "error"])
        audit_record(
            actor=Actor(name=report.actor, user=report.created_by), action="build",
            entity="report",
            entity_id=report.pk, key=report.filename,
            new={"bytes": len(data), "targets": content["summary"]["total"]},
        )
    return report


def report_start(*, report: GeneratedReport) -> bool:
    """Put a queued (or failed) report's build in the job queue (`tiendo worker` runs it);
    False when it is already in the queue, building or done, so a reloaded page does not
    build it twice."""
    from tiendo.reports.tasks import report_task

    if not GeneratedReport.objects.filter(
            pk=report.pk, status__in=[GeneratedReport.Status.QUEUED,
                                      GeneratedReport.Status.FAILED]).update(
            status=GeneratedReport.Status.BUILDING, progress=0, error=""):
        return False
    report_task.enqueue(report_id=report.pk)
    return True


def report_resume(*, report_id: int) -> bool:
    """A report whose job was cut off (the worker stopped while it built) goes back in the
    queue: building a report writes nothing until its file is done, so it starts again."""
    if not GeneratedReport.objects.filter(
            pk=report_id, status=GeneratedReport.Status.BUILDING).update(
            status=GeneratedReport.Status.QUEUED, progress=0):
        return False
    return report_start(report=GeneratedReport(pk=report_id))


def report_filename(content: dict, file_format: str) -> str:
    prefix = "bao-cao" if content["lang"] == "vi" else "report"
    return f"{prefix}-{content['unit']['code']}-{content['period']['code']}.{file_format}"


def report_generate(**kwargs) -> GeneratedReport:
    """Queue and build at once (CLI and API)."""
    return report_build(report=report_queue(**kwargs))


def reminders_send(
    *, period_code: str | None = None, schedule_id: int | None = None, actor: str,
    now: datetime.datetime | None = None, user=None,
) -> list[Reminder]:
    """E-mail the officers of every unit whose report is missing after the deadline, once
    per schedule, unit and period: running it again sends nothing new."""
    now = now or timezone.now()
    schedules = ReportingSchedule.objects.filter(active=True).select_related("data_set", "root")
    if schedule_id is not None:
        schedules = schedules.filter(pk=schedule_id)
        if not schedules.exists():
            raise NotFound(_("no such reporting schedule"))
    sent = []
    for schedule in schedules:
        period = schedule_period(schedule, period_code, now)
        status = schedule_status(schedule=schedule, period=period, now=now)
        already = set(Reminder.objects.filter(schedule=schedule, period=period.code)
                      .values_list("org_unit_id", flat=True))
        for row in status.units:
            if row.state != SubmissionState.MISSING or row.unit.pk in already:
                continue
            reminder = _remind(schedule, row.unit, status, now, actor, user)
            if reminder:
                sent.append(reminder)
    return sent


def _remind(schedule, unit, status, now, actor, user) -> Reminder | None:
    emails = sorted(
        Membership.objects.filter(org_unit=unit, user__is_active=True)
        .exclude(user__email="").values_list("user__email", flat=True)
    )
    if not emails:
        return None  # nobody to write to; the page still lists the unit as missing
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "unit": unit.name, "data_set": schedule.data_set.name,
            "period": status.period.label(settings.LANGUAGE_CODE),
            "deadline": status.window.deadline.strftime("%d/%m/%Y"),
            "from": status.window.data_from.strftime("%d/%m/%Y"),
            "to": status.window.data_to.strftime("%d/%m/%Y"),
        }
        subject = _("Report missing: %(data_set)s, %(period)s") % values
        body = _(
            "%(unit)s has not yet submitted the report \"%(data_set)s\" for %(period)s "
            "(data from %(from)s to %(to)s). The deadline was %(deadline)s. Please enter "
            "and submit it in Tiến Độ as soon as possible."
        ) % values
    with transaction.atomic():
        reminder, created = Reminder.objects.get_or_create(
            schedule=schedule, org_unit=unit, period=status.period.code,
            defaults={"sent_at": now, "recipients": ", ".join(emails)},
        )
        if not created:
            return None
        audit_record(
            actor=Actor(name=actor, user=user), action="remind", entity="reminder",
            entity_id=reminder.pk, key=f"{schedule.pk} {unit.code} {status.period.code}",
            new={"to": emails},
        )
        # Sent inside the transaction: if sending fails, no reminder is recorded as sent.
        send_mail(subject, body, None, emails)
    return reminder
