"""YAML out and in for the importer: documents written the way editors keep them by hand."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

HEADER = "# yaml-language-server: $schema=../schema/document.schema.json\n"
_REF_LINE = re.compile(r"^(\s*- )([a-z0-9-]+/[a-z0-9-]+)$")


class FlowList(list):
    """A short list written on one line: implements: [plan-2021/m-4-1, plan-2021/col-1]."""


class _Dumper(yaml.SafeDumper):
    """Block style, long lines kept whole (folding would insert spaces into Chinese)."""


def _str(dumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(FlowList, lambda dumper, value: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", value, flow_style=True))


def dump_document(document: dict, comments: dict[str, str] | None = None) -> str:
    """The document as YAML; `comments` puts a remark after each listed reference (what it names)."""
    for node in _nodes(document.get("sections")):
        if node.get("implements"):
            node["implements"] = FlowList(node["implements"])
    body = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)
    if comments:
        lines = []
        for line in body.splitlines():
            match = _REF_LINE.match(line)
            if match and match[2] in comments:
                line += f"  # {comments[match[2]]}"
            lines.append(line)
        body = "\n".join(lines) + "\n"
    return HEADER + body


def _nodes(nodes):
    for node in nodes or []:
        yield node
        yield from _nodes(node.get("children"))


def load_plain(path: Path):
    """(data, None) or (None, 'LINE: what is wrong') — never an exception."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return None, f"{mark.line + 1 if mark else 1}: YAML syntax error: {error.problem}"
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as error:
        return None, f"1: cannot be read: {error}"
