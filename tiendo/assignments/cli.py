"""`tiendo tasks`: a unit's tasks for a period as of a date, as a table or as JSON."""

import json


def add_commands(commands) -> None:
    from django.utils.translation import gettext as _

    tasks = commands.add_parser("tasks", help=_("count a unit's tasks for a period"))
    tasks.add_argument("--unit", required=True, help=_("unit code, e.g. 79"))
    tasks.add_argument("--period", required=True, help=_("period, e.g. 2022, 2024Q3"))
    tasks.add_argument("--as-of", help=_("the day to judge on, YYYY-MM-DD (default today)"))
    tasks.add_argument("--format", choices=["table", "json"], default="table",
                       help=_("output format"))


def cmd_tasks(args) -> int:
    import datetime

    from django.utils import timezone
    from django.utils.translation import gettext as _

    from tiendo.assignments.present import count_json, count_sentences, deadline_text, status_text
    from tiendo.assignments.selectors import tasks_count
    from tiendo.errors import InvalidInput, Problem
    from tiendo.language import current_lang
    from tiendo.lib.periods import PeriodError, parse_period
    from tiendo.org.selectors import orgunit_resolve

    try:
        period = parse_period(args.period)
    except PeriodError as error:
        raise InvalidInput([Problem(str(error), field="period", value=args.period)]) from None
    try:
        as_of = datetime.date.fromisoformat(args.as_of) if args.as_of else timezone.localdate()
    except ValueError:
        raise InvalidInput([Problem(_("not a date"), field="as-of", value=args.as_of)]) from None
    unit = orgunit_resolve(code=args.unit, on=period.end)
    count = tasks_count(unit=unit, period=period, as_of=as_of)
    if args.format == "json":
        print(json.dumps(count_json(count, unit.code), ensure_ascii=False, indent=2))
        return 0
    lang = current_lang()
    print(f"{unit.name} — {period.label(lang)} ({as_of:%d/%m/%Y})")
    for line in count_sentences(count, lang):
        print(line)
    rows = [(_("Task"), _("Unit in charge"), _("Deadline"), _("Status"), _("Days overdue"))]
    for row in count.rows:
        rows.append((row.task.title[:60], row.task.unit_in_charge.name[:30],
                     deadline_text(row.task, lang), status_text(row.status, lang),
                     str(row.state.days_overdue or "")))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(r, widths, strict=True)))
    return 0


COMMANDS = {"tasks": cmd_tasks}
