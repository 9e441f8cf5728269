"""Shared fixtures: the real site built once per session, and scratch copies of data/."""
from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import background

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def run_build(site_dir: Path, data_dir: Path | None = None, **environment: str) -> subprocess.CompletedProcess:
    """`python -m generator build` as `make site` runs it, optionally on other data or with SITE_URL etc."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **environment}
    if data_dir is not None:
        env["IPP_DATA_DIR"] = str(data_dir)
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(site_dir)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    background.wait(site_dir)  # its work in the background done: the next build finds the new site's files linked
    return result


def run_check(data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "IPP_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "generator", "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real corpus, built exactly as `make site` builds it."""
    site_dir = tmp_path_factory.mktemp("real") / "site"
    result = run_build(site_dir, SITE_URL="", REPOSITORY_URL="")
    assert result.returncode == 0, result.stderr
    return site_dir


PUBLISHED_URL = "https://example.github.io/ip-plans/"
PUBLISHED_REPOSITORY = "https://github.com/example/ip-plans"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The real corpus built as the Pages workflow builds it: with a public address and repository."""
    site_dir = tmp_path_factory.mktemp("published") / "site"
    result = run_build(site_dir, SITE_URL=PUBLISHED_URL, REPOSITORY_URL=PUBLISHED_REPOSITORY)
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} must start with a UTF-8 BOM"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))


def page_text(path: Path) -> str:
    """The visible text of a built page's article, tags removed and entities decoded."""
    source = path.read_text(encoding="utf-8")
    start = source.find('<article class="md-content__inner')
    body = source[start:] if start >= 0 else source
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    body = re.sub(r'<sup class="ipp-noteref">.*?</sup>', "", body, flags=re.S)  # 校注 markers, not text
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
