"""Phase 1 — load: read the YAML under data/ and remember where every value came from.

Mappings and lists are returned as `Located` subclasses of dict/list that carry the line of
each key or element, so later phases can report `file:line: problem` without re-reading.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml


class LocatedDict(dict):
    """A mapping that knows its file, its own line and the line of each key."""

    file: str = ""
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    file: str = ""
    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


# libyaml's parser when PyYAML was built with it (it is in the PyPI wheels): 4× faster loading.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):
    """Safe loader that builds Located containers. Dates stay strings: editors write them as text."""

    source_name = ""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.file, result.line, result.key_lines = loader.source_name, node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.file, result.line = loader.source_name, node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Keep dates and timestamps as the strings the editor typed.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def walk_raw(nodes, parent=None):
    """(node, parent) for every mapping in a raw YAML node tree, depth first, in document order."""
    for node in nodes or []:
        if isinstance(node, dict):
            yield node, parent
            yield from walk_raw(node.get("children"), node)


@dataclass
class Problem:
    """One thing wrong with the data, reported as `file:line: message`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class RawData:
    """Everything read from data/, before validation."""

    root: Path
    documents: list = field(default_factory=list)  # LocatedDict per document file
    departments: object = None
    topics: object = None
    publication: object = None  # data/publication.yml: repository, licences
    synonyms: object = None
    problems: list = field(default_factory=list)


def display_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def load_yaml(path: Path, root: Path, problems: list):
    """Parse one file; a syntax error becomes a Problem (with its line) instead of an exception."""
    name = display_path(path, root)
    loader = _Loader(path.read_text(encoding="utf-8"))
    loader.source_name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(p for p in (error.context, error.problem) if p)
        problems.append(Problem(name, line, f"YAML syntax error: {what}"))
    except yaml.YAMLError as error:
        problems.append(Problem(name, 1, f"YAML error: {error}"))
    finally:
        loader.dispose()
    return None


def load_data(root: Path) -> RawData:
    """Read data/departments.yml, data/topics.yml, data/publication.yml, data/synonyms.yml and data/documents/*.yml."""
    raw = RawData(root=root)
    for path in sorted((root / "documents").glob("*.yml")):
        document = load_yaml(path, root, raw.problems)
        if document is not None:
            raw.documents.append(document)
    for name in ("departments", "topics", "publication", "synonyms"):
        path = root / f"{name}.yml"
        if path.exists():
            setattr(raw, name, load_yaml(path, root, raw.problems))
    return raw
