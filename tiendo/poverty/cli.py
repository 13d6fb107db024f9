"""`tiendo poverty classify FILE -o OUT.csv` (no database) and `tiendo poverty import FILE`
(registered by `tiendo.cli`)."""

import sys
from pathlib import Path


def add_commands(commands) -> None:
    from django.utils.translation import gettext as _

    poverty = commands.add_parser("poverty", help=_("household poverty review"))
    sub = poverty.add_subparsers(dest="poverty_command", required=True, metavar=_("command"))
    classify = sub.add_parser("classify", help=_("classify a household file (CSV or .xlsx) "
                                                 "without the database"))
    classify.add_argument("file", type=Path, help=_("household file"))
    classify.add_argument("--year", type=int, help=_("review year where a row has none"))
    classify.add_argument("--standard", help=_("standard code (default: by each row's year)"))
    classify.add_argument("-o", "--output", type=Path, required=True,
                          help=_("CSV file to write"))
    imp = sub.add_parser("import", help=_("store a commune review file (one review year)"))
    imp.add_argument("file", type=Path, help=_("household file"))
    imp.add_argument("--year", type=int, help=_("review year where a row has none"))
    imp.add_argument("--standard", help=_("standard code (default: by the year)"))


def cmd_poverty(args) -> int:
    from django.utils.translation import gettext as _

    if args.poverty_command == "classify":
        from tiendo.poverty.files import classify_file, standard_named

        standard = standard_named(args.standard) if args.standard else None
        partial = args.output.with_name(args.output.name + ".part")
        try:
            with open(partial, "w", encoding="utf-8", newline="") as out:
                count = classify_file(args.file, args.file.name, out, year=args.year,
                                      standard=standard)
            partial.replace(args.output)
        finally:
            partial.unlink(missing_ok=True)
        print(_("%(count)s households classified into %(file)s")
              % {"count": _grouped(count), "file": args.output}, flush=True)
        return 0
    from tiendo.audit.services import Actor
    from tiendo.poverty.services import review_import

    outcome = review_import(data=args.file, name=args.file.name, actor=Actor.system("cli"),
                            year=args.year, standard_code=args.standard)
    print(_("Review %(year)s stored: %(households)s households in %(communes)s communes "
            "(%(replaced)s replaced); %(poor)s poor, %(near)s near-poor")
          % {"year": outcome.year, "households": _grouped(outcome.households),
             "communes": _grouped(outcome.communes), "replaced": _grouped(outcome.replaced),
             "poor": _grouped(outcome.counts.get("poor", 0)),
             "near": _grouped(outcome.counts.get("near_poor", 0))},
          file=sys.stdout, flush=True)
    return 0


def _grouped(count: int) -> str:
    """A count as the user's language writes it (50.000 in Vietnamese)."""
    from tiendo.language import current_lang
    from tiendo.lib.numbers import format_number

    return format_number(count, 0, current_lang())


COMMANDS = {"poverty": cmd_poverty}
