"""The `millwatch` command line (also `python -m hmi`). Contract: README "Command line".

Every subcommand takes `--db URL`; bad input exits non-zero with a one-line reason naming the
problem (argparse's two-line usage dump is replaced by one line).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from hmi.core.errors import UserFacingError

CliError = UserFacingError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


class _VersionAction(argparse.Action):
    """`--version`: the package metadata is read only when asked (not at every start)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "show the version and exit") -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> NoReturn:
        import hmi

        print(f"millwatch {hmi.__version__}")  # on stdout, as argparse's own version action
        parser.exit()


def _common() -> argparse.ArgumentParser:
    p = _Parser(add_help=False)
    p.add_argument("--db", metavar="URL", help="database URL (default: SQLite in the user data directory)")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(prog="millwatch", description="Millwatch HMI for flour and grain mills.", parents=[common])
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--demo", action="store_true", help="run on the built-in simulated demo plant")
    parser.add_argument("--broker", metavar="URL", help="MQTT broker (default: MILLWATCH_BROKER)")
    parser.add_argument("--sign-in", metavar="USER", help="with --demo: start signed in as this demo user")
    parser.add_argument("--screenshot", metavar="PNG", type=Path, help="save a screenshot of the window and exit")
    parser.add_argument("--exit-after", metavar="SECONDS", type=float, help="quit after this many seconds")
    parser.add_argument("--language", choices=["en", "nl"], default=None,
                        help="the window's language for this run (default: the workstation's, Session > Language)")
    parser.add_argument("--kiosk", action="store_true",
                        help="full screen without a window frame (control-room wall screens)")
    parser.add_argument(
        "--screen", metavar="NAME",
        help="open this screen once signed in (e.g. overview, sensors, alarms, trends, schematics): wall screens, "
             "screenshots",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation headless (resources, fonts, database, drivers, keyring, screens); exit 0/1",
    )
    parser.add_argument(
        "--setup", action="store_true", help="run the setup wizard (database, broker, first admin, plant) first"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("db", help="database maintenance", parents=[common])
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True, parser_class=_Parser)
    dbsub.add_parser("upgrade", help="create or migrate the schema to the latest version", parents=[common])

    p = sub.add_parser("plant", help="import or export the plant file", parents=[common])
    psub = p.add_subparsers(dest="plant_command", metavar="ACTION", required=True, parser_class=_Parser)
    for name, text in (("import", "validate a plant file and apply it"), ("export", "write the plant to a file")):
        pp = psub.add_parser(name, help=text, parents=[common])
        pp.add_argument("file", type=Path)
    pv = psub.add_parser("validate", help="validate a plant file without writing anything", parents=[common])
    pv.add_argument("file", type=Path)

    p = sub.add_parser("user", help="manage users", parents=[common])
    usub = p.add_subparsers(dest="user_command", metavar="ACTION", required=True, parser_class=_Parser)
    pa = usub.add_parser("add", help="create a user (password from a prompt or stdin)", parents=[common])
    pa.add_argument("name")
    pa.add_argument("--role", required=True, choices=["admin", "operator", "technician", "viewer"])
    pa.add_argument("--mill", action="append", default=[], metavar="SLUG", help="a mill the user may access")
    pa.add_argument("--display-name", default="")
    pa.add_argument("--temporary", action="store_true", help="force a password change at first sign-in")

    p = sub.add_parser("audit", help="the tamper-evident audit trail", parents=[common])
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True, parser_class=_Parser)
    pv = asub.add_parser(
        "verify", help="check the hash chain and the head file; name the first bad record", parents=[common]
    )
    pv.add_argument("--head-file", type=Path, default=None, help="default: audit-head.log in the user data dir")

    p = sub.add_parser("collect", help="headless collector: drivers -> history, no window", parents=[common])
    p.add_argument("--plant", type=Path, required=True)
    p.add_argument("--broker", metavar="URL", help="mqtt://[user@]host[:port] or mqtts://...")
    p.add_argument("--client-id", default="", help="MQTT client id (stable: the persistent session is keyed on it)")
    p.add_argument("--status-interval", type=float, default=10.0, metavar="SECONDS")

    p = sub.add_parser("simulate", help="run the plant simulator (MQTT publisher, Modbus server)", parents=[common])
    p.add_argument("--plant", type=Path, required=True)
    p.add_argument("--broker", default="mqtt://127.0.0.1:1883", metavar="URL")
    p.add_argument("--modbus-port", type=int, default=5020)
    p.add_argument("--modbus-host", default="127.0.0.1")
    p.add_argument("--faults", default="", help="comma list: stuck,dropout,spikes,nan,malformed,exception,slow")
    p.add_argument("--speed", type=float, default=1.0, help="sampling speed-up factor")
    return parser


def _read_password(name: str) -> str:
    """From a prompt on a terminal, else the first line of stdin: never from an argument."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"Password for {name}: ")
        if getpass.getpass("Repeat: ") != first:
            raise CliError("passwords do not match")
        return first
    line = sys.stdin.readline()
    if not line:
        raise CliError("no password given on stdin")
    return line.rstrip("\r\n")


def _engine(args: argparse.Namespace, *, upgrade: bool = False):  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import SQLAlchemyError

    from hmi.config import ConfigError, effective_database_url, load_settings, with_database_password
    from hmi.storage.database import DatabaseUrlError, make_engine, resolve_db_url, safe_url
    from hmi.storage.migrate import current_revision, head_revision
    from hmi.storage.migrate import upgrade as do_upgrade

    try:
        url = resolve_db_url(effective_database_url(args.db, load_settings()))
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    try:
        engine = make_engine(with_database_password(url))
        if upgrade:
            from hmi.storage.migrate import backup_before_upgrade

            backup = backup_before_upgrade(engine)
            if backup:
                print(f"database copied to {backup} before migrating it")
            do_upgrade(engine)
        elif current_revision(engine) != head_revision():
            raise CliError(f"database {safe_url(url)} is not at the current schema: run `millwatch db upgrade`")
    except DatabaseUrlError as exc:
        raise CliError(str(exc)) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
        raise CliError(f"database {safe_url(url)} unreachable: {reason}") from None
    return engine


def _cmd_db(args: argparse.Namespace) -> int:
    from hmi.storage.migrate import current_revision

    engine = _engine(args, upgrade=True)
    print(f"database {engine.url.render_as_string(hide_password=True)} at schema {current_revision(engine)}")
    return 0


def _cmd_plant(args: argparse.Namespace) -> int:
    from hmi.core.plant import PlantError
    from hmi.services.plant_io import (
        export_plant,
        import_plant,
        import_plant_schematics,
        read_plant_file,
        schematics_dir,
    )
    from hmi.storage.plant_repo import PlantConflict

    try:
        if args.plant_command == "validate":
            plant = read_plant_file(args.file)
            print(f"{args.file}: valid: {len(plant.mills)} mills, {len(plant.sensors())} sensors")
            return 0
        if args.plant_command == "import":
            plant = read_plant_file(args.file)  # validate before touching the database
            schematics = import_plant_schematics(args.file, plant)  # all or nothing, before the plant
            if schematics is not None and schematics.problems:
                problems = [str(p) for p in schematics.problems]
                raise CliError(f"{schematics_dir(args.file)}: {len(problems)} problem(s), nothing written: "
                               f"{problems[0]}", 1, problems)
            engine = _engine(args, upgrade=True)
            report = import_plant(engine, args.file)
            print(
                f"imported {args.file}: {len(report.created)} created, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged"
                + (f", {len(report.not_in_file)} database sensors not in the file" if report.not_in_file else "")
            )
            if schematics is not None:
                print(f"schematics: {len(schematics.copied)} copied from {schematics_dir(args.file)}")
            return 0
        engine = _engine(args)
        plant = export_plant(engine, args.file)
        print(f"exported {len(plant.mills)} mills, {len(plant.sensors())} sensors to {args.file} "
              f"(schematics in {schematics_dir(args.file)})")
        return 0
    except (PlantError, PlantConflict) as exc:
        problems = [str(p) for p in exc.problems]
        summary = f"{args.file}: {len(problems)} problem(s), nothing written: {problems[0]}"
        raise CliError(summary, 1, problems) from None


def _cmd_user(args: argparse.Namespace) -> int:
    from hmi.core.domain import Role
    from hmi.core.errors import ValidationError
    from hmi.services.users import add_user
    from hmi.storage.audit import HeadLog

    engine = _engine(args)
    password = _read_password(args.name)
    try:
        add_user(
            engine,
            args.name,
            password,
            Role(args.role),
            head_log=HeadLog(),
            mills=args.mill,
            display_name=args.display_name,
            temporary=args.temporary,
        )
    except ValidationError as exc:
        raise CliError(f"{exc.field}: {exc.message}") from None
    print(f"user {args.name} ({args.role}) created")
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from hmi.services.audit_service import verify

    engine = _engine(args)
    result = verify(engine, args.head_file)
    if not result.ok:
        raise CliError(result.summary())
    print(result.summary())
    return 0


def _cmd_collect(args: argparse.Namespace) -> int:
    from hmi.app import run_collector

    return run_collector(args)


def _cmd_simulate(args: argparse.Namespace) -> int:
    from hmi.app import run_simulator

    return run_simulator(args)


def _cmd_app(args: argparse.Namespace) -> int:
    from hmi.app import run_app

    return run_app(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from hmi.crash import install_crash_handler, report_fatal
    from hmi.logging_setup import setup_logging

    # A rotating log in the platformdirs log directory (one file per long-running program), stderr too;
    # the self-test prints its own report, so its log goes to the file only.
    program = args.command if args.command in ("collect", "simulate") else None
    log_file = setup_logging(verbose=args.verbose, program=program, console=args.verbose or not args.self_test)
    install_crash_handler(log_file, verbose=args.verbose)
    if args.self_test:
        from hmi.selftest import run_self_test

        return run_self_test()
    handlers = {
        "db": _cmd_db,
        "plant": _cmd_plant,
        "user": _cmd_user,
        "collect": _cmd_collect,
        "audit": _cmd_audit,
        "simulate": _cmd_simulate,
    }
    try:
        return handlers.get(args.command, _cmd_app)(args)
    except CliError as exc:
        sys.stderr.write(f"millwatch: {exc}\n")
        for line in exc.details[1:]:
            sys.stderr.write(f"  {line}\n")
        return exc.code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - logged with its traceback, shown in a dialog (GUI) or one line
        return report_fatal(exc, gui=args.command is None)
