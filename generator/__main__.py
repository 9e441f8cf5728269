"""Command line: `python -m generator check | import-plan | build`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .pipeline import DATA_DIR, DataError, load_corpus


def _check(args) -> int:
    try:
        corpus = load_corpus(Path(args.data) if args.data else None)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in the data; nothing was built.", file=sys.stderr)
        return 1
    print(f"data ok: {len(corpus.documents)} documents, {len(corpus.nodes)} items, "
          f"{len(corpus.departments)} departments, {len(corpus.topics)} topics")
    return 0


def _import_plan(args) -> int:
    from .importer import ImportError_, import_plan

    output = Path(args.output) if args.output else DATA_DIR / "documents" / f"{args.id}.yml"
    try:
        parsed = import_plan(
            Path(args.file), output, doc_id=args.id, year=args.year, issuer=args.issuer, date=args.date,
            number=args.number, source=args.source or str(Path(args.file)), short_title=args.short_title,
        )
    except ImportError_ as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 1
    tasks = sum(1 for line in output.read_text(encoding="utf-8").splitlines() if line.strip() == "kind: task")
    print(f"wrote {output}: {len(parsed['sections'])} parts, {tasks} tasks")
    return 0


def _build(args) -> int:
    from .build import build_site

    return build_site(Path(args.site_dir), strict=not args.no_strict)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate data/ and report every problem")
    check.add_argument("--data", default=None, help="default: data/ or $IPP_DATA_DIR")
    check.set_defaults(run=_check)

    plan = commands.add_parser("import-plan", help="import an annual 推进计划 text into YAML")
    plan.add_argument("file")
    plan.add_argument("--id", required=True, help="document id, e.g. plan-2024")
    plan.add_argument("--year", type=int, required=True)
    plan.add_argument("--issuer", default="国务院知识产权战略实施工作部际联席会议办公室")
    plan.add_argument("--date", default="")
    plan.add_argument("--number", default="")
    plan.add_argument("--short-title", default="")
    plan.add_argument("--source", default="", help="source path recorded in the YAML")
    plan.add_argument("--output", default="", help="default: data/documents/<id>.yml")
    plan.set_defaults(run=_import_plan)

    build = commands.add_parser("build", help="validate, build the site elsewhere, then swap it into place")
    build.add_argument("--site-dir", default="site")
    build.add_argument("--no-strict", action="store_true")
    build.set_defaults(run=_build)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
