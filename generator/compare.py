"""Year over year: a new 推进计划 (or task list) against the latest earlier document of the same kind.

Tasks are matched by wording (TF-IDF over character n-grams, the link suggester's measure), best
pairs first: a pair above the threshold is a task continued, shown with a word-level diff (jieba's
segmentation, difflib's alignment); the rest are new or dropped. Computed in the index phase.
"""
from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field

from .model import Corpus, Document, Node
from .suggest import Model, cosine

COMPARED_KINDS = {"implementation-plan", "task-list"}
# Below this similarity two tasks share only the vocabulary of the field: the 2023 plan's distinct tasks
# score at most 0.46 against each other; a task with a clause rewritten stays well above.
SAME_TASK = 0.5


@dataclass
class Continued:
    new: Node
    old: Node
    similarity: float
    diff: list[tuple[str, str]]  # ("same" | "removed" | "added", text)

    @property
    def unchanged(self) -> bool:
        return all(kind == "same" for kind, _ in self.diff)


@dataclass
class Comparison:
    new: Document
    old: Document
    continued: list[Continued] = field(default_factory=list)
    added: list[Node] = field(default_factory=list)
    dropped: list[Node] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"compare/{self.new.id}/"

    @property
    def title(self) -> str:
        return f"{self.new.short_title}与{self.old.short_title}对照"


def _tasks(document: Document) -> list[Node]:
    return [n for n in document.nodes if n.kind == "task"]


def _text(node: Node) -> str:
    return "\n".join(filter(None, [node.title, node.wording]))


def _words(text: str) -> list[str]:
    import jieba  # loaded only when a comparison exists (its dictionary takes a second)

    jieba.setLogLevel(logging.WARNING)
    return jieba.lcut(text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The new wording against the old, word by word: runs of same, removed and added text."""
    a, b = _words(old), _words(new)
    result: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            result.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            result.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            result.append(("added", "".join(b[j1:j2])))
    return result


def compare(new: Document, old: Document) -> Comparison:
    comparison = Comparison(new, old)
    new_tasks, old_tasks = _tasks(new), _tasks(old)
    model = Model([_text(n) for n in new_tasks + old_tasks])
    new_vectors = [model.vector(_text(n)) for n in new_tasks]
    old_vectors = [model.vector(_text(n)) for n in old_tasks]
    pairs = sorted(((cosine(a, b), i, j) for i, a in enumerate(new_vectors) for j, b in enumerate(old_vectors)),
                   key=lambda pair: -pair[0])
    matched_new: dict[int, tuple[float, int]] = {}
    matched_old: set[int] = set()
    for score, i, j in pairs:
        if score < SAME_TASK:
            break
        if i not in matched_new and j not in matched_old:
            matched_new[i] = (score, j)
            matched_old.add(j)
    for i, node in enumerate(new_tasks):
        if i in matched_new:
            score, j = matched_new[i]
            old_node = old_tasks[j]
            comparison.continued.append(Continued(node, old_node, score, word_diff(_text(old_node), _text(node))))
        else:
            comparison.added.append(node)
    comparison.dropped = [n for j, n in enumerate(old_tasks) if j not in matched_old]
    return comparison


def previous_document(document: Document, documents: list[Document]) -> Document | None:
    """The latest earlier document of the same kind, if any."""
    earlier = [d for d in documents if d.kind == document.kind and d.year < document.year]
    return max(earlier, key=lambda d: (d.year, d.id), default=None)


def attach_comparisons(corpus: Corpus) -> None:
    for document in corpus.documents:
        if document.kind in COMPARED_KINDS:
            previous = previous_document(document, corpus.documents)
            if previous is not None:
                document.comparison = compare(document, previous)
