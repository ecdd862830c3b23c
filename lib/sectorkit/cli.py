"""The ``sectorkit`` command line.

    sectorkit init REGION [--name NAME] [--state OH] [--scope region|state] [--counties FIPS,...]
                   [--access-code]           ask for the region's access code (or $SECTORKIT_NEW_ACCESS_CODE)
    sectorkit access set-code REGION      set or replace a region's access code (asked, never an argument)
    sectorkit access add-member REGION USER | remove-member REGION USER   hub users who may open it
    sectorkit access trainer-code         set the trainer code (opens every region and the trainer view)
    sectorkit access show REGION          its members and whether a code is set (never the code or its hash)
    sectorkit init-example                create the illustrative example workspace
    sectorkit regions                     list the workspaces under SECTORKIT_HOME
    sectorkit export REGION FILE.json     write a whole workspace to one JSON file
    sectorkit import FILE.json [--region ID] [--overwrite]
    sectorkit answers REGION WORKSHEET    print a worksheet's saved answers
    sectorkit export-assessments REGION FILE.xlsx|FILE.csv
    sectorkit report REGION [REGION...] | --all [--out DIR] [--format html,pdf]
    sectorkit report --state OH [--out DIR] [--format html,pdf]
                     [--workers N] [--scheduler ADDRESS] [--quiet]
    sectorkit serve [FOLDER] [VOILA OPTIONS...]   serve the worksheets with Voila (one preheated
                     pool for the generic page; old worksheet addresses redirect to it)

Problems a user can fix are printed as one clear line on stderr (exit 2);
no traceback. Anything else that goes wrong (a bug) is one line too, naming the
command and the error, with exit 1; its traceback goes to the log file named in
that line (``<workspace root>/logs/cli.log``, else the temporary folder), never to
the terminal. ``report`` exits 1 when some region's report failed (each failure is
one line on stderr and is listed in the index page).

Access codes are read with :func:`getpass.getpass` (typed twice, not echoed), or, for scripts, from
the environment variable ``SECTORKIT_NEW_ACCESS_CODE``; never from the command line, where other
users of the machine and the shell history would see them. See :mod:`sectorkit.workspaces.access`.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from sectorkit.core.codes import AccessCodeError, check_code
from sectorkit.core.errors import SectorkitError
from sectorkit.example import ensure_example_workspace
from sectorkit.store.workspace import (
    Workspace,
    default_root,
    import_json,
    list_regions,
    validate_region_id,
    workspace_exists,
)
from sectorkit.workspaces.access import (
    access_mode,
    has_trainer_code,
    keeping_access,
    set_trainer_code,
)
from sectorkit.workspaces.regions import create_region

#: command-line failures are logged here (with the traceback for unexpected ones)
LOG = logging.getLogger("sectorkit.cli")
LOG_NAME = "cli.log"


def log_failure(command: str, exc: BaseException, home: str | os.PathLike | None = None) -> Path | None:
    """Write ``exc``'s traceback to ``<home>/logs/cli.log`` (else the temporary folder) and return the file.

    The record also goes to the ``sectorkit`` loggers' own handlers, if any are configured; it is
    never printed by Python's last-resort handler. Returns None if no log file could be written.
    """
    root = Path(home).expanduser() if home else default_root()
    for folder in (root / "logs", Path(tempfile.gettempdir()) / "sectorkit-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(folder / LOG_NAME, encoding="utf-8")
        except OSError:
            continue
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOG.addHandler(handler)
        try:
            LOG.error("sectorkit %s failed", command, exc_info=exc)
        finally:
            LOG.removeHandler(handler)
            handler.close()
        return folder / LOG_NAME
    return None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sectorkit", description="Regional sector partnership workspaces and worksheets.")
    p.add_argument("--home", help="workspace root folder (default: $SECTORKIT_HOME or ~/.sectorkit)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("init", help="create a region's workspace")
    s.add_argument("region", help="region id: lowercase letters, digits and hyphens, e.g. central-ohio")
    s.add_argument("--name", help="display name, e.g. 'Central Ohio'")
    s.add_argument("--state", default="", help="its state, a 2-letter code (read by the statewide view)")
    s.add_argument("--scope", default="region", choices=("region", "state"),
                   help="region (a partnership's team, the default) or state (a state agency's team)")
    s.add_argument("--counties", default="", help="comma-separated 5-digit county FIPS codes")
    s.add_argument("--access-code", action="store_true",
                   help=f"give the region an access code: typed at the prompt (twice), or ${NEW_CODE_ENV}")
    s = sub.add_parser("access", help="who may open a region: access codes, hub members, the trainer code")
    acc = s.add_subparsers(dest="action", required=True)
    a = acc.add_parser("set-code", help="set or replace a region's access code (typed at the prompt)")
    a.add_argument("region")
    for name, text in (("add-member", "let a hub user open the region"), ("remove-member", "stop a hub user")):
        a = acc.add_parser(name, help=text)
        a.add_argument("region")
        a.add_argument("user", help="the hub user name")
    acc.add_parser("trainer-code", help="set the trainer code (opens every region, the trainer and state views)")
    a = acc.add_parser("show", help="a region's members and whether it has an access code")
    a.add_argument("region")
    sub.add_parser("init-example", help="create the illustrative example region's workspace")
    sub.add_parser("regions", help="list the workspaces")
    s = sub.add_parser("export", help="write a whole workspace to a JSON file")
    s.add_argument("region")
    s.add_argument("file")
    s = sub.add_parser("import", help="create a workspace from an exported JSON file")
    s.add_argument("file")
    s.add_argument("--region", help="import under this region id instead of the one in the file")
    s.add_argument("--overwrite", action="store_true", help="replace an existing workspace")
    s = sub.add_parser("export-assessments", help="write every self-assessment to Excel (.xlsx) or CSV")
    s.add_argument("region")
    s.add_argument("file")
    s = sub.add_parser("answers", help="print a worksheet's saved answers as JSON")
    s.add_argument("region")
    s.add_argument("worksheet", help="worksheet id, e.g. step2-aar")
    s = sub.add_parser("serve", help="serve the worksheets with Voila: sectorkit serve worksheets/ --port=8866")
    s.add_argument("voila_args", nargs=argparse.REMAINDER, help="the folder and any voila options")
    s = sub.add_parser("report", help="write each region's report (HTML, PDF) and an index page, or a state report")
    s.add_argument("regions", nargs="*", metavar="REGION", help="region ids to report on")
    s.add_argument("--all", action="store_true", help="every region with a workspace under the workspace root")
    s.add_argument("--state", help="the state report over every region of this state (2-letter code, e.g. OH)")
    s.add_argument("--home", default=argparse.SUPPRESS, help="workspace root folder (same as the global --home)")
    s.add_argument("--out", default="reports-out", help="output folder (default: ./reports-out)")
    s.add_argument("--format", default="html,pdf", help="comma-separated formats: html, pdf (default: html,pdf)")
    s.add_argument("--workers", type=int, default=None, help="local worker processes (default: the CPU count)")
    s.add_argument("--scheduler", help="run on a Dask cluster, e.g. tcp://127.0.0.1:8786")
    s.add_argument("--start-year", type=int, default=2020, help="first year for labor-market figures")
    s.add_argument("--end-year", type=int, default=2023, help="last year for labor-market figures")
    s.add_argument("--quiet", action="store_true", help="no progress bar and no summary on success")
    return p


def report(args: argparse.Namespace) -> int:
    """``sectorkit report``: 0 all written, 1 some region failed, 2 a usage problem."""
    from sectorkit.reports import ReportError, render_all

    if args.state:
        return state_report(args)
    if args.all == bool(args.regions):
        raise SectorkitError("Give one or more region ids, or --all (not both).")
    if args.workers is not None and args.workers < 1:
        raise SectorkitError("--workers must be 1 or more.")
    if args.start_year > args.end_year:
        raise SectorkitError("--start-year must not be after --end-year.")
    if args.all:
        regions = list_regions(args.home)
        if not regions:
            raise SectorkitError(f"No workspaces under {args.home or default_root()}; nothing to report.")
    else:
        regions = [validate_region_id(r) for r in args.regions]  # a hostile id stops here, before any path
    formats = [f for f in args.format.split(",") if f.strip()]
    try:
        batch = render_all(regions, args.out, args.home, formats=formats, workers=args.workers,
                           scheduler=args.scheduler, start_year=args.start_year, end_year=args.end_year,
                           progress=not args.quiet and sys.stderr.isatty())
    except ReportError:
        raise
    for region, problem in sorted(batch.failed.items()):
        print(f"sectorkit: report for '{region}' failed: {problem}", file=sys.stderr)
    if not args.quiet or batch.failed:
        print(f"{len(batch.written)} of {len(regions)} report(s) written to {batch.out_dir} "
              f"in {batch.seconds:.1f} s; index: {batch.index}")
    return 1 if batch.failed else 0


def state_report(args: argparse.Namespace) -> int:
    """``sectorkit report --state OH``: the state report (HTML, PDF) in ``--out``; 0 written, 2 a problem."""
    from sectorkit.reports.state import render_state

    if args.all or args.regions:
        raise SectorkitError("--state makes one state report: give no region ids and no --all with it.")
    start = time.perf_counter()
    paths = render_state(args.state, args.out, args.home, formats=[f for f in args.format.split(",") if f.strip()])
    if not args.quiet:
        print(f"State report written in {time.perf_counter() - start:.1f} s: " + ", ".join(str(p) for p in paths))
    return 0


#: where a script gives a new access code (the CLI never takes one as an argument)
NEW_CODE_ENV = "SECTORKIT_NEW_ACCESS_CODE"


def read_new_code(what: str = "access code") -> str:
    """A new code from ``$SECTORKIT_NEW_ACCESS_CODE``, else typed twice at the terminal (not echoed).

    Raises :class:`~sectorkit.core.codes.AccessCodeError` (an unusable code, two typings that differ) or
    :class:`SectorkitError` (no terminal and no variable); the messages never contain the code.
    """
    given = os.environ.get(NEW_CODE_ENV)
    if given is not None and given.strip():
        return check_code(given)
    if not sys.stdin.isatty():
        raise SectorkitError(f"Type the {what} at a terminal, or give it in the environment variable {NEW_CODE_ENV} "
                             "(for scripts); it is never read from the command line.")
    first = check_code(getpass.getpass(f"New {what}: "))
    if getpass.getpass(f"The {what} again: ").strip() != first:
        raise AccessCodeError(f"The two {what}s differ; nothing was changed.")
    return first


def access(args: argparse.Namespace) -> str:
    """``sectorkit access ...``: one line (or a few) saying what was done; never a code or a hash."""
    root = args.home
    if args.action == "trainer-code":
        existed = has_trainer_code(root)
        path = set_trainer_code(read_new_code("trainer code"), root)
        return f"Trainer code {'replaced' if existed else 'set'} (its hash is in {path})."
    with Workspace.open(args.region, root, create=False) as ws:
        if args.action == "set-code":
            existed = ws.has_access_code
            ws.set_access_code(read_new_code())
            return (f"Access code {'replaced' if existed else 'set'} for '{ws.region}'"
                    + (": passes kept by browsers for the old code no longer open it." if existed else "."))
        if args.action == "add-member":
            added = ws.add_member(args.user)
            return f"'{args.user.strip()}' {'can now open' if added else 'was already a member of'} '{ws.region}'."
        if args.action == "remove-member":
            removed = ws.remove_member(args.user)
            return f"'{args.user.strip()}' {'can no longer open' if removed else 'was not a member of'} '{ws.region}'."
        members = ws.members()
        return "\n".join([
            f"Region '{ws.region}' ({ws.name})",
            f"Access code: {'set' if ws.has_access_code else 'none'}",
            f"Members: {', '.join(members) if members else 'none'}",
            f"This server's access mode (SECTORKIT_ACCESS): {access_mode()}; trainer code: "
            f"{'set' if has_trainer_code(root) else 'none'}",
        ])


def _file_region(path: str) -> str | None:
    """The region id inside an export file, or None (then the import says what is wrong with the file)."""
    try:
        region = json.loads(Path(path).read_text(encoding="utf-8")).get("region")
        return validate_region_id(region)
    except (OSError, ValueError, AttributeError, SectorkitError):
        return None


def init(args: argparse.Namespace) -> str:
    """``sectorkit init``: create a region (with its access code when ``--access-code``)."""
    root = args.home
    code = read_new_code() if args.access_code else None
    exists = workspace_exists(args.region, root)
    if code is not None and exists:
        raise SectorkitError(f"'{args.region}' already exists; change its code with: sectorkit access set-code "
                             f"{args.region}")
    if args.state or args.counties or args.scope != "region" or code is not None or not exists:
        with create_region(args.name or args.region, root, region_id=args.region, counties=args.counties,
                           state=args.state, scope=args.scope, access_code=code) as ws:
            note = " (with its access code)" if code else ""
            if code is None and access_mode() == "code":
                note = ("; it has no access code yet, so only the trainer code opens it (sectorkit access "
                        f"set-code {ws.region})")
            return f"Workspace for '{ws.region}' ({ws.name}) is at {ws.location}{note}"
    with Workspace.open(args.region, root, name=args.name) as ws:
        return f"Workspace for '{ws.region}' ({ws.name}) is at {ws.location}"


def run(args: argparse.Namespace) -> str:
    root = args.home
    if args.command == "init":
        return init(args)
    if args.command == "access":
        return access(args)
    if args.command == "init-example":
        with ensure_example_workspace(root) as ws:
            return f"Example workspace ({ws.name}, illustrative) is at {ws.location}"
    if args.command == "regions":
        regions = list_regions(root)
        return "\n".join(regions) if regions else f"No workspaces yet under {root or default_root()}."
    if args.command == "export":
        with Workspace.open(args.region, root, create=False) as ws:
            path = ws.export_json(args.file)
        return f"Exported '{args.region}' to {path}"
    if args.command == "import":
        target = None
        if args.overwrite:
            target = validate_region_id(args.region) if args.region else _file_region(args.file)
        keep = keeping_access(target, root) if target else contextlib.nullcontext()  # a replace keeps who may open it
        with keep, import_json(args.file, root, region=args.region, overwrite=args.overwrite) as ws:
            return f"Imported workspace '{ws.region}' ({ws.name}) to {ws.location}"
    if args.command == "export-assessments":
        from sectorkit.assessments import export

        with Workspace.open(args.region, root, create=False) as ws:
            path = export(ws, args.file)
        return f"Exported the assessments of '{args.region}' to {path}"
    if args.command == "answers":
        with Workspace.open(args.region, root, create=False) as ws:
            return json.dumps(ws.answers(args.worksheet), indent=2, ensure_ascii=False)
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "serve":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "serve":
            from sectorkit.serve.server import serve

            if args.home:
                os.environ["SECTORKIT_HOME"] = args.home  # the kernels inherit it
            return serve(extra + args.voila_args)
        if args.command == "report":
            return report(args)
        print(run(args))
    except SectorkitError as exc:
        print(f"sectorkit: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"sectorkit: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug: one readable line, the traceback in the log
        log = log_failure(args.command, exc, args.home)
        where = f"the details are in {log}" if log else "no log file could be written"
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        print(f"sectorkit: something went wrong while running '{args.command}': {detail.rstrip('.')}. "
              f"This is a problem in sectorkit, not in what you typed; {where}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
