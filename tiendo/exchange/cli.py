"""The `tiendo import` and `tiendo export` commands (registered by `tiendo.cli`)."""

import os
import sys
from pathlib import Path


def _say(text: str) -> None:
    print(text, flush=True)


def add_commands(commands) -> None:
    from django.utils.translation import gettext as _

    imp = commands.add_parser(
        "import", help=_("import data values (Excel form or sheet, DHIS2 JSON/CSV, ADX) or "
                         "targets (Excel template of a target set, CSV)")
    )
    imp.add_argument("file", type=Path, help=_("file to import"))
    imp.add_argument("--dry-run", action="store_true", help=_("check only, write nothing"))
    imp.add_argument("--accept-warnings", action="store_true",
                     help=_("store even when there are warnings (numbers typed as text)"))
    imp.add_argument("--unit", help=_("an Excel form must be for this unit code"))
    imp.add_argument("--period", help=_("an Excel form must be for this period"))
    imp.add_argument("--accept-other", action="store_true",
                     help=_("accept an Excel form of another unit or period"))
    imp.add_argument("--mapping-out", type=Path,
                     help=_("your own table: write the proposed codes of its rows and columns "
                            "to this CSV file, to check and correct"))
    imp.add_argument("--mapping", type=Path,
                     help=_("your own table: store it with the codes of this CSV file (written "
                            "by --mapping-out, then corrected); the labels are remembered"))
    exp = commands.add_parser(
        "export", help=_("export values (DHIS2 JSON/CSV, ADX), an Excel form, the Excel "
                         "template of a target set or the evaluation table")
    )
    exp.add_argument("--unit", help=_("unit code, e.g. 80 (needed but for a targets "
                                      "template)"))
    exp.add_argument("--period", help=_("period, e.g. 2024, 2024Q3, 202409 (needed but for a "
                                        "targets template)"))
    exp.add_argument("--format", required=True,
                     choices=["dhis2-json", "dhis2-csv", "adx", "template", "targets-template",
                              "evaluation-xlsx", "evaluation-csv"], help=_("what to export"))
    exp.add_argument("--data-set", help=_("data set code (required for a template)"))
    exp.add_argument("--target-set", help=_("name of the target set"))
    exp.add_argument("-o", "--output", type=Path,
                     help=_("file to write (default: standard output)"))


def _progress_bar(label: str):
    """A progress line on stderr: redrawn in place on a terminal, whole lines otherwise."""
    state = {"last": -1}
    tty = sys.stderr.isatty()

    def show(fraction: float) -> None:
        percent = int(fraction * 100)
        if percent == state["last"] or (not tty and percent // 10 == state["last"] // 10):
            return
        state["last"] = percent
        if tty:
            bar = "#" * (percent // 4)
            print(f"\r{label} [{bar:<25}] {percent:3d}%", end="", file=sys.stderr, flush=True)
        else:
            print(f"{label} {percent}%", file=sys.stderr, flush=True)

    return show


def cmd_import(args) -> int:
    from django.utils.translation import gettext as _

    from tiendo.exchange.selectors import choice_resolve
    from tiendo.exchange.template import Expected

    choice = choice_resolve(user=None, unit=args.unit or "", period=args.period or "") if (
        args.unit or args.period) else None
    expected = Expected(unit=choice.unit, period=choice.period,
                        accept_other=args.accept_other) if choice else None
    mapping = _mapping(args, expected) if args.mapping else None
    outcome = _upload(args, expected, mapping=mapping, store=not args.dry_run,
                      progress=_progress_bar(_("Reading")))
    if outcome.proposal is not None:
        return _show_proposal(args, outcome.proposal)
    for warning in outcome.warnings:
        _say(_("Warning: %(warning)s") % {"warning": warning})
    result = outcome.result
    if outcome.needs_acceptance and not args.dry_run:
        _say(_("Nothing was written: accept the warnings with --accept-warnings."))
        verb = _("Would import")
    else:
        verb = _("Would import") if args.dry_run else _("Imported")
    _say(_("%(verb)s %(format)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged")
         % {"verb": verb, "format": result.format, "created": result.created,
            "updated": result.updated, "unchanged": result.unchanged})
    if result.deleted:
        _say(_("%(count)s values deleted (marked deleted in the file)") % {"count": result.deleted})
    return 1 if outcome.needs_acceptance and not args.dry_run else 0


def _upload(args, expected, *, store: bool, mapping=None, progress=None):
    from tiendo.errors import InvalidInput, Problem
    from tiendo.exchange.services import upload_import

    try:
        handle = args.file.open("rb")
    except OSError as exc:
        raise InvalidInput([Problem(str(exc), field=str(args.file))]) from None
    with handle:
        outcome = upload_import(
            stream=handle, filename=args.file.name, user=None, actor=f"cli:{args.file.name}",
            store=store, accept_warnings=args.accept_warnings, expected=expected,
            mapping=mapping, progress=progress)
    if progress is not None and sys.stderr.isatty():
        print(file=sys.stderr)
    return outcome


def _mapping(args, expected):
    """The confirmed mapping of an own table, from the corrected CSV."""
    from django.utils.translation import gettext as _

    from tiendo.errors import InvalidInput, Problem
    from tiendo.exchange.freeform import mapping_read
    from tiendo.exchange.services import mapping_confirm

    if expected is None or expected.period is None:
        raise InvalidInput([Problem(_("your own table needs the period it reports: --period"),
                                    field="--period")])
    try:
        rows, columns = mapping_read(args.mapping.read_text(encoding="utf-8-sig"))
        handle = args.file.open("rb")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput([Problem(str(exc))]) from None
    with handle:
        return mapping_confirm(stream=handle, user=None, expected=expected, rows=rows,
                               columns=columns)


def _show_proposal(args, proposal) -> int:
    """Print what the rows and columns of an own table seem to be; write it to a file to
    correct when asked. Nothing is stored."""
    from django.utils.translation import gettext as _

    from tiendo.exchange.freeform import mapping_csv

    _say(_("This is your own table (sheet %(sheet)s, unit names in row %(row)s). Proposed "
           "codes:") % {"sheet": proposal.sheet, "row": proposal.heading_row})
    for label in proposal.rows:
        _say(_("  row %(index)s: %(text)s → %(code)s") % {
            "index": label.index, "text": label.text, "code": label.code or "—"})
    for label in proposal.columns:
        _say(_("  column %(index)s: %(text)s → %(code)s") % {
            "index": label.letter, "text": label.text, "code": label.code or "—"})
    if args.mapping_out:
        args.mapping_out.write_text(mapping_csv(proposal), encoding="utf-8-sig")
        _say(_("Nothing was written. Check and correct the codes in %(file)s, then run: "
               "tiendo import %(sheet)s --period %(period)s --mapping %(file)s")
             % {"file": args.mapping_out, "sheet": args.file, "period": args.period})
    else:
        _say(_("Nothing was written. Write these codes to a file with --mapping-out FILE, "
               "correct them, then import with --mapping FILE."))
    return 1


def cmd_export(args) -> int:
    from tiendo.analytics.evaluation import targets_evaluate
    from tiendo.exchange import exports
    from tiendo.exchange.selectors import choice_resolve

    if args.format == "targets-template":
        from tiendo.exchange.targets_template import targets_template_build

        return _write(args.output, targets_template_build(
            target_set=_target_set(args.target_set), user=None))
    choice = choice_resolve(user=None, unit=args.unit or "", period=args.period or "",
                            data_set=args.data_set or "", required=("unit", "period"))
    if args.format == "template":
        choice = choice_resolve(user=None, unit=args.unit, period=args.period,
                                data_set=args.data_set or "",
                                required=("unit", "period", "data_set"))
        content, _name = exports.template_file(choice)
        return _write(args.output, content)
    if args.format.startswith("evaluation-"):
        target_set = _target_set(args.target_set) if args.target_set else None
        evaluation = targets_evaluate(unit=choice.unit, period=choice.period,
                                      target_set=target_set)
        content, _type, _name = exports.evaluation_file(
            evaluation, fmt=args.format.removeprefix("evaluation-"))
        return _write(args.output, content)
    chunks, _type, _name = exports.values_file(choice, fmt=args.format, scope=None)
    if args.output is None:
        return _to_stdout(lambda: [sys.stdout.write(chunk) for chunk in chunks])
    with args.output.open("w", encoding="utf-8", newline="") as out:
        for chunk in chunks:
            out.write(chunk)
    return 0


def _target_set(name: str | None):
    from django.utils.translation import gettext as _

    from tiendo.errors import InvalidInput, NotFound, Problem
    from tiendo.plans.selectors import targetset_named

    if not name:
        raise InvalidInput([Problem(_("name the target set with --target-set"),
                                    field="--target-set")])
    target_set = targetset_named(name)
    if target_set is None:
        raise NotFound(_("no target set named %(name)s") % {"name": name})
    return target_set


def _write(path: Path | None, content: bytes) -> int:
    if path is None:
        return _to_stdout(lambda: sys.stdout.buffer.write(content))
    else:
        path.write_bytes(content)
    return 0


def _to_stdout(write) -> int:
    """Write to standard output; a reader that stops early (`| head`) ends the export
    quietly, as other command-line tools do, instead of with a traceback."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would flush again at exit and complain; point stdout at nothing first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0


COMMANDS = {"import": cmd_import, "export": cmd_export}
