"""The build's worker processes change nothing: the same site, byte for byte, built in one process."""
from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT, run_build


def _differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [str(left / name) for name in comparison.left_only + comparison.right_only + comparison.funny_files]
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    # The search index's key order follows Python's per-process string hashing: compare its content.
    found += [str(left / name) for name in errors] + [
        str(left / name) for name in mismatch
        if not name.endswith(".json") or json.loads((left / name).read_bytes()) != json.loads((right / name).read_bytes())]
    for name in comparison.common_dirs:
        found += _differences(left / name, right / name)
    return found


def test_one_process_builds_the_same_site(site, tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "IPP_WORKERS": "0"}
    single = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(single)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert any((single / "search").glob("*.json"))
    assert _differences(site, single) == []


def test_hostile_titles_and_a_public_address_give_the_same_site_both_ways(tmp_path):
    """Frames filled per page (generator/mkdocs_frame.py) against Material rendering every page, on titles
    and descriptions full of markup characters and with canonical links (SITE_URL) in every page."""
    from test_hostile_input import hostile_data

    data = hostile_data(tmp_path / "data")
    path = data / "documents" / "evil-doc.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for task in document["sections"][0]["children"][:2]:  # quotes and runs of spaces: <title> strips and escapes
        task["title"] = f"题\"引\"'单'  两空格　&amp; <b>粗</b>{task.get('title', '')}"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    built = {}
    for workers in ("1", "0"):  # one writer: its second page of a folder comes from the frame
        built[workers] = tmp_path / f"site-{workers}"
        result = run_build(built[workers], data, IPP_WORKERS=workers, SITE_URL="https://example.org/规划/",
                           IPP_TIMINGS="1")
        assert result.returncode == 0, result.stderr
        if workers == "1":  # the frame was trusted and used, not only tried
            assert re.search(r"pages written, [1-9][0-9]* in a frame", result.stderr), result.stderr
    differences = [d for d in _differences(built["1"], built["0"]) if not d.endswith(("sitemap.xml", "sitemap.xml.gz"))]
    assert differences == []
    assert "&lt;" in (built["1"] / "evil-doc" / "t-2" / "index.html").read_text(encoding="utf-8")
