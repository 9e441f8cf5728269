"""Fuzzing the real data: whatever an editor's slip or an attacker does to a data file, the build
either succeeds with a complete site or stops with `file:line: what` messages and leaves site/
byte for byte. Never a traceback, never a hang.

Most examples run validation in-process (fast); a few go through `python -m generator build`.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, ROOT, run_build
from generator.index import build_corpus
from generator.load import load_data
from generator.render import render_site
from generator.validate import validate

FILES = sorted(str(p.relative_to(DATA)) for p in [*(DATA / "documents").glob("*.yml"), DATA / "departments.yml",
                                                   DATA / "topics.yml", *(DATA / "sources").glob("*.yml")])
INJECTED = ["\x00", "\x1b", "\u202e", "\u200b", "\u2028", "\t", ":", "- ", "[", "{", "&a ", "*a", '"', "'", "\n",
            "\ufeff", "é", "\\", "%", "!!python/object:os.system ", "<<: ", "? ", "|", ">", "#", "{n}{", "=1+1"]
VALUES = ["[1, 2]", "{a: 1}", "3.5", ".nan", "-.inf", "2023.0", "true", "null", "~", "''", "0x1F", "2021-10-09",
          "!!binary aGVsbG8=", "*a", "&a x", "[" * 60 + "]" * 60]
PROBLEM = re.compile(r"^data/[^:\n]+:[1-9]\d*: \S")


@st.composite
def mutations(draw):
    """(file, new bytes) for one mutation of one real data file."""
    name = draw(st.sampled_from(FILES))
    text = (DATA / name).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "retype", "inject", "nest", "encoding"]))
    at = draw(st.integers(0, len(lines) - 1))
    span = draw(st.integers(1, 40))
    if kind == "truncate":
        text = text[:draw(st.integers(0, len(text)))]
    elif kind == "delete":
        text = "".join(lines[:at] + lines[at + span:])
    elif kind == "duplicate":
        text = "".join(lines[:at + span] + lines[at:at + span] + lines[at + span:])
    elif kind == "retype":
        line = lines[at]
        if ":" in line:
            key = line.split(":", 1)[0]
            lines[at] = f"{key}: {draw(st.sampled_from(VALUES))}\n"
        text = "".join(lines)
    elif kind == "inject":
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(st.sampled_from(INJECTED)) + text[position:]
    elif kind == "nest":
        depth = draw(st.integers(2, 120))
        indent = re.match(r" *", lines[at])[0]
        nested = "".join(f"{indent}{'  ' * level}- children:\n" for level in range(depth))
        text = "".join(lines[:at] + [nested] + lines[at:])
    else:
        return name, text.encode("gb18030")
    return name, text.encode("utf-8")


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


def _validate_within(data_dir: Path, seconds: int) -> list[str]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        raw = load_data(data_dir)
        problems = [str(p) for p in validate(raw)]
        if not problems:
            render_site(build_corpus(raw))  # valid data must also render without an exception
        return problems
    except _Hang:
        pytest.fail(f"validation took more than {seconds} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A copy of data/ made once; each example changes one file and puts it back."""
    data = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(DATA, data)
    return data


@contextlib.contextmanager
def _mutated(data: Path, name: str, content: bytes):
    original = (data / name).read_bytes()
    (data / name).write_bytes(content)
    try:
        yield data
    finally:
        (data / name).write_bytes(original)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(mutations())
def test_mutated_data_validates_with_clear_messages(scratch, mutation):
    name, content = mutation
    with _mutated(scratch, name, content) as data:
        problems = _validate_within(data, seconds=20)
    for problem in problems:
        assert PROBLEM.match(problem), problem
        assert "Traceback" not in problem and len(problem) < 1000, problem[:300]


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("fuzz-site") / "site"
    assert run_build(site).returncode == 0
    return site


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(mutations())
def test_mutated_data_builds_a_complete_site_or_keeps_the_old_one(scratch, built, mutation):
    name, content = mutation
    before = _digest(built)
    with _mutated(scratch, name, content) as data:
        _build_and_judge(data, built, before)


def _build_and_judge(data: Path, built: Path, before: dict) -> None:
    env = {**os.environ, "IPP_DATA_DIR": str(data), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(built)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)  # a hang fails here
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    if result.returncode == 0:  # complete: every page the data makes, and the theme's own
        expected = [page.url for page in render_site(build_corpus(load_data(data))).pages]
        missing = [url for url in expected + ["", "about/"] if not (built / url / "index.html").is_file()]
        assert missing == [] and (built / "404.html").is_file(), missing[:10]
    else:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert any(PROBLEM.match(line) for line in lines), result.stderr[-2000:]
        assert _digest(built) == before
