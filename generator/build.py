"""`make site`: validate, build into a scratch folder, and only then swap it into place.

A failed build (bad data, a strict MkDocs warning) leaves the last good site/ untouched.
MkDocs runs as a subprocess so this module, like the rest of the core, does not import it.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from .pipeline import DataError, load_corpus

ROOT = Path(__file__).resolve().parent.parent


def build_site(site_dir: Path, strict: bool = True, config_file: Path = ROOT / "mkdocs.yml") -> int:
    started = time.perf_counter()
    try:
        corpus = load_corpus()
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) in the data; {site_dir} was left as it was.", file=sys.stderr)
        return 1
    site_dir = site_dir if site_dir.is_absolute() else ROOT / site_dir
    scratch = site_dir.with_name(f".{site_dir.name}.building")
    previous = site_dir.with_name(f".{site_dir.name}.previous")
    for leftover in (scratch, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config_file),
               "--site-dir", str(scratch)] + (["--strict"] if strict else [])
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        print(f"build failed; {site_dir} was left as it was.", file=sys.stderr)
        return result.returncode
    if site_dir.exists():
        site_dir.rename(previous)
    scratch.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    print(f"built {site_dir.relative_to(ROOT) if site_dir.is_relative_to(ROOT) else site_dir}: "
          f"{len(corpus.documents)} documents, {len(corpus.nodes)} items, {pages} pages "
          f"in {time.perf_counter() - started:.1f} s")
    return 0
