"""Link suggestions: for each task of a new plan, the plan measures, 专栏 and earlier-year tasks it most
likely carries out, by shared wording (TF-IDF over character n-grams, cosine similarity; pure Python).

Written into the task as `suggested:` — never published. An editor accepts a suggestion by moving it
to `implements`, or deletes it. `python -m generator.suggest_eval` measures them against hand links.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .importer import DUTY
from .importer_yaml import load_plain
from .load import walk_raw

TOP = 3
MINIMUM_SCORE = 0.05  # below this, shared wording is only the common vocabulary of the field
NGRAMS = (2, 3)
_NOT_WORDING = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")


@dataclass
class Candidate:
    ref: str
    label: str  # what the editor sees next to the suggestion
    vector: dict


def _wording(node: dict) -> str:
    parts = [node.get("title") or "", DUTY.sub("", node.get("text") or "")]
    parts += [m.get("text") or "" for m in node.get("measures") or [] if isinstance(m, dict)]
    return "\n".join(parts)


def grams(text: str) -> Counter:
    counts: Counter = Counter()
    for run in _NOT_WORDING.split(text):
        for size in NGRAMS:
            counts.update(run[i:i + size] for i in range(len(run) - size + 1))
    return counts


class Model:
    """IDF from the candidates' wording; vectors are L2-normalised, log-scaled term frequencies."""

    def __init__(self, texts: list[str]):
        frequency: Counter = Counter()
        for text in texts:
            frequency.update(set(grams(text)))
        self.idf = {gram: math.log((1 + len(texts)) / (1 + count)) + 1 for gram, count in frequency.items()}
        self.default_idf = math.log(1 + len(texts)) + 1

    def vector(self, text: str) -> dict:
        weights = {g: (1 + math.log(c)) * self.idf.get(g, self.default_idf) for g, c in grams(text).items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}


def cosine(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(g, 0.0) for g, w in a.items())


def _label(document: dict, node: dict) -> str:
    short = document.get("short_title") or document.get("title") or document.get("id")
    kind = node.get("kind")
    if kind == "column":
        name = f"专栏{node.get('number', '')} {node.get('title', '')}"
    elif kind == "task":
        name = f"任务{node.get('number', '')} {node.get('title') or ''}"
    else:
        name = node.get("title") or (node.get("text") or "").split("。", 1)[0]
    wording = name.strip()
    return f"{short}：{wording[:40]}"


def candidate_nodes(documents: list[dict], for_document: dict):
    """(document, node) the new document's tasks may implement: plan measures and 专栏, and tasks of
    earlier years' plans and task lists."""
    for document in documents:
        if not isinstance(document, dict) or document.get("id") == for_document.get("id"):
            continue
        earlier = isinstance(document.get("year"), int) and document["year"] < for_document.get("year", 0)
        for node, _ in walk_raw(document.get("sections")):
            kind = node.get("kind")
            if (document.get("kind") == "plan" and kind in ("measure", "column")) or (
                    kind == "task" and earlier and document.get("kind") in ("implementation-plan", "task-list")):
                yield document, node


class Suggester:
    def __init__(self, documents: list[dict], for_document: dict):
        pairs = list(candidate_nodes(documents, for_document))
        texts = [_wording(node) for _, node in pairs]
        self.model = Model(texts)
        self.candidates = [Candidate(f"{d['id']}/{n['id']}", _label(d, n), self.model.vector(t))
                           for (d, n), t in zip(pairs, texts)]

    def ranked(self, task: dict) -> list[tuple[float, Candidate]]:
        """Every candidate by similarity to the task's wording (its group's heading would only add noise)."""
        query = self.model.vector(_wording(task))
        scored = [(cosine(query, c.vector), c) for c in self.candidates]
        return sorted(scored, key=lambda pair: -pair[0])

    def top(self, task: dict, count: int = TOP) -> list[tuple[float, Candidate]]:
        return [(s, c) for s, c in self.ranked(task)[:count] if s >= MINIMUM_SCORE]


def tasks_of(document: dict) -> list[dict]:
    return [node for node, _ in walk_raw(document.get("sections")) if node.get("kind") == "task"]


def load_documents(data: Path) -> list[dict]:
    documents = []
    for path in sorted((data / "documents").glob("*.yml")):
        document, _ = load_plain(path)
        if isinstance(document, dict):
            documents.append(document)
    return documents


def suggest_into(document: dict, data: Path) -> dict[str, str]:
    """Write `suggested` on each task of `document` (never a ref it already implements); returns the
    label of every suggested ref, for a comment beside it in the YAML."""
    suggester = Suggester(load_documents(data), document)
    labels = {}
    for task in tasks_of(document):
        accepted = set(task.get("implements") or [])
        refs = [c for _, c in suggester.top(task, TOP + len(accepted)) if c.ref not in accepted][:TOP]
        task.pop("suggested", None)
        if refs:
            task["suggested"] = [c.ref for c in refs]
            labels.update((c.ref, c.label) for c in refs)
    return labels
