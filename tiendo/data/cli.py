"""The `tiendo check-aggregates` command (added to the parser in tiendo/cli.py): the
aggregates kept on write compared with what the stored values give, and rebuilt on demand."""

from django.utils.translation import gettext as _


def add_commands(commands) -> None:
    check = commands.add_parser(
        "check-aggregates",
        help=_("compare the aggregates the engine reads with the stored values"),
    )
    check.add_argument("--repair", action="store_true",
                       help=_("build them again from the values when they differ"))


def cmd_check_aggregates(args) -> int:
    from tiendo.data.aggregates import aggregates_check, aggregates_rebuild

    checked, differences = aggregates_check()
    print(_("%(rows)s aggregate rows checked, %(bad)s different.")
          % {"rows": checked, "bad": len(differences)})
    for difference in differences[:20]:
        print(f"  {difference.table} {difference.key}: "
              + _("stored %(stored)s, the values give %(expected)s")
              % {"stored": difference.stored, "expected": difference.expected})
    if not differences:
        return 0
    if not args.repair:
        return 1
    written = aggregates_rebuild()
    print(_("Rebuilt from the values: %(rows)s rows.") % {"rows": sum(written.values())})
    checked, differences = aggregates_check()
    print(_("%(rows)s aggregate rows checked, %(bad)s different.")
          % {"rows": checked, "bad": len(differences)})
    return 1 if differences else 0


COMMANDS = {"check-aggregates": cmd_check_aggregates}
