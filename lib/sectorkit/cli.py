"""The ``sectorkit`` command line.

    sectorkit init REGION [--name NAME]   create a region's workspace
    sectorkit init-example                create the illustrative example workspace
    sectorkit regions                     list the workspaces under SECTORKIT_HOME
    sectorkit export REGION FILE.json     write a whole workspace to one JSON file
    sectorkit import FILE.json [--region ID] [--overwrite]
    sectorkit answers REGION WORKSHEET    print a worksheet's saved answers
    sectorkit export-assessments REGION FILE.xlsx|FILE.csv

Problems a user can fix are printed as one clear line on stderr (exit 2);
no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from sectorkit.errors import SectorkitError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sectorkit", description="Regional sector partnership workspaces and worksheets.")
    p.add_argument("--home", help="workspace root folder (default: $SECTORKIT_HOME or ~/.sectorkit)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("init", help="create a region's workspace")
    s.add_argument("region", help="region id: lowercase letters, digits and hyphens, e.g. central-ohio")
    s.add_argument("--name", help="display name, e.g. 'Central Ohio'")
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
    return p


def run(args: argparse.Namespace) -> str:
    from sectorkit.example import ensure_example_workspace
    from sectorkit.workspace import Workspace, default_root, import_json, list_regions

    root = args.home
    if args.command == "init":
        with Workspace.open(args.region, root, name=args.name) as ws:
            return f"Workspace for '{ws.region}' ({ws.name}) is at {ws.path}"
    if args.command == "init-example":
        with ensure_example_workspace(root) as ws:
            return f"Example workspace ({ws.name}, illustrative) is at {ws.path}"
    if args.command == "regions":
        regions = list_regions(root)
        return "\n".join(regions) if regions else f"No workspaces yet under {root or default_root()}."
    if args.command == "export":
        with Workspace.open(args.region, root, create=False) as ws:
            path = ws.export_json(args.file)
        return f"Exported '{args.region}' to {path}"
    if args.command == "import":
        with import_json(args.file, root, region=args.region, overwrite=args.overwrite) as ws:
            return f"Imported workspace '{ws.region}' ({ws.name}) to {ws.path}"
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
    args = _parser().parse_args(argv)
    try:
        print(run(args))
    except SectorkitError as exc:
        print(f"sectorkit: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"sectorkit: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
