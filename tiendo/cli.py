"""The `tiendo` command: set up, load the demo, serve, import and evaluate.

Help and messages are in Vietnamese by default; TIENDO_LANG=en (or --lang en) switches.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path


def _bootstrap(lang: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate(lang)


def _language(argv: list[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("TIENDO_LANG", "vi")


# The apps whose `cli.py` adds commands: each has `add_commands(subparsers)` and `COMMANDS`.
APP_COMMANDS = ["tiendo.analytics.cli", "tiendo.exchange.cli", "tiendo.reports.cli",
                "tiendo.assignments.cli", "tiendo.data.cli", "tiendo.poverty.cli"]


def _app_commands():
    from importlib import import_module

    return [import_module(name) for name in APP_COMMANDS]


def build_parser() -> argparse.ArgumentParser:
    from django.utils.translation import gettext as _

    parser = argparse.ArgumentParser(
        prog="tiendo", description=_("Tiến Độ: targets, results and reports.")
    )
    parser.add_argument("--lang", choices=["vi", "en"], help=_("language of messages"))
    commands = parser.add_subparsers(dest="command", required=True, metavar=_("command"))
    commands.add_parser(
        "setup", help=_("create or upgrade the database, load units and the catalogue")
    )
    commands.add_parser("load-demo", help=_("load the demonstration data (simulated in part)"))
    demo = commands.add_parser("demo", help=_("setup, demo data and the web server"))
    demo.add_argument("--port", type=int, default=8000, help=_("port (default 8000)"))
    demo.add_argument("--no-serve", action="store_true", help=_("prepare only, do not serve"))
    for module in _app_commands():
        module.add_commands(commands)
    serve = commands.add_parser(
        "serve", help=_("run the production web server (gunicorn), static files included"))
    serve.add_argument("--bind", default="127.0.0.1:8000",
                       help=_("address and port (default 127.0.0.1:8000)"))
    serve.add_argument("--workers", type=int, default=min(8, 2 * (os.cpu_count() or 1) + 1),
                       help=_("worker processes (default: twice the cores plus one, at most 8)"))
    serve.add_argument("--with-worker", action="store_true",
                       help=_("also start the job worker (tiendo worker) beside the server"))
    worker = commands.add_parser(
        "worker", help=_("run the job worker: uploads, reports and scheduled reminders"))
    worker.add_argument("--batch", action="store_true",
                        help=_("run the jobs waiting now, then stop"))
    manage = commands.add_parser("manage", help=_("run a Django management command"))
    manage.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _bootstrap(_language(argv))
    from django.utils.translation import gettext as _

    from tiendo.errors import InvalidInput, TiendoError

    args = build_parser().parse_args(argv)
    commands = dict(COMMANDS)
    for module in _app_commands():
        commands.update(module.COMMANDS)
    try:
        return commands[args.command](args)
    except InvalidInput as exc:
        print(_("Nothing was written. Problems found:"), file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except TiendoError as exc:
        print(_("Error: %(message)s") % {"message": exc}, file=sys.stderr)
        return 2


def _say(text: str) -> None:
    print(text, flush=True)


def cmd_setup(args) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    from tiendo.indicators.loaders import SOCIO_ECONOMIC_PACK, catalogue_load
    from tiendo.org.loaders import orgunits_load_vietnam

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    _say(_("Creating or upgrading the database…"))
    call_command("migrate", verbosity=0)
    _say(_("Loading administrative units…"))
    counts = orgunits_load_vietnam(progress=lambda step: _say(f"  {step}"))
    _say(_("  %(created)s units created, %(updated)s updated") % counts)
    catalogue_load(pack_dir=SOCIO_ECONOMIC_PACK)
    counts = catalogue_load()
    _say(_("Catalogue: %(elements)s data elements, %(indicators)s indicators") % counts)
    return 0


def cmd_load_demo(args) -> int:
    from django.utils.translation import gettext as _

    from tiendo.demo.loader import demo_load
    from tiendo.language import current_lang
    from tiendo.lib.numbers import format_number

    counts = demo_load(progress=lambda step: _say(f"  {step}"))
    lang = current_lang()
    counted = {key: format_number(number, 0, lang) for key, number in counts.items()}
    _say(_("Demo data loaded (simulated figures are marked as such): data values %(values_created)s"
           " new, %(values_updated)s changed, %(values_unchanged)s unchanged; %(targets)s"
           " targets; %(submissions_created)s reports newly sent.") % counted)
    return 0


def cmd_demo(args) -> int:
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    cmd_setup(args)
    cmd_load_demo(args)
    if args.no_serve:
        return 0
    from tiendo.demo.loader import DEMO_PASSWORD, DEMO_USERS

    _say(_("Demo users (password %(password)s): %(users)s")
         % {"password": DEMO_PASSWORD, "users": ", ".join(u[0] for u in DEMO_USERS)})
    _say(_("Open http://127.0.0.1:%(port)s/ — Ctrl+C to stop.") % {"port": args.port})
    # The demo server also serves the stylesheet (insecure_serving): it is a laptop demo, a
    # production deployment serves static files from its web server.
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False,
                 insecure_serving=True)
    return 0


def cmd_serve(args) -> int:
    """Check that the server can work, collect the static files, then become gunicorn."""
    from django.conf import settings
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    from tiendo.accounts.selectors import demo_memberships
    from tiendo.errors import Conflict
    from tiendo.health import health_problems

    problems = health_problems()
    if problems:
        raise Conflict("; ".join(problems))
    if settings.PRODUCTION and demo_memberships().exists():
        raise Conflict(_("the demo users exist (their password is public): this database "
                         "is a demo, not a province's; production does not start on it"))
    call_command("collectstatic", interactive=False, verbosity=0)
    _say(_("Serving on http://%(bind)s/ with %(workers)s workers — Ctrl+C to stop.")
         % {"bind": args.bind, "workers": args.workers})
    if args.with_worker:
        # A child with the same environment (database, shared cache) and process group: a
        # Ctrl+C in the terminal, or the service manager stopping the group, stops both.
        subprocess.Popen([sys.executable, "-m", "tiendo.cli", "worker"])
        _say(_("The job worker runs beside the server."))
    command = [sys.executable, "-m", "gunicorn", "tiendo.wsgi:application",
               "--bind", args.bind, "--workers", str(args.workers), "--timeout", "300",
               "--access-logfile", "-"]
    os.execv(sys.executable, command)
    return 0  # not reached: execv replaces this process


def cmd_worker(args) -> int:
    """Settle the jobs a stopped worker left running, schedule the reminders, then run the
    jobs as they come (Django's tasks, database backend: db_worker)."""
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    from tiendo.jobs import worker_prepare

    counts = worker_prepare()
    if counts["jobs"]:
        _say(_("%(jobs)s jobs were cut off when the worker stopped: %(uploads_failed)s "
               "uploads marked failed, %(reports_resumed)s reports queued again") % counts)
    options = ["--no-reload", "--no-startup-delay"] + (["--batch"] if args.batch else [])
    call_command("db_worker", *options)
    return 0


def cmd_manage(args) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tiendo manage", *args.args])
    return 0


COMMANDS = {
    "setup": cmd_setup,
    "load-demo": cmd_load_demo,
    "demo": cmd_demo,
    "serve": cmd_serve,
    "worker": cmd_worker,
    "manage": cmd_manage,
}

if __name__ == "__main__":
    sys.exit(main())
