"""An edited data file parsed chapter by chapter (generator/load_pieces.py) gives exactly what parsing it
whole gives: every value, every line number, every problem. Random edits of the real documents, and
files written to trip the cut (a quoted text spanning a `- ` line, an alias to another chapter, a
directive, a second `sections:` …)."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from generator import load, load_pieces

ROOT = Path(__file__).resolve().parent.parent


def differences(a, b, where="file") -> str | None:
    """Where two parsed values differ, values or lines; None when they are the same."""
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} against {type(b).__name__}"
    if isinstance(a, (load.LocatedDict, load.LocatedList)) and (a.file, a.line) != (b.file, b.line):
        return f"{where}: at {a.file}:{a.line} against {b.file}:{b.line}"
    if isinstance(a, load.LocatedDict):
        if list(a) != list(b) or a.key_lines != b.key_lines:
            return f"{where}: keys {list(a.key_lines.items())[:4]} against {list(b.key_lines.items())[:4]}"
        return next((d for key in a if (d := differences(a[key], b[key], f"{where}.{key}"))), None)
    if isinstance(a, load.LocatedList):
        if len(a) != len(b) or a.item_lines != b.item_lines:
            return f"{where}: items on lines {a.item_lines[:4]} against {b.item_lines[:4]}"
        return next((d for i, (x, y) in enumerate(zip(a, b)) if (d := differences(x, y, f"{where}[{i}]"))), None)
    return None if a == b else f"{where}: {a!r:.40} against {b!r:.40}"


def parse(path: Path, before: dict | None):
    """The file's value, its problems and its pieces; `before`: the last build's pieces (None: no cache)."""
    load.parsed = load.Parsed(before) if before is not None else None
    problems: list = []
    try:
        value = load.load_yaml(path, path.parent.parent, problems)
        return value, [str(p) for p in problems], dict(load.parsed.now) if load.parsed else {}
    finally:
        load.parsed = None


@pytest.fixture
def counted(monkeypatch):
    """How many edited files were parsed by chapter, and how many whole."""
    counts = {"by chapter": 0, "whole": 0}
    reparse = load_pieces.reparse

    def counting(*args, **kwargs):
        result = reparse(*args, **kwargs)
        counts["by chapter" if result is not None else "whole"] += 1
        return result

    monkeypatch.setattr(load_pieces, "reparse", counting)
    return counts


def assert_same_as_whole(path: Path, original: str, edited: str) -> None:
    path.write_text(original, encoding="utf-8")
    _, _, pieces = parse(path, {})
    path.write_text(edited, encoding="utf-8")
    value, problems, again = parse(path, pieces)
    whole, whole_problems, _ = parse(path, None)
    assert problems == whole_problems
    assert (value is None) == (whole is None)
    if whole is not None:
        assert differences(value, whole) is None, differences(value, whole)
        assert differences(parse(path, again)[0], whole) is None  # the pieces kept for the next build


EDITS = ["copy", "delete", "append", "blank", "comment", "dash", "key", "tab", "quote"]


def edit(lines: list[str], rng: random.Random) -> None:
    at = rng.randrange(len(lines))
    what = rng.choice(EDITS)
    if what == "copy":
        lines.insert(at, lines[at])
    elif what == "delete":
        del lines[at]
    elif what == "append":
        lines[at] += "改"
    else:
        lines.insert(at, {"blank": "", "comment": "# 注", "dash": "- x", "key": "extra: 1", "tab": "\tx",
                          "quote": lines[at] + ' "'}[what])


DOCUMENTS = ["plan-2021", "plan-2023", "tasks-2021", "opinions-2015"]


def document(name: str, tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "data" / "documents" / f"{name}.yml"
    path.parent.mkdir(parents=True)
    return (ROOT / "data" / "documents" / f"{name}.yml").read_text(encoding="utf-8"), path


@pytest.mark.parametrize("name", DOCUMENTS)
def test_random_edits_of_each_document_parse_as_the_whole_file(name, tmp_path):
    original, path = document(name, tmp_path)
    rng = random.Random(name)
    for _ in range(25):
        lines = original.split("\n")
        for _ in range(rng.randint(1, 3)):
            edit(lines, rng)
        assert_same_as_whole(path, original, "\n".join(lines))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_word_added_to_a_title_or_text_is_parsed_by_chapter(name, tmp_path, counted):
    original, path = document(name, tmp_path)
    lines = original.split("\n")
    plain = [i for i, line in enumerate(lines) if re.match(r"\s+(title|text): [^'\"|>\[{]", line)]
    for at in random.Random(name).sample(plain, 10):
        edited = lines[:at] + [lines[at] + "改"] + lines[at + 1:]
        assert_same_as_whole(path, original, "\n".join(edited))
    assert counted == {"by chapter": 10, "whole": 0}


BASE = 'id: x\ntitle: "a\n  b"\nsections:\n- id: p-1\n  text: 一\n- id: p-2\n  text: 二\nclosing: 完\n'
UNUSUAL = {
    "a word changed": (BASE.replace("text: 二", "text: 三"), "by chapter"),
    "no newline at the end": (BASE.rstrip("\n"), "by chapter"),
    "a comment between chapters": (BASE.replace("- id: p-2", "# c\n- id: p-2"), "by chapter"),
    "a comment before the first": (BASE.replace("sections:\n", "sections:\n\n# note\n"), "by chapter"),
    "a flow list over two lines": (BASE.replace("  text: 一\n", "  text: 一\n\n  more: [1,\n  2]\n"), "by chapter"),
    "a chapter that is a list": (BASE.replace("- id: p-1", "- - a\n  - b\n- id: p-1"), "by chapter"),
    "chapters indented": (BASE.replace("\n- id", "\n  - id").replace("\n  text", "\n    text"), "by chapter"),
    "a line less indented than its chapter": (BASE.replace("\n- id", "\n  - id").replace("\n  text: 一", "\n    text: 一\n x"), "whole"),
    "a quoted text over a - line": (BASE.replace("text: 一", 'text: "一\n- id: q\n  z"'), "whole"),
    "an alias to another chapter": (BASE.replace("text: 一", "text: &a 一").replace("text: 二", "text: *a"), "whole"),
    "a directive": ("%TAG !e! tag:example.com,2000:\n---\n" + BASE, "whole"),
    "sections: inside a quoted title": (BASE.replace('title: "a\n  b"', 'title: "a\nsections:\n- id: fake\nb"'), "whole"),
    "a second sections:": (BASE.replace("closing: 完\n", "closing: 完\nsections:\n- id: again\n"), "whole"),
    "a second document": (BASE.replace("  text: 二\n", "  text: 二\n---\n"), "whole"),
    "a chapter opened by a lone -": (BASE.replace("- id: p-2", "-\n  id: p-2"), "whole"),
    "a key twice": (BASE.replace("- id: p-1\n", "- id: p-1\n  id: dup\n"), "whole"),
    "a carriage return": (BASE.replace("text: 二\n", "text: 二\r\n"), "whole"),
}


@pytest.mark.parametrize("case", UNUSUAL)
def test_files_that_trip_the_cut_parse_as_the_whole_file(case, tmp_path, counted):
    edited, how = UNUSUAL[case]
    path = tmp_path / "data" / "documents" / "x.yml"
    path.parent.mkdir(parents=True)
    assert_same_as_whole(path, BASE, edited)
    assert counted[how] == 1, counted
