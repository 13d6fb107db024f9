"""The `tiendo report` and `tiendo remind` commands (added to the parser in tiendo/cli.py);
here so that their messages live in this app's catalogue."""

import sys
from pathlib import Path

from django.utils.translation import gettext as _


def _say(text: str) -> None:
    print(text, flush=True)


def add_commands(commands) -> None:
    rep = commands.add_parser(
        "report", help=_("write the periodic report of a unit (Word, Excel or PDF)")
    )
    rep.add_argument("--unit", required=True, help=_("unit code, e.g. 80"))
    rep.add_argument("--period", required=True, help=_("period, e.g. 2024, 2024Q3, 202409"))
    rep.add_argument("--target-set", help=_("name of the target set"))
    rep.add_argument("--format", choices=["docx", "xlsx", "pdf"], default="docx",
                     help=_("file format"))
    rep.add_argument("-o", "--output", required=True, type=Path, help=_("file to write"))
    rep.add_argument("--param", action="append", default=[], metavar=_("NAME=VALUE"),
                     help=_("title block: issuing_body, parent_body, number, symbol, place, "
                            "date, subject, addressee, signer_authority, signer_title, "
                            "signer_name, recipients (separated by |)"))
    remind = commands.add_parser(
        "remind",
        help=_("e-mail the units whose report is missing after the deadline (once per period)"),
    )
    remind.add_argument("--period", help=_("period, e.g. 2024, 2024Q3, 202409"))
    remind.add_argument("--schedule", type=int, help=_("id of one reporting schedule"))


def _report_progress(percent: int) -> None:
    # Plain percentage lines on stderr: readable in a terminal and in a log alike.
    print(f"{percent}%", file=sys.stderr, flush=True)


def cmd_report(args) -> int:
    from tiendo.analytics.choices import targets_choose
    from tiendo.errors import InvalidInput, Problem
    from tiendo.language import current_lang
    from tiendo.reports.services import report_build, report_queue

    unit, period, target_set = targets_choose(unit_code=args.unit, period_code=args.period,
                                              target_set_name=args.target_set)
    params = {}
    for pair in args.param:
        name, sep, value = pair.partition("=")
        if not sep:
            raise InvalidInput([Problem(_("write a parameter as NAME=VALUE"), value=pair)])
        params[name] = value.split("|") if name == "recipients" else value
    report = report_queue(unit=unit, period=period.code, file_format=args.format,
                          target_set=target_set, lang=current_lang(), params=params,
                          actor="cli:report")
    report = report_build(report=report, progress=_report_progress)
    args.output.write_bytes(bytes(report.file))
    _say(_("%(file)s written (report %(id)s archived): %(summary)s")
         % {"file": args.output, "id": report.pk, "summary": report.content["summary"]["text"]})
    return 0


def cmd_remind(args) -> int:
    from tiendo.reports.services import reminders_send

    sent = reminders_send(period_code=args.period, schedule_id=args.schedule,
                          actor="cli:remind")
    _say(_("%(count)s reminders sent") % {"count": len(sent)})
    for reminder in sent:
        _say(f"  {reminder.org_unit.code} {reminder.org_unit.name} {reminder.period}: "
             f"{reminder.recipients}")
    return 0


COMMANDS = {"report": cmd_report, "remind": cmd_remind}
