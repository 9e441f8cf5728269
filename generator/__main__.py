"""Command line: `python -m generator check | import-plan | build`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _use_the_projects_environment() -> None:
    """`python -m generator` with a Python that lacks the pinned packages: run again with .venv's
    Python when `make deps` has made it, else say what to do (never a traceback)."""
    import importlib.util

    try:
        import jinja2, yaml  # noqa: F401
        if importlib.util.find_spec("jsonschema") is None:  # imported only for data with problems
            raise ModuleNotFoundError("No module named 'jsonschema'")
    except ModuleNotFoundError as error:
        venv = Path(__file__).resolve().parent.parent / ".venv"
        python = venv / "bin" / "python"
        if python.exists() and Path(sys.prefix).resolve() != venv.resolve() and not os.environ.get("IPP_REEXEC"):
            os.environ["IPP_REEXEC"] = "1"
            os.execv(str(python), [str(python), "-m", "generator", *sys.argv[1:]])
        print(f"python -m generator needs the project's packages ({error}). Run `make deps` once (it makes .venv), "
              f"then `.venv/bin/python -m generator …`, or use the make targets (make import FILE=… ID=…).",
              file=sys.stderr)
        sys.exit(1)


_use_the_projects_environment()

from .pipeline import DATA_DIR, DataError, load_corpus  # noqa: E402


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
    from .importer_command import ImportOptions, run_import
    from .pipeline import data_dir
    from .suggest import suggest_into

    options = ImportOptions(
        file=Path(args.file), doc_id=args.id, data=Path(args.data) if args.data else data_dir(), year=args.year,
        force=args.force, obtained_from=args.obtained_from, obtained_on=args.obtained_on, issuer=args.issuer,
        date=args.date, number=args.number, short_title=args.short_title,
    )
    result = run_import(options, suggest=suggest_into)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.problems:
        print(f"{len(result.problems)} problem(s); nothing was written.", file=sys.stderr)
        return 1
    for message in result.messages:
        print(message)
    if result.unresolved:
        print(f"{len(result.unresolved)} department name(s) to resolve before the site builds:")
        for line in result.unresolved:
            print(line)
    return 0


def _build(args) -> int:
    from .build import build_site

    config = {"config_file": Path(args.config_file).resolve()} if args.config_file else {}
    return build_site(Path(args.site_dir), strict=not args.no_strict, **config)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate data/ and report every problem")
    check.add_argument("--data", default=None, help="default: data/ or $IPP_DATA_DIR")
    check.set_defaults(run=_check)

    plan = commands.add_parser("import-plan", help="import an annual 推进计划 text into YAML")
    plan.add_argument("file")
    plan.add_argument("--id", required=True, help="document id, e.g. plan-2024")
    plan.add_argument("--year", type=int, default=None, help="default: the year the title starts with")
    plan.add_argument("--force", action="store_true", help="replace an existing document (links and notes are kept)")
    plan.add_argument("--obtained-from", default="", help="where the text was obtained (URL), for the provenance file")
    plan.add_argument("--obtained-on", default="", help="date obtained, YYYY-MM-DD (default: today)")
    plan.add_argument("--issuer", default=None, help="default: the previous file's, or the 联席会议办公室")
    plan.add_argument("--date", default=None, help="date of issue, YYYY-MM-DD")
    plan.add_argument("--number", default=None, help="文号 as printed")
    plan.add_argument("--short-title", default=None)
    plan.add_argument("--data", default=None, help="default: data/ or $IPP_DATA_DIR")
    plan.set_defaults(run=_import_plan)

    build = commands.add_parser("build", help="validate, build the site elsewhere, then swap it into place")
    build.add_argument("--site-dir", default="site")
    build.add_argument("--no-strict", action="store_true")
    build.add_argument("--config-file", default="", help="default: mkdocs.yml")
    build.set_defaults(run=_build)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without freeing a big build's objects one by one (half a second at 30× the corpus): every
    # file is written and closed, every child process has finished or been stopped.
    os._exit(code)
