"""The published JSON files' layout: a list or object that holds lists or objects is spread over
lines, one member a line, indented one space a level; anything else is one line (a record of plain
values: `{"id": "plan-2023/t-1", "title": "…"}`).

Readers and diffs see one record a line, and every line is written by json's C encoder:
`json.dumps(indent=…)` falls back to the pure-Python encoder (about 1 s of CPU in a 30× build).
"""
from __future__ import annotations

import json

_line = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _spread(value) -> bool:
    members = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return any(isinstance(member, (dict, list)) and member for member in members)


def _write(value, depth: int, out: list[str]) -> None:
    if not _spread(value):
        out.append(_line(value))
        return
    inner = " " * (depth + 1)
    dict_value = isinstance(value, dict)
    out.append("{\n" if dict_value else "[\n")
    for index, member in enumerate(value.items() if dict_value else value):
        out.append(",\n" + inner if index else inner)
        if dict_value:
            key, member = member
            out.append(_line(str(key)) + ": ")
        _write(member, depth + 1, out)
    out.append("\n" + " " * depth + ("}" if dict_value else "]"))


def dumps(value) -> bytes:
    """UTF-8 JSON text of `value` (which json.loads reads back as it was)."""
    out: list[str] = []
    _write(value, 0, out)
    return "".join(out).encode("utf-8")
