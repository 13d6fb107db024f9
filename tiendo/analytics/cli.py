"""The `tiendo evaluate` command (registered by `tiendo.cli`): a unit's targets judged for a
period, as a table or as the API's JSON."""

import datetime
import json


def add_commands(commands) -> None:
    from django.utils.translation import gettext as _

    ev = commands.add_parser("evaluate", help=_("judge the targets of a unit for a period"))
    ev.add_argument("--unit", required=True, help=_("unit code, e.g. 80"))
    ev.add_argument("--period", required=True, help=_("period, e.g. 2024, 2024Q3, 202409"))
    ev.add_argument("--target-set", help=_("name of the target set"))
    ev.add_argument("--format", choices=["table", "json"], default="table",
                    help=_("output format"))
    ev.add_argument("--with-old-map", action="store_true",
                    help=_("roll in what the units replaced in the 2025 reorganisation reported"))
    ev.add_argument("--on", type=datetime.date.fromisoformat,
                    help=_("a day the unit existed on, when its code names several units"))


def cmd_evaluate(args) -> int:
    from tiendo.analytics.choices import targets_choose
    from tiendo.analytics.evaluation import targets_evaluate

    unit, period, target_set = targets_choose(unit_code=args.unit, period_code=args.period,
                                              target_set_name=args.target_set, on=args.on)
    evaluation = targets_evaluate(unit=unit, period=period, target_set=target_set,
                                  with_predecessors=args.with_old_map)
    if args.format == "json":
        from tiendo.analytics.serialize import evaluation_json

        print(json.dumps(evaluation_json(evaluation), ensure_ascii=False, indent=2))
    else:
        print(evaluation_table(evaluation))
    return 0


def evaluation_table(evaluation) -> str:
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    from tiendo.analytics.present import data_through_text, present
    from tiendo.assignments.present import tasks_sentences
    from tiendo.language import current_lang
    from tiendo.lib.sentences import summary_sentence

    lang = current_lang()
    rows = [(_("Indicator"), _("Target"), _("Actual"), _("% of target"), _("Expected by now"),
             pgettext("verdict on a target", "Status"))]
    for r in evaluation.results:
        row = present(r, lang)
        actual = row.actual_text or "—"
        if row.change_text:
            actual += f" ({row.change_text})"
        rows.append((row.indicator[:60], row.target_text, actual, row.achievement_text,
                     row.expected_text, row.status_text))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"{evaluation.unit.name} — {evaluation.period.label(lang)}"]
    through = data_through_text(evaluation.data_through, lang)
    if through:
        lines[0] += f" ({through})"
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              for row in rows]
    lines += [f"  * {present(r, lang).indicator}: {present(r, lang).detail_text}"
              for r in evaluation.results if present(r, lang).detail_text]
    lines.append(summary_sentence(evaluation.summary, lang))
    lines += tasks_sentences(unit=evaluation.unit, period=evaluation.period, lang=lang)
    at_risk = evaluation.at_risk
    if at_risk:
        lines.append(_("At risk: %(names)s")
                     % {"names": ", ".join(r.target.indicator.name for r in at_risk)})
    return "\n".join(lines)


COMMANDS = {"evaluate": cmd_evaluate}
