"""A data file parsed again after an edit: only the chapters whose lines changed are parsed.

Document files are written as a mapping whose `sections:` lists the chapters as a block sequence,
one `- ` line opening each (at column 0, or indented alike). A chapter's lines parse alone to the
value they have inside the file (its line numbers move by where it starts), and the rest of the
file, the chapters' lines left empty, parses to the mapping around them. So a build keeps each chapter parsed (by the SHA-1 of its
text) and the next one parses only the chapters it has not seen. Anything unusual (a parse error, a
chapter that is not one value, a `sections:` that is not the file's key) and the caller parses the
whole file as before: every message an editor reads comes from the whole file.
"""
from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field, replace

import yaml

from .load import LocatedDict, LocatedList

KEY = "sections:\n"
# Line breaks YAML counts besides \n: a file holding one is parsed whole (line numbers stay right).
OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


@dataclass
class Chapter:
    """One chapter of a file as parsed, and where it stands in the file now."""

    digest: bytes  # of its text
    start: int  # index of its first line in the file
    pickled: bytes  # its value, its lines as they were when it started at index `at`
    line: int  # the line its value begins on (the sequence's item line), when it started at `at`
    at: int

    def value(self):
        value = pickle.loads(self.pickled)
        if self.start != self.at:  # lines were added or removed above it since it was parsed
            shift(value, self.start - self.at)
        return value

    @property
    def item_line(self) -> int:
        return self.line + self.start - self.at


@dataclass
class Pieces:
    """One file as a build parsed it: the digest of its bytes, and either its whole value or its head
    (the mapping, `sections` empty) and chapters, each pickled."""

    digest: bytes
    whole: bytes = b""
    head: tuple[bytes, bytes] = (b"", b"")  # digest of the head's text, pickled value
    chapters: list[Chapter] = field(default_factory=list)

    def value(self):
        """A fresh copy of the file's value (the phases after may change what they get)."""
        if self.whole:
            return pickle.loads(self.whole)
        head = pickle.loads(self.head[1])
        head["sections"] = _sequence(head.file, [(c.value(), c) for c in self.chapters])
        return head


@dataclass
class Cut:
    key: int  # index of the `sections:` line
    head: str  # the file with its chapters' lines left empty
    chapters: list[tuple[int, str]]  # index of the first line, text


def split(text: str) -> Cut | None:
    """The file cut into head and chapters; None when it is not written that way."""
    if KEY not in text or any(mark in text for mark in OTHER_BREAKS):
        return None
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    try:
        key = lines.index(KEY)
    except ValueError:
        return None
    if any(line.startswith("%") for line in lines[:key]):  # directives (%TAG) would reach the head only
        return None
    index = key + 1
    while index < len(lines) and _blank_or_comment(lines[index]):
        index += 1
    indent = len(lines[index]) - len(lines[index].lstrip(" ")) if index < len(lines) else 0
    opening = " " * indent + "- "  # chapters are listed at column 0 or indented, one way in a file
    starts = []
    while index < len(lines):
        line = lines[index]
        if line.startswith(opening):
            starts.append(index)
        elif not starts or not (_blank_or_comment(line) or line.startswith(" " * (indent + 1))):
            break  # another key of the file (or not a chapter at all)
        index += 1
    if not starts:
        return None
    first, end = starts[0], index
    head = "".join(lines[:first]) + "\n" * (end - first) + "".join(lines[end:])
    return Cut(key, head, [(start, "".join(lines[start:stop])) for start, stop in zip(starts, starts[1:] + [end])])


def _blank_or_comment(line: str) -> bool:
    return line.lstrip(" ")[:1] in ("\n", "#", "")


def of_whole(text: str, value, digest: bytes) -> Pieces:
    """The pieces of a file parsed whole, for the next build."""
    cut = split(text)
    sections = value.get("sections") if isinstance(value, LocatedDict) else None
    if cut is None or not isinstance(sections, LocatedList) or value.line_of("sections") != cut.key + 1 \
            or len(sections) != len(cut.chapters) or sections.line != cut.chapters[0][0] + 1:
        return Pieces(digest, whole=_pickled(value))
    last_start, last_text = cut.chapters[-1]
    stops = [start for start, _ in cut.chapters[1:]] + [last_start + last_text.count("\n") + 1]
    if any(not start < line <= stop for (start, _), line, stop in zip(cut.chapters, sections.item_lines, stops)):
        return Pieces(digest, whole=_pickled(value))  # each value must begin within its chapter's lines
    head = LocatedDict(value)
    head.file, head.line, head.key_lines = value.file, value.line, value.key_lines
    head["sections"] = None
    return Pieces(digest, head=(_digest(cut.head), _pickled(head)), chapters=[
        Chapter(_digest(text), start, _pickled(item), line, start)
        for (start, text), item, line in zip(cut.chapters, sections, sections.item_lines)])


def reparse(text: str, before: Pieces, digest: bytes, make_loader) -> tuple[object, Pieces] | None:
    """The file's value and pieces, parsing only the head and chapters `before` lacks; None when the
    file must be parsed whole. `make_loader(text, depth)`: the file's loader, `depth` levels deep."""
    cut = split(text) if not before.whole else None
    if cut is None:
        return None
    head_digest = _digest(cut.head)
    if head_digest == before.head[0]:
        head, head_pickled = pickle.loads(before.head[1]), before.head[1]
    else:
        head = _parse(make_loader(cut.head, 0))
        if not isinstance(head, LocatedDict) or "sections" not in head or head["sections"] is not None \
                or head.line_of("sections") != cut.key + 1:
            return None
        head_pickled = _pickled(head)
    known = {chapter.digest: chapter for chapter in before.chapters}
    items, chapters = [], []
    for start, chapter_text in cut.chapters:
        chapter_digest = _digest(chapter_text)
        chapter = known.get(chapter_digest)
        if chapter is not None:
            chapter = replace(chapter, start=start)
        else:  # parsed where it stands: its lines count from its first
            parsed = _parse(make_loader(chapter_text, 1))
            if not isinstance(parsed, LocatedList) or len(parsed) != 1:
                return None
            chapter = Chapter(chapter_digest, start, _pickled(parsed[0]), parsed.item_lines[0], 0)
        items.append((chapter.value(), chapter))
        chapters.append(chapter)
    head["sections"] = _sequence(head.file, items)
    return head, Pieces(digest, head=(head_digest, head_pickled), chapters=chapters)


def shift(value, lines: int) -> None:
    """Move a parsed value's line numbers by `lines`."""
    if isinstance(value, LocatedDict):
        value.line += lines
        value.key_lines = {key: line + lines for key, line in value.key_lines.items()}
        for child in value.values():
            if type(child) is not str:
                shift(child, lines)
    elif isinstance(value, LocatedList):
        value.line += lines
        value.item_lines = [line + lines for line in value.item_lines]
        for child in value:
            if type(child) is not str:
                shift(child, lines)


def _parse(loader):
    try:
        return loader.get_single_data()
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def _sequence(file: str, items: list[tuple[object, Chapter]]) -> LocatedList:
    """The chapters as the whole file's parse lists them: it begins on the first chapter's `- ` line."""
    sequence = LocatedList(value for value, _ in items)
    sequence.file, sequence.line = file, items[0][1].start + 1
    sequence.item_lines = [chapter.item_line for _, chapter in items]
    return sequence


def _digest(text: str) -> bytes:
    return hashlib.sha1(text.encode()).digest()


def _pickled(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
