"""A document's table of contents, cut into pages of bounded size.

The document's page shows the first part of its 目录; should the rest not fit (a plan many times
today's size), it continues on pages at the document's URL + "n/". Each page is a forest of
nested lines: one that begins inside a part repeats that part's headings first, marked as
continued, so every page reads on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import Document, Node

# Estimated bytes of 目录 lines on one page: the real documents' contents (about 30 KB for the
# 139 tasks of 2023) fit on their document's page; with the page's other parts every page stays
# well under 100 KB.
CONTENTS_BUDGET = 50_000
LINE_OVERHEAD = 64  # tags, attributes and the relative link of one line


@dataclass
class Line:
    node: Node
    children: list[Line] = field(default_factory=list)
    continued: bool = False  # a heading repeated from an earlier page


@dataclass
class ContentsPage:
    number: int
    url: str
    lines: list[Line]


@dataclass
class Contents:
    """The pages of one document's 目录 (the names `pages`, `total`, `page_url` are those the page
    links of theme/generator/_listing.html read)."""

    url: str
    total: int
    pages: list[ContentsPage]

    def page_url(self, number: int) -> str:
        return self.url if number == 1 else f"{self.url}{number}/"


def _shown(node: Node) -> list[Node]:
    return [child for child in node.children if child.kind != "indicator"]  # indicators: the table's rows


def _preorder(nodes: list[Node], depth: int = 0):
    for node in nodes:
        yield node, depth
        yield from _preorder(_shown(node), depth + 1)


def _cost(node: Node) -> int:
    return LINE_OVERHEAD + 3 * len(node.heading)


def _forest(lines: list[tuple[Node, int]]) -> list[Line]:
    """Nested lines, the first line's ancestors repeated above it (continued)."""
    roots: list[Line] = []
    stack: list[tuple[int, Line]] = []
    first, _ = lines[0]
    for depth, ancestor in enumerate(first.ancestors):
        line = Line(ancestor, continued=True)
        (stack[-1][1].children if stack else roots).append(line)
        stack.append((depth, line))
    for node, depth in lines:
        while stack and stack[-1][0] >= depth:
            stack.pop()
        line = Line(node)
        (stack[-1][1].children if stack else roots).append(line)
        stack.append((depth, line))
    return roots


def contents(document: Document, budget: int | None = None) -> Contents:
    budget = budget or CONTENTS_BUDGET
    chunks: list[list[tuple[Node, int]]] = [[]]
    used = 0
    for node, depth in _preorder(document.sections):
        cost = _cost(node)
        if chunks[-1] and used + cost > budget:
            chunks.append([])
            used = 0
        chunks[-1].append((node, depth))
        used += cost
    result = Contents(document.url, sum(len(chunk) for chunk in chunks), [])
    result.pages = [ContentsPage(number, result.page_url(number), _forest(chunk) if chunk else [])
                    for number, chunk in enumerate(chunks, 1)]
    return result
