"""The build's worker processes change nothing: the same site, byte for byte, built in one process."""
from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


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
