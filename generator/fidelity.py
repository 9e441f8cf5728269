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
from .load import walk_raw
from .pipeline import DATA_DIR, data_dir

def published_text(document: dict, with_title: bool = True, gap_text: str = "") -> str:
    """The document's published wording in reading order, as the fidelity test sees it.

    The title counts for completeness (a title line of the source must be on the site) but
    not for invention: it is metadata, often taken from outside the excerpt.
    """
    parts = [document.get("title") or "" if with_title else "", document.get("preamble") or "",
             document.get("closing") or ""]
    for node, _ in walk_raw(document.get("sections")):
        parts.append(printed_number(document.get("numbering"), node["kind"], node.get("number")) + (node.get("title") or ""))
        parts.append(node.get("text") or "")
        parts.extend(m.get("text") or "" for m in node.get("measures") or [])
        parts.append(node.get("responsibility") or "")
        parts.append(node.get("deadline") or "")
        indicator = node.get("indicator") or {}
        parts.extend(str(indicator.get(k) or "") for k in ("unit", "baseline", "target", "increase", "attribute", "note"))
    return "\n".join(parts).replace(GAP_MARK, gap_text)


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
    sources = []
    for rule in rules:
        text = "".join(squeeze(line) for _, line in rule.content_lines(sources_dir))
        for reads, replacement in corrections(document):
            text = text.replace(reads, replacement)
        sources.append(text)
    return [
        paragraph
        for paragraph in published_text(document, with_title=False).splitlines()
        if squeeze(paragraph) and not any(squeeze(paragraph) in source for source in sources)
    ]


def main(argv: list[str]) -> int:
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
