"""Phase 1 — load: read the YAML under data/ and remember where every value came from.

Mappings and lists are returned as `Located` subclasses of dict/list that carry the line of
each key or element, so later phases can report `file:line: problem` without re-reading.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import hashlib
import os
import re
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


# Data files are small trees: deeper nesting is a mistake (and would exhaust Python's stack).
MAX_DEPTH = 24
# The benches' synthetic corpora (a plan's tree repeated 100 times in one file) are larger by
# construction: they set IPP_BENCH_LARGE_FILES=1, which lifts this one limit.
MAX_FILE_BYTES = 4_000_000 if not os.environ.get("IPP_BENCH_LARGE_FILES") else 1 << 40


def _enter(loader: _Loader, node: yaml.Node) -> None:
    loader.depth = getattr(loader, "depth", 0) + 1
    if loader.depth > MAX_DEPTH:
        raise yaml.constructor.ConstructorError(
            problem=f"nested deeper than {MAX_DEPTH} levels", problem_mark=node.start_mark)


def _construct_child(loader: _Loader, node: yaml.Node):
    # An alias (*name) hands the composer a node it has already built: refused, because a few
    # bytes of aliases expand into an exponentially large tree (a "billion laughs" file).
    if node in loader.constructed_objects or node in loader.recursive_objects:
        raise yaml.constructor.ConstructorError(
            problem="YAML anchors and aliases (&name, *name) are not allowed: write the value out", problem_mark=node.start_mark)
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    _enter(loader, node)
    if any(key_node.tag == "tag:yaml.org,2002:merge" for key_node, _ in node.value):
        raise yaml.constructor.ConstructorError(
            problem="YAML merge keys (<<) are not allowed: write the fields out", problem_mark=node.start_mark)
    result = LocatedDict()
    result.file, result.line, result.key_lines = loader.source_name, node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = _construct_child(loader, key_node)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                problem=f"a key must be text, not {type(key).__name__} {key!r:.40}", problem_mark=key_node.start_mark)
        if key in result:
            raise yaml.constructor.ConstructorError(
                problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark
            )
        result[key] = _construct_child(loader, value_node)
        result.key_lines[key] = key_node.start_mark.line + 1
    loader.depth -= 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    _enter(loader, node)
    result = LocatedList(_construct_child(loader, child) for child in node.value)
    result.file, result.line = loader.source_name, node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    loader.depth -= 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Keep dates and timestamps as the strings the editor typed.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def walk_raw(nodes, parent=None):
    """(node, parent) for every mapping in a raw YAML node tree, depth first, in document order."""
    for node in nodes if isinstance(nodes, list) else []:
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


def _decode(data: bytes, name: str, problems: list) -> str | None:
    """The file's text, or a problem naming the first byte that is not UTF-8 and where it is."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(Problem(name, line, f"not UTF-8: byte 0x{data[error.start]:02x} at column {column} "
                                            f"(the file looks saved in another encoding, e.g. GBK; save it as UTF-8)"))
        return None


def _flow_depth(text: str) -> int:
    """How deep [ and { nest, counted on the raw text before the parser (written in C) recurses."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        depth = max(0, depth + (1 if match[0] in "[{" else -1))
        deepest = max(deepest, depth)
    return deepest


_BRACKETS = re.compile(r"[\[\]{}]")


def load_yaml(path: Path, root: Path, problems: list):
    """Parse one file; every reason it cannot be used becomes a Problem (with its line) instead of an exception."""
    name = display_path(path, root)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.append(Problem(name, 1, f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB"))
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(name, 1, f"cannot be read: {error.strerror or error}"))
        return None
    before = digest = None
    if parsed is not None:
        digest = parsed.digests[name] = hashlib.sha1(data).digest()
        before = parsed.before.get(name)
        if before is not None and before.digest == digest:
            parsed.now[name] = before
            return before.value()
    text = _decode(data, name, problems)
    if text is None:
        return None
    if text.count("[") + text.count("{") > MAX_DEPTH and _flow_depth(text) > MAX_DEPTH:
        problems.append(Problem(name, 1, f"brackets nested deeper than {MAX_DEPTH} levels"))
        return None
    if before is not None:  # an edited file: only what changed in it is parsed
        again = load_pieces.reparse(text, before, digest, lambda part, depth: _loader(part, name, depth))
        if again is not None:
            value, parsed.now[name] = again
            return value
    loader = _loader(text, name)
    try:
        value = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(p for p in (error.context, error.problem) if p)
        problems.append(Problem(name, line, f"YAML syntax error: {what}"))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(name, 1, f"YAML error: {error}"))
        return None
    except RecursionError:
        problems.append(Problem(name, 1, f"nested too deeply"))
        return None
    finally:
        loader.dispose()
    if value is None:
        problems.append(Problem(name, 1, "the file holds no data (empty, or only comments)"))
    elif parsed is not None:
        parsed.now[name] = load_pieces.of_whole(text, value, digest)
    return value


def _loader(text: str, name: str, depth: int = 0) -> _Loader:
    """A loader for a file's text, or for a part of it that lies `depth` levels deep in the file."""
    loader = _Loader(text)
    loader.source_name, loader.depth = name, depth
    return loader


@dataclass
class Parsed:
    """Parsed files kept between builds (generator/incremental.py): display name → the file's pieces
    (generator/load_pieces.py) of the last build (`before`) and of this one (`now`, what to keep);
    `digests`: display name → SHA-1 of the bytes read by this build."""

    before: dict
    now: dict = field(default_factory=dict)
    digests: dict[str, bytes] = field(default_factory=dict)


# Set by `make site`: a file whose bytes are unchanged since the last build is not parsed again.
parsed: Parsed | None = None


# What may live under data/ (dot files such as editors' swap files aside). Anything else would be
# silently ignored, so it is an error: a document saved as .yaml must not vanish from the site.
EXPECTED_FILES = {
    "": (".yml", ".md"),
    "documents": (".yml",),
    "schema": (".json",),
    "sources": (".txt", ".yml"),
}


def unexpected_files(root: Path) -> list[Problem]:
    problems = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or path.is_dir():
            continue
        folder = relative.parent.as_posix() if relative.parent.as_posix() != "." else ""
        allowed = EXPECTED_FILES.get(folder)
        if allowed is None:
            problems.append(Problem(display_path(path, root), 1, f"unexpected file: data files live in "
                                    f"data/, data/documents/, data/sources/ and data/schema/ only"))
        elif path.suffix not in allowed:
            problems.append(Problem(display_path(path, root), 1, f"unexpected file: files here end in "
                                    f"{' or '.join(allowed)} (this one would be ignored)"))
    return problems


MISSING = {
    "departments": "the department registry is missing",
    "topics": "the topics file is missing",
    "publication": "the publication facts (repository, licences) are missing",
    "synonyms": "the search synonyms file is missing",
}


def load_data(root: Path) -> RawData:
    """Read data/departments.yml, data/topics.yml, data/publication.yml, data/synonyms.yml and data/documents/*.yml."""
    raw = RawData(root=root)
    if not root.is_dir():
        raw.problems.append(Problem(str(root), 1, "the data folder does not exist"))
        return raw
    raw.problems += unexpected_files(root)
    for path in sorted((root / "documents").glob("*.yml")):
        document = load_yaml(path, root, raw.problems)
        if document is not None:
            raw.documents.append(document)
    for name in ("departments", "topics", "publication", "synonyms"):
        path = root / f"{name}.yml"
        if path.exists():
            setattr(raw, name, load_yaml(path, root, raw.problems))
        else:
            raw.problems.append(Problem(display_path(path, root), 1, MISSING[name]))
    return raw


from . import load_pieces  # noqa: E402  (it builds on the classes above)
