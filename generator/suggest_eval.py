"""How good are the link suggestions? Top-3 suggestions for every task of a document against the links
editors made by hand (`implements`), which the suggester does not see.

    .venv/bin/python -m generator.suggest_eval [plan-2023]

precision = hand-made links among the suggestions / suggestions made;
recall = hand-made links found among the suggestions / hand-made links.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from .pipeline import data_dir
from .suggest import TOP, Suggester, load_documents, tasks_of


@dataclass
class Score:
    tasks: int
    links: int
    suggestions: int
    hits: int

    @property
    def precision(self) -> float:
        return self.hits / self.suggestions if self.suggestions else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.links if self.links else 0.0


def evaluate(documents: list[dict], doc_id: str, top: int = TOP) -> Score:
    document = next(d for d in documents if d.get("id") == doc_id)
    suggester = Suggester(documents, document)
    score = Score(0, 0, 0, 0)
    for task in tasks_of(document):
        truth = set(task.get("implements") or [])
        blind = {k: v for k, v in task.items() if k not in ("implements", "suggested")}
        refs = {c.ref for _, c in suggester.top(blind, top)}
        score.tasks += 1
        score.links += len(truth)
        score.suggestions += len(refs)
        score.hits += len(refs & truth)
    return score


def main(argv: list[str]) -> int:
    doc_id = argv[0] if argv else "plan-2023"
    documents = load_documents(data_dir())
    if not any(d.get("id") == doc_id for d in documents):
        print(f"no document '{doc_id}' in {data_dir()}", file=sys.stderr)
        return 1
    score = evaluate(documents, doc_id)
    print(f"{doc_id}: {score.tasks} tasks, {score.links} hand-made links, {score.suggestions} suggestions (top {TOP})")
    print(f"precision {score.precision:.1%} ({score.hits}/{score.suggestions}), "
          f"recall {score.recall:.1%} ({score.hits}/{score.links})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
