"""Source fidelity: every content line of a source text must reach the published text.

Whitespace is the only difference allowed, apart from corrections recorded as 校注 notes
(`reads` → `published`). Used by the tests and runnable by hand:

    python -m generator.fidelity data/documents/plan-2021.yml
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .text import GAP_MARK, printed_number, squeeze
from .load import Problem, display_path, load_yaml, walk_raw

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

def published_pieces(document: dict, with_title: bool = True):
    """(text, where it is typed, field) for every piece of the published wording, in reading order.

    "Where" is the mapping that holds the field (the document, a node, a measure, an indicator).
    """
    yield (document.get("title") or "" if with_title else ""), document, "title"
    yield document.get("preamble") or "", document, "preamble"
    yield document.get("closing") or "", document, "closing"
    for node, _ in walk_raw(document.get("sections")):
        yield printed_number(document.get("numbering"), node["kind"], node.get("number")) + (node.get("title") or ""), node, "title"
        yield node.get("text") or "", node, "text"
        for measure in node.get("measures") or []:
            yield measure.get("text") or "", measure, "text"
        yield node.get("responsibility") or "", node, "responsibility"
        yield node.get("deadline") or "", node, "deadline"
        indicator = node.get("indicator") or {}
        for key in ("unit", "baseline", "target", "increase", "attribute", "note"):
            yield str(indicator.get(key) or ""), indicator, key


def published_text(document: dict, with_title: bool = True, gap_text: str = "") -> str:
    """The document's published wording in reading order, as the fidelity test sees it.

    The title counts for completeness (a title line of the source must be on the site) but
    not for invention: it is metadata, often taken from outside the excerpt.
    """
    return "\n".join(text for text, _, _ in published_pieces(document, with_title)).replace(GAP_MARK, gap_text)


def corrections(document: dict) -> list[tuple[str, str]]:
    notes = list(document.get("notes") or [])
    for node, _ in walk_raw(document.get("sections")):
        notes.extend(node.get("notes") or [])
    return [
        (squeeze(n.get("reads") or ""), squeeze(n.get("published") or ""))
        for n in notes
        if n.get("type") in ("correction", "gap") and n.get("reads")
    ]


@dataclass
class SourceRule:
    file: str
    document: str
    skip: list[tuple[int, int]]
    furniture: list[re.Pattern]
    contiguous: bool

    @classmethod
    def from_entry(cls, entry: dict) -> SourceRule:
        skip = []
        for item in entry.get("skip") or []:
            first, _, last = str(item["lines"]).partition("-")
            skip.append((int(first), int(last or first)))
        return cls(
            file=entry["file"],
            document=entry["document"],
            skip=skip,
            furniture=[re.compile(p) for p in entry.get("furniture") or []],
            contiguous=bool(entry.get("contiguous")),
        )

    def content_lines(self, sources_dir: Path):
        """(line number, text) of every line that is content."""
        text = (sources_dir / self.file).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if any(first <= number <= last for first, last in self.skip):
                continue
            if not line.strip() or any(p.search(line.strip()) for p in self.furniture):
                continue
            yield number, line


def load_rules(data_dir: Path = DATA_DIR) -> list[SourceRule]:
    """One rule per source text, from the provenance file beside it (`<name>.yml`)."""
    return [
        SourceRule.from_entry(yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted((data_dir / "sources").glob("*.yml"))
    ]


def missing_lines(rule: SourceRule, document: dict, sources_dir: Path) -> list[tuple[int, str]]:
    """Source lines whose wording is not in the published text (after recorded corrections)."""
    published = squeeze(published_text(document))
    fixes = corrections(document)
    missing = []
    for number, line in rule.content_lines(sources_dir):
        wanted = squeeze(line)
        for reads, replacement in fixes:
            if reads and reads in wanted:
                wanted = wanted.replace(reads, replacement)
        if wanted and wanted not in published:
            missing.append((number, line.strip()))
    return missing


def invented_paragraphs(rules: list[SourceRule], document: dict, sources_dir: Path) -> list[str]:
    """Published paragraphs found in none of the document's sources (after corrections).

    Only meaningful where a source reads in order (`contiguous`); a table extracted column by
    column scatters a paragraph over interleaved lines.
    """
    return [paragraph for paragraph, _, _ in invented_pieces(rules, document, sources_dir)]


def invented_pieces(rules: list[SourceRule], document: dict, sources_dir: Path) -> list[tuple[str, dict, str]]:
    """invented_paragraphs() with the mapping and field each paragraph is typed in."""
    sources = []
    for rule in rules:
        text = "".join(squeeze(line) for _, line in rule.content_lines(sources_dir))
        for reads, replacement in corrections(document):
            text = text.replace(reads, replacement)
        sources.append(text)
    return [
        (paragraph, holder, field)
        for text, holder, field in published_pieces(document, with_title=False)
        for paragraph in text.replace(GAP_MARK, "").splitlines()
        if squeeze(paragraph) and not any(squeeze(paragraph) in source for source in sources)
    ]


def _closest_node(document: dict, wanted: str):
    """The item whose wording shares most three-character runs with a source line."""
    grams = {wanted[i:i + 3] for i in range(max(1, len(wanted) - 2))}
    best, best_score = document, 0
    for node, _ in walk_raw(document.get("sections")):
        wording = squeeze("".join(text for text, holder, _ in published_pieces({"sections": [node]}, False)
                                  if holder is node or holder in (node.get("measures") or [])))
        score = sum(1 for gram in grams if gram in wording)
        if score > best_score:
            best, best_score = node, score
    return best


def _place(holder: dict, field: str) -> tuple[int, str]:
    line = holder.line_of(field) if hasattr(holder, "line_of") else getattr(holder, "line", 1)
    return line, (f"{holder['id']}: " if isinstance(holder.get("id"), str) and "sections" not in holder else "")


def check_fidelity(documents: dict, known: set, root: Path, schema: dict) -> list[Problem]:
    """The fidelity rules as data problems: `data/documents/x.yml:LINE: item: …` with the source's file and line.

    `documents` maps ids to loaded (located) documents whose structure is sound; `known` holds
    every document id (a source of a broken document is not reported as orphaned).
    """
    from .validate import check_file  # validate imports this module

    problems: list[Problem] = []
    rules: dict[str, list[SourceRule]] = {}
    unsure: set[str] = set()  # documents with a source whose provenance file has problems
    sources_dir = root / "sources"
    for path in sorted(sources_dir.glob("*.yml")):
        entry = load_yaml(path, root, problems)
        if entry is None:
            continue
        name = display_path(path, root)
        found = check_file(entry, schema, name)
        if not found:
            if entry["document"] not in known:
                found.append(Problem(name, entry.line_of("document"), f"document '{entry['document']}' does not exist"))
            text_path = sources_dir / entry["file"]
            try:
                text_path.read_bytes().decode("utf-8")
            except OSError as error:
                found.append(Problem(name, entry.line_of("file"), f"source text {entry['file']} cannot be read: {error.strerror}"))
            except UnicodeDecodeError as error:
                found.append(Problem(display_path(text_path, root), 1, f"not UTF-8 (byte at offset {error.start}); save it as UTF-8"))
            for pattern in entry.get("furniture") or []:
                try:
                    re.compile(pattern)
                except re.error as error:
                    found.append(Problem(name, entry.line_of("furniture"), f"furniture pattern {pattern!r}: {error}"))
        problems += found
        if not found:
            rules.setdefault(entry["document"], []).append(SourceRule.from_entry(entry))
        elif isinstance(entry, dict) and isinstance(entry.get("document"), str):  # not one of a mapping's fields
            unsure.add(entry["document"])
    for doc_id, own in rules.items():
        document = documents.get(doc_id)
        if document is None or doc_id in unsure:  # one of its sources is broken: its problem is reported
            continue
        file = document.file
        for rule in own:
            source = display_path(sources_dir / rule.file, root)
            for number, line in missing_lines(rule, document, sources_dir):
                node = _closest_node(document, squeeze(line))
                at, label = _place(node, "text")
                problems.append(Problem(file, at, f"{label}the site does not publish word for word {source}:{number}: "
                                                  f"“{line[:60]}{'…' if len(line) > 60 else ''}” (whitespace aside; "
                                                  f"record a correction note if the source is wrong)"))
        if any(r.contiguous for r in own):
            names = ", ".join(display_path(sources_dir / r.file, root) for r in own)
            for paragraph, holder, field in invented_pieces(own, document, sources_dir):
                at, label = _place(holder, field)
                problems.append(Problem(file, at, f"{label}{field} “{paragraph[:60]}{'…' if len(paragraph) > 60 else ''}” "
                                                  f"is in none of its sources ({names})"))
    return problems


def main(argv: list[str]) -> int:
    from .pipeline import data_dir  # the pipeline's validation imports this module

    folder = data_dir()
    rules = load_rules(folder)
    failures = 0
    for path in argv or sorted((folder / "documents").glob("*.yml")):
        if not Path(path).exists():  # a document id
            path = folder / "documents" / f"{path}.yml"
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        own = [r for r in rules if r.document == document["id"]]
        for rule in own:
            for number, line in missing_lines(rule, document, folder / "sources"):
                failures += 1
                print(f"{rule.file}:{number}: not published: {line}")
        if any(r.contiguous for r in own):
            for paragraph in invented_paragraphs(own, document, folder / "sources"):
                failures += 1
                print(f"{path}: in none of its sources: {paragraph[:60]}")
    print(f"{failures} fidelity problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
