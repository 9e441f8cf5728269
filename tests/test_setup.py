"""Set-up (`make deps`): nothing installed on an up-to-date .venv, an old Python refused at once."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _project_copy(folder: Path) -> Path:
    for name in ("Makefile", "pyproject.toml", "constraints.txt", "package-lock.json"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def _make(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-C", str(folder), *args], capture_output=True, text=True,
                          env={**os.environ, "MAKEFLAGS": ""})


def test_up_to_date_venv_installs_nothing(tmp_path):
    """`PIP=false` makes any install attempt fail: an up-to-date .venv must not try one (so it works offline)."""
    project = _project_copy(tmp_path)
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / "bin" / "python").symlink_to(sys.executable)
    assert _make(project, "deps", "PIP=false").returncode != 0  # never set up: it must install
    assert _make(project, "deps", "PIP=true").returncode == 0  # a (pretend) successful install
    quiet = _make(project, "deps", "PIP=false")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == "", quiet
    with open(project / "constraints.txt", "a", encoding="utf-8") as constraints:
        constraints.write("# a changed pin\n")
    assert _make(project, "deps", "PIP=false").returncode != 0  # dependency files changed: it must install


def test_old_python_stops_at_once_and_leaves_no_venv(tmp_path):
    project = _project_copy(tmp_path)
    old_python = tmp_path / "python3.10"
    old_python.write_text("#!/bin/sh\n"
                          "case \"$1\" in --version) echo 'Python 3.10.12';; -c) exit 1;; *) touch venv-attempted; exit 1;; esac\n")
    old_python.chmod(0o755)
    result = _make(project, "site", f"PYTHON={old_python}")
    assert result.returncode != 0
    assert "Python 3.11 or newer is needed" in result.stderr and "3.10.12" in result.stderr, result.stderr
    assert not (project / ".venv").exists() and not (project / "venv-attempted").exists()


def test_clean_venv_removes_a_broken_venv(tmp_path):
    project = _project_copy(tmp_path)
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / "bin" / "python").write_text("#!/bin/sh\nexit 1\n")
    (project / ".venv" / "bin" / "python").chmod(0o755)
    result = _make(project, "deps")
    assert result.returncode != 0 and "make clean-venv" in result.stderr, result.stderr
    assert _make(project, "clean-venv").returncode == 0
    assert not (project / ".venv").exists()
