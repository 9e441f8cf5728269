"""`python -m generator import-plan FILE --id plan-2024` (also `make import FILE=… ID=…`).

Reads the official text, parses it, checks its departments against the registry, copies the text
into data/sources/ with a provenance file, and writes data/documents/<id>.yml — or, when anything is
wrong, prints every problem as `FILE:LINE: what` and writes nothing. An existing document is replaced
only with --force; the editors' own additions (links, notes, metadata) are kept by item id and the
changes are summarised.
"""
from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .importer import ParsedPlan, parse_plan
from .importer_departments import Registry
from .importer_read import read_source
from .importer_yaml import dump_document, load_plain
from .load import walk_raw

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TITLE_YEAR = re.compile(r"^((?:19|20)\d{2})年")
DEFAULT_ISSUER = "国务院知识产权战略实施工作部际联席会议办公室"
# What an editor adds by hand and a re-import must not lose.
EDITORIAL_NODE_FIELDS = ("implements", "belongs_to", "notes")
EDITORIAL_DOCUMENT_FIELDS = ("period", "metadata_sources", "notes")


@dataclass
class ImportOptions:
    file: Path
    doc_id: str
    data: Path
    year: int | None = None
    force: bool = False
    obtained_from: str = ""
    obtained_on: str = ""
    issuer: str | None = None
    date: str | None = None
    number: str | None = None
    short_title: str | None = None


@dataclass
class ImportResult:
    problems: list[str] = field(default_factory=list)  # FILE:LINE: what; nothing written when any
    unresolved: list[str] = field(default_factory=list)  # unknown departments: written, to resolve
    messages: list[str] = field(default_factory=list)
    document: dict | None = None


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run_import(options: ImportOptions, suggest=None) -> ImportResult:
    result = ImportResult()
    where = shown(options.file)

    def problem(line: int, message: str):
        result.problems.append(f"{where}:{line}: {message}")

    if not SLUG.match(options.doc_id):
        result.problems.append(f"--id {options.doc_id!r}: a document id is lower-case letters, digits and hyphens (plan-2024)")
    documents = options.data / "documents"
    target = documents / f"{options.doc_id}.yml"
    previous = None
    if target.exists():
        previous, error = load_plain(target)
        if not options.force:
            result.problems.append(f"{shown(target)}:1: already exists; nothing was written. "
                                   f"Re-run with --force (make import … FORCE=1) to replace it and see what changed")
        elif error:
            result.problems.append(f"{shown(target)}:{error}")

    source = read_source(options.file)
    for line, message in source.problems:
        problem(line, message)
    plan = parse_plan(source.text) if not source.problems else ParsedPlan()
    for line, message in plan.problems:
        problem(line, message)

    year = options.year
    if year is None and plan.title:
        match = TITLE_YEAR.match(plan.title)
        year = int(match[1]) if match else None
        if year is None and not source.problems:
            problem(1, f"the title '{plan.title}' does not start with a year: give it with --year (YEAR=…)")
    registry, registry_problem = Registry.load(options.data / "departments.yml")
    if registry_problem:
        result.problems.append(registry_problem)
    if result.problems:
        return result

    for node in plan.tasks():
        for name in [node.get("lead"), *node.get("participants", [])]:
            if name and registry.resolve(name) is None:
                line = plan.line_of(node["id"], node["text"].rfind(name))
                result.unresolved.append(f"{where}:{line}: task {node['number']}: {registry.advice(name)}")

    document = _document(plan, options, year, previous)
    labels = suggest(document, options.data) if suggest is not None else {}
    source_path = _store_source(source, plan, document, options, (previous or {}).get("source", ""), result)
    document["source"] = f"data/sources/{source_path.name}"
    documents.mkdir(parents=True, exist_ok=True)
    _write(target, dump_document(document, labels))
    result.document = document
    counts = _counts(document)
    result.messages.append(f"wrote {shown(target)}: {counts['chapter']} parts, {counts['section']} groups, "
                           f"{counts['task']} tasks; source text {shown(source_path)} (provenance "
                           f"{shown(source_path.with_suffix('.yml'))})")
    suggested = sum(len(t.get("suggested") or []) for t in plan.tasks())
    if suggested:
        result.messages.append(f"{suggested} suggested links written as `suggested:` (not published): move the right "
                               f"ones to `implements`, delete the rest")
    if previous is not None:
        from .importer_diff import summary
        result.messages += summary(previous, document)
    return result


def _document(plan: ParsedPlan, options: ImportOptions, year: int, previous: dict | None) -> dict:
    before = previous or {}
    given = {"issuer": options.issuer, "date": options.date, "number": options.number, "short_title": options.short_title}
    document = {
        "id": options.doc_id,
        "title": plan.title,
        "short_title": given["short_title"] or before.get("short_title") or f"{year}年推进计划",
        "kind": "implementation-plan",
        "issuer": given["issuer"] or before.get("issuer") or DEFAULT_ISSUER,
        "number": given["number"] if given["number"] is not None else before.get("number", ""),
        "date": given["date"] if given["date"] is not None else before.get("date", ""),
        "year": year,
        "source": "",
    }
    for name in EDITORIAL_DOCUMENT_FIELDS:
        if before.get(name):
            document[name] = before[name]
    if plan.numbering:
        document["numbering"] = plan.numbering
    document["preamble"] = plan.preamble
    document["sections"] = plan.sections
    if plan.closing:
        document["closing"] = plan.closing
    if previous:
        kept = {node.get("id"): node for node, _ in walk_raw(previous.get("sections"))}
        for node, _ in walk_raw(document["sections"]):
            old = kept.get(node["id"])
            if old and old.get("kind") == node["kind"]:
                for name in EDITORIAL_NODE_FIELDS:
                    if old.get(name):
                        node[name] = old[name]
    return document


def _counts(document: dict) -> dict:
    counts = {"chapter": 0, "section": 0, "task": 0}
    for node, _ in walk_raw(document.get("sections")):
        counts[node.get("kind")] = counts.get(node.get("kind"), 0) + 1
    return counts


def _store_source(source, plan: ParsedPlan, document: dict, options: ImportOptions, previous_source: str,
                  result: ImportResult) -> Path:
    """The text under data/sources/ (reused when the same text is already there) and its provenance file."""
    sources = options.data / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    stored = source.text if source.text.endswith("\n") else source.text + "\n"
    data = stored.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    provenance_of = {}
    for path in sources.glob("*.yml"):
        entry, _ = load_plain(path)
        if isinstance(entry, dict):
            provenance_of[path.with_suffix(".txt").name] = entry
    # The same text already recorded for this document is kept as it is, provenance included.
    for path in sorted(sources.glob("*.txt")):
        if (provenance_of.get(path.name) or {}).get("document") == options.doc_id and path.read_bytes() == data:
            return path
    numbers = [int(p.name[:3]) for p in sources.glob("*.txt") if p.name[:3].isdigit()]
    stored_path = sources / f"{max(numbers, default=-1) + 1:03d}_{digest[:16]}.txt"
    _write(stored_path, stored)
    # The text this document was imported from before is replaced (git keeps it).
    name = Path(previous_source).name
    if name and (provenance_of.get(name) or {}).get("document") == options.doc_id:
        (sources / name).unlink(missing_ok=True)
        (sources / name).with_suffix(".yml").unlink(missing_ok=True)
        result.messages.append(f"replaced the previous source text {name}")
    provenance_path = stored_path.with_suffix(".yml")
    obtained_on = options.obtained_on or datetime.date.today().isoformat()
    obtained_from = options.obtained_from
    record = {
        "file": stored_path.name,
        "document": options.doc_id,
        "title": document["title"],
        "provenance": _provenance_text(document, obtained_from, source, digest),
        "obtained_from": obtained_from,
        "obtained_on": obtained_on,
        "sha256": digest,
        "skip": [],
        "furniture": [r"^[-—－]\s*\d+\s*[-—－]$"] if plan.page_furniture else [],
        "contiguous": True,
    }
    if not obtained_from:
        result.messages.append(f"note: where the text was obtained is not recorded; add it as obtained_from in "
                               f"{shown(provenance_path)} (or pass FROM=URL)")
    header = "# yaml-language-server: $schema=../schema/source.schema.json\n"
    _write(provenance_path, header + yaml.dump(record, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=10**9))
    return stored_path


class _Plain(yaml.SafeDumper):
    pass


def _provenance_text(document: dict, obtained_from: str, source, digest: str) -> str:
    where = f"取自{obtained_from}" if obtained_from else "取得途径未记录"
    changes = "；".join(source.changes)
    text = (f"《{document['title']}》，{document['issuer']}印发；本文本为其公开发布文件的文字（{where}），"
            f"由 `python -m generator import-plan` 转为 YAML。")
    if not changes:
        return text
    original = hashlib.sha256(source.raw).hexdigest()
    note = f"入库时{changes}，文字未改动" + (f"；原文件的sha256为{original}" if original != digest else "")
    return text + note + "。"


def _write(path: Path, text: str) -> None:
    """Write whole or not at all: a crash never leaves a half-written data file."""
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)
