"""Importer for the standard format of the annual 推进计划 (implementation plan).

The format: a title, a preamble, parts `一、…`, optional groups `（一）…`, and numbered tasks
`N．text（部门、部门按职责分工负责）` wrapped at a fixed width, then a closing paragraph.
Where several departments are listed, the first leads (the plans say so at their end).

    python -m generator import-plan FILE --id plan-2024 [--year 2024 --issuer … --date …]
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .load import walk_raw

PART = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
GROUP = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")
TASK = re.compile(r"^(\d+)[．.](.*)$")
# The closing bracket of a task: （A、B按职责分工负责） or （A负责）.
DUTY = re.compile(r"（([^（）]+?)(?:按职责分工)?负责）$")
CLOSING_START = "上述各项任务分工中"


class ImportError_(ValueError):
    """The text does not follow the standard format; the message says where."""


# PDF extraction pads Chinese with spaces ("2023 年"); spaces next to CJK text carry no meaning.
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…]"
_CJK_SPACE = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")


def _lines(text: str) -> list[str]:
    return [_CJK_SPACE.sub("", line.strip()) for line in text.splitlines() if line.strip()]


def _split_title(lines: list[str]) -> tuple[str, list[str]]:
    """The title is the first lines up to the one that ends in 计划 (推进计划, 实施计划)."""
    title = ""
    for index, line in enumerate(lines):
        title += line
        if title.endswith("计划"):
            return title, lines[index + 1:]
        if index >= 3:
            break
    raise ImportError_("line 1: no title ending in 计划 within the first four lines")


def departments_of(text: str) -> list[str]:
    match = DUTY.search(text)
    if not match:
        return []
    return [name.strip() for name in re.split(r"[、，]", match.group(1)) if name.strip()]


def parse_plan(text: str) -> dict:
    """Parse the plan text into the document tree (without document metadata)."""
    title, lines = _split_title(_lines(text))
    preamble: list[str] = []
    closing: list[str] = []
    parts: list[dict] = []
    current: dict | None = None  # the block that continuation lines extend
    numbers_seen: list[int] = []

    def open_block(block: dict, where: list) -> dict:
        where.append(block)
        return block

    for line in lines:
        if closing or line.startswith(CLOSING_START):
            closing.append(line)
            continue
        if match := PART.match(line):
            part = {"id": f"p-{len(parts) + 1}", "kind": "chapter", "number": match[1],
                    "title": match[2], "children": []}
            current = open_block(part, parts)
        elif (match := GROUP.match(line)) and parts:
            part = parts[-1]
            groups = [c for c in part["children"] if c["kind"] == "section"]
            group = {"id": f"{part['id']}-{len(groups) + 1}", "kind": "section",
                     "number": match[1], "title": match[2], "children": []}
            current = open_block(group, part["children"])
        elif (match := TASK.match(line)) and parts:
            number = int(match[1])
            expected = numbers_seen[-1] + 1 if numbers_seen else 1
            if number != expected:
                raise ImportError_(f"task {number} follows task {expected - 1}: numbering broken")
            numbers_seen.append(number)
            parent = parts[-1]
            if parent["children"] and parent["children"][-1]["kind"] == "section":
                parent = parent["children"][-1]
            task = {"id": f"t-{number}", "kind": "task", "number": str(number), "text": match[2]}
            current = open_block(task, parent["children"])
        elif current is None:
            preamble.append(line)
        elif current["kind"] == "task":
            current["text"] += line
        else:
            current["title"] += line

    if not parts:
        raise ImportError_("no part heading (一、…) found")
    for node, _ in walk_raw(parts):
        if node["kind"] == "task":
            names = departments_of(node["text"])
            if not names:
                raise ImportError_(f"task {node['number']}: no closing （…负责） bracket")
            node["lead"] = names[0]
            if names[1:]:
                node["participants"] = names[1:]
    for part in parts:
        if not part["children"]:
            del part["children"]
    return {
        "title": title,
        "preamble": "".join(preamble),
        "sections": parts,
        "closing": "".join(closing),
    }


class _Dumper(yaml.SafeDumper):
    """Block style, long lines kept whole (folding would insert spaces into Chinese)."""


def _str_representer(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def plan_to_yaml(text: str, *, doc_id: str, year: int, issuer: str, date: str, number: str,
                 source: str, short_title: str) -> str:
    parsed = parse_plan(text)
    document = {
        "id": doc_id,
        "title": parsed["title"],
        "short_title": short_title or f"{year}年推进计划",
        "kind": "implementation-plan",
        "issuer": issuer,
        "number": number,
        "date": date,
        "year": year,
        "source": source,
        "preamble": parsed["preamble"],
        "sections": parsed["sections"],
        "closing": parsed["closing"],
    }
    body = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)
    return "# yaml-language-server: $schema=../schema/document.schema.json\n" + body


def import_plan(text_file: Path, output: Path, **options) -> dict:
    """Write the YAML for the plan in `text_file`; returns the parsed tree."""
    text = text_file.read_text(encoding="utf-8")
    output.write_text(plan_to_yaml(text, **options), encoding="utf-8")
    return parse_plan(text)
