"""`make site` never publishes a broken, partial or shrunken site/, whatever runs at once or is killed.

Each test compares site/ file by file against a complete build of the same data.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_build
from generator import background
from generator.build import recover


def digest(folder: Path) -> dict[str, str]:
    # sitemap.xml carries the build date: a build just after midnight may differ there only.
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in ("sitemap.xml", "sitemap.xml.gz")}


def start_build(site_dir: Path, data_dir: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if data_dir is not None:
        env["IPP_DATA_DIR"] = str(data_dir)
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--site-dir", str(site_dir)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group: kill it with its MkDocs child


def leftovers(site_dir: Path) -> list[str]:
    """What builds left beside the site, once their work in the background is done (old sites deleted)."""
    background.wait(site_dir, 30)
    return sorted(p.name for p in site_dir.parent.iterdir()
                  if p.name.startswith(".site.") and p.name not in (".site.lock", ".site.cache"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, str]:
    """A complete build of the real data, file by file."""
    site_dir = tmp_path_factory.mktemp("reference") / "site"
    result = run_build(site_dir)
    assert result.returncode == 0, result.stderr
    return digest(site_dir)


@pytest.fixture(scope="module")
def build_seconds(reference, tmp_path_factory) -> float:
    started = time.perf_counter()
    assert run_build(tmp_path_factory.mktemp("timed") / "site").returncode == 0
    return time.perf_counter() - started


def test_two_builds_at_once(tmp_path, reference):
    site_dir = tmp_path / "site"
    first = start_build(site_dir)
    time.sleep(0.5)  # validation done, MkDocs under way: the second one meets the lock
    second = start_build(site_dir)
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    codes = [first.returncode, second.returncode]
    assert 0 in codes, outputs
    for code, (_, stderr) in zip(codes, outputs):
        if code != 0:
            assert "another build of" in stderr and "is running" in stderr, stderr
    assert digest(site_dir) == reference
    assert leftovers(site_dir) == []


@pytest.mark.parametrize("whom", ["group", "parent"])
def test_kills_at_random_moments_never_break_site(tmp_path, reference, build_seconds, whom):
    """SIGKILL the build (with its MkDocs child, or only the parent) at random moments of its run:
    after each kill site/ is complete (the previous or the new build), and the next build recovers."""
    site_dir = tmp_path / "site"
    assert run_build(site_dir).returncode == 0
    chance = random.Random(f"{whom}-{os.getpid()}")
    for _ in range(3):
        build = start_build(site_dir)
        time.sleep(chance.uniform(0.2, build_seconds * 1.1))
        if whom == "group":
            os.killpg(build.pid, signal.SIGKILL)
        else:
            build.kill()
        build.communicate()
        assert digest(site_dir) == reference
    deadline = time.time() + 120
    while True:  # an orphaned MkDocs child holds the lock until it ends
        result = run_build(site_dir)
        if result.returncode == 0 or "is running" not in result.stderr or time.time() > deadline:
            break
        time.sleep(0.5)
    assert result.returncode == 0, result.stderr
    assert digest(site_dir) == reference
    assert leftovers(site_dir) == []


def test_recovery_from_a_kill_between_two_renames(tmp_path):
    """The state an older build left when killed between its two renames: no site/, the old one aside."""
    site_dir = tmp_path / "site"
    (tmp_path / ".site.previous").mkdir()
    (tmp_path / ".site.previous" / "index.html").write_text("old site")
    (tmp_path / ".site.building").mkdir()
    (tmp_path / ".site.building-x1y2").mkdir()
    recover(site_dir)
    assert (site_dir / "index.html").read_text() == "old site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_mkdocs_warning_fails_the_build(tmp_path, data_copy):
    """A broken link in a hand-written page is a warning: the build stops, shows it, keeps site/."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    about = content / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[断链](no-such-page.md)\n", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: content", f"docs_dir: {content}")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    config = config.replace("- generator/mkdocs_hook.py", f"- {ROOT / 'generator' / 'mkdocs_hook.py'}")
    for folder in ("data", "theme", "generator"):  # watched folders, relative to the configuration file
        config = config.replace(f"\n  - {folder}\n", f"\n  - {ROOT / folder}\n")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(config, encoding="utf-8")
    site_dir = tmp_path / "site"
    env = {**os.environ, "IPP_DATA_DIR": str(data_copy)}
    build = [sys.executable, "-m", "generator", "build", "--site-dir", str(site_dir), "--config-file", str(config_file)]
    result = subprocess.run(build, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "WARNING" in result.stderr and "no-such-page.md" in result.stderr, result.stderr
    assert not site_dir.exists()
    about.write_text(about.read_text(encoding="utf-8").replace("[断链](no-such-page.md)", ""), encoding="utf-8")
    result = subprocess.run(build, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
