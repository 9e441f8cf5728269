"""Phase 2 — validate: collect every problem in the data, each with its file and line.

Structure is checked against the JSON Schemas in data/schema/ (the same files editors' IDEs
use); then the rules a schema cannot express: unique ids and numbers, known departments,
references that resolve, corrections that match the text.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from .load import LocatedDict, LocatedList, Problem, RawData, walk_raw
from .synonyms import check_synonyms
from .text import GAP_MARK, printed_number, squeeze
# Kinds numbered through the whole document; chapters and sections are numbered per parent.
DOCUMENT_WIDE_NUMBERS = {"task", "column", "indicator"}


def _schema(root: Path, name: str) -> dict:
    return json.loads((root / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))


def _line_at(value, path) -> int:
    """The line of the deepest key or list element on a JSON path that the loader located."""
    line = getattr(value, "line", 1)
    for key in path:
        located = isinstance(value, LocatedDict) and key in value
        located = located or (isinstance(value, LocatedList) and isinstance(key, int) and key < len(value))
        if not located:
            break
        line, value = value.line_of(key), value[key]
    return line


def _describe(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "required":
        return f"{where}: {error.message.replace(' is a required property', '')} is required"
    if error.validator == "type":
        return f"{where}: expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    if error.validator == "enum":
        return f"{where}: {error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "pattern":
        return f"{where}: {error.instance!r} does not match the required form {error.validator_value}"
    return f"{where}: {error.message}"


def check_schema(value, schema: dict, file: str) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in validator.iter_errors(value):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties":
            # One problem per unknown key, on the key's own line.
            for key in sorted(set(error.instance) - set(error.schema.get("properties", {}))):
                where = ".".join(map(str, path)) or "(top level)"
                problems.append(Problem(file, _line_at(value, path + [key]), f"{where}: unknown field '{key}'"))
            continue
        problems.append(Problem(file, _line_at(value, path), _describe(error)))
    return problems


class DepartmentNames:
    """Resolves a printed department name (canonical or alias) to its registry entry."""

    def __init__(self, entries):
        self.by_name: dict[str, dict] = {}
        for entry in entries or []:
            if not isinstance(entry, dict):
                continue
            for name in [entry.get("name"), *(entry.get("aliases") or [])]:
                if isinstance(name, str):
                    self.by_name.setdefault(name, entry)

    def resolve(self, printed: str):
        return self.by_name.get(printed)


def check_departments(entries, file: str) -> list[Problem]:
    problems = []
    ids, names = {}, {}
    for index, entry in enumerate(entries or []):
        if not isinstance(entry, dict):
            continue
        line = entries.line_of(index)
        if entry.get("id") in ids:
            problems.append(Problem(file, line, f"duplicate department id '{entry['id']}' (first at line {ids[entry['id']]})"))
        ids.setdefault(entry.get("id"), line)
        for name in [entry.get("name"), *(entry.get("aliases") or [])]:
            if name in names:
                problems.append(Problem(file, line, f"department name '{name}' is used twice (first at line {names[name]})"))
            names.setdefault(name, line)
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        for field, target in (("parent", entry.get("parent")), ("successor", (entry.get("successor") or {}).get("id"))):
            if target and target not in ids:
                problems.append(Problem(file, entry.line_of(field), f"{field} '{target}' is not a department id"))
        if entry.get("parent") == entry.get("id"):
            problems.append(Problem(file, entry.line_of("parent"), "a department cannot be its own parent"))
    return problems


def _check_document(document: LocatedDict, departments: DepartmentNames, references: _References) -> list[Problem]:
    file = document.file
    problems = []
    expected_name = Path(file).stem
    if document.get("id") != expected_name:
        problems.append(Problem(file, document.line_of("id"), f"id '{document.get('id')}' must equal the file name '{expected_name}'"))

    seen_ids: dict[str, int] = {}
    numbers: dict[tuple, int] = {}
    for node, parent in walk_raw(document.get("sections")):
        node_id = node.get("id")
        if node_id in seen_ids:
            problems.append(Problem(file, node.line_of("id"), f"duplicate id '{node_id}' (first at line {seen_ids[node_id]})"))
        seen_ids.setdefault(node_id, node.line_of("id"))

        kind, number = node.get("kind"), node.get("number")
        if number:
            scope = None if kind in DOCUMENT_WIDE_NUMBERS else id(parent)
            key = (kind, scope, number)
            if key in numbers:
                problems.append(Problem(file, node.line_of("number"), f"duplicate {kind} number '{number}' (first at line {numbers[key]})"))
            numbers.setdefault(key, node.line_of("number"))

        printed_text = (node.get("text") or "") + (node.get("responsibility") or "")
        names = [("lead", node.get("lead"))] + [("participants", n) for n in node.get("participants") or []]
        for field, name in names:
            if not isinstance(name, str):
                continue
            if departments.resolve(name) is None:
                problems.append(Problem(file, node.line_of(field), f"unknown department '{name}' (not a name or alias in data/departments.yml)"))
            elif printed_text and name not in printed_text:
                problems.append(Problem(file, node.line_of(field), f"department '{name}' is not printed in this item's text"))
        for measure in node.get("measures") or []:
            if isinstance(measure, dict) and isinstance(measure.get("addressee"), str) and departments.resolve(measure["addressee"]) is None:
                problems.append(Problem(file, measure.line_of("addressee"), f"unknown department '{measure['addressee']}' (not a name or alias in data/departments.yml)"))

        notes = [n for n in node.get("notes") or [] if isinstance(n, dict)]
        has_gap_mark = GAP_MARK in (node.get("text") or "")
        if has_gap_mark and not any(n.get("type") == "gap" for n in notes):
            problems.append(Problem(file, node.line_of("text"), f"text marks a gap ({GAP_MARK}) but no note of type gap explains it"))
        for note in notes:
            published = squeeze(note.get("published") or "")
            if note.get("type") == "correction" and published and published not in squeeze(_node_wording(node, document)):
                problems.append(Problem(file, note.line_of("published"), f"correction publishes '{note['published']}', which is not in this item"))

    for node, _ in walk_raw(document.get("sections")):
        refs = [("implements", r) for r in node.get("implements") or []]
        refs += [("suggested", r) for r in node.get("suggested") or []]
        for ref in set(node.get("suggested") or []) & set(node.get("implements") or []):
            problems.append(Problem(file, node.line_of("suggested"), f"'{ref}' is both suggested and accepted in implements: delete it from suggested"))
        if node.get("belongs_to"):
            refs.append(("belongs_to", node["belongs_to"]))
        for field, ref in refs:
            if isinstance(ref, str) and "/" in ref and not references.resolves(ref):
                problems.append(Problem(file, node.line_of(field), f"reference '{ref}' does not point to any item"))
    return problems


def _node_wording(node, document) -> str:
    """Everything an item publishes, its number as printed included."""
    heading = printed_number(document.get("numbering"), node.get("kind"), node.get("number")) + (node.get("title") or "")
    parts = [heading, node.get("text") or "",
             node.get("responsibility") or "", node.get("deadline") or ""]
    parts += [m.get("text") or "" for m in node.get("measures") or [] if isinstance(m, dict)]
    parts += [str(v) for v in (node.get("indicator") or {}).values()]
    return "\n".join(parts)


_UNREADABLE = object()


class _References:
    """Every item a reference may name, collected once; refs into a file that could not be read
    count as resolved (its syntax error is already reported, and one cause should give one line)."""

    def __init__(self, documents_by_id: dict):
        self.unreadable = {doc_id for doc_id, document in documents_by_id.items() if document is _UNREADABLE}
        self.known = {
            f"{doc_id}/{node.get('id')}"
            for doc_id, document in documents_by_id.items() if document is not _UNREADABLE
            for node, _ in walk_raw(document.get("sections"))
        }

    def resolves(self, ref: str) -> bool:
        return ref.partition("/")[0] in self.unreadable or ref in self.known


def check_topics(topics, file: str, references: _References) -> list[Problem]:
    problems, seen = [], {}
    for index, topic in enumerate(topics or []):
        if not isinstance(topic, dict):
            continue
        if topic.get("id") in seen:
            problems.append(Problem(file, topics.line_of(index), f"duplicate topic id '{topic['id']}' (first at line {seen[topic['id']]})"))
        seen.setdefault(topic.get("id"), topics.line_of(index))
        for field in ("include", "exclude"):
            for ref in topic.get(field) or []:
                if isinstance(ref, str) and not references.resolves(ref):
                    problems.append(Problem(file, topic.line_of(field), f"reference '{ref}' does not point to any item"))
    return problems


def validate(raw: RawData) -> list[Problem]:
    """Every problem in the data, in file order; an empty list means the data can be published."""
    problems = list(raw.problems)
    root = raw.root
    document_schema = _schema(root, "document")
    documents_by_id: dict[str, LocatedDict] = {}
    for document in raw.documents:
        if not isinstance(document, dict):
            problems.append(Problem(getattr(document, "file", "?"), 1, "a document file must be a mapping"))
            continue
        problems += check_schema(document, document_schema, document.file)
        doc_id = document.get("id")
        if doc_id in documents_by_id:
            problems.append(Problem(document.file, document.line_of("id"), f"duplicate document id '{doc_id}' (also {documents_by_id[doc_id].file})"))
        documents_by_id.setdefault(doc_id, document)

    for problem in raw.problems:  # files that failed to parse, by the id their name promises
        if "/documents/" in problem.file or problem.file.startswith("documents/"):
            documents_by_id.setdefault(Path(problem.file).stem, _UNREADABLE)

    departments_file = "data/departments.yml"
    if raw.departments is None:
        if not any(p.file.endswith("departments.yml") for p in problems):
            problems.append(Problem(departments_file, 1, "the department registry is missing"))
        entries = []
    else:
        entries = raw.departments
        problems += check_schema(entries, _schema(root, "departments"), entries.file)
        problems += check_departments(entries, entries.file)
    names = DepartmentNames(entries)

    references = _References(documents_by_id)
    for document in documents_by_id.values():
        if document is not _UNREADABLE:
            problems += _check_document(document, names, references)
    if raw.topics is not None:
        problems += check_schema(raw.topics, _schema(root, "topics"), raw.topics.file)
        problems += check_topics(raw.topics, raw.topics.file, references)
    if raw.synonyms is not None:
        problems += check_schema(raw.synonyms, _schema(root, "synonyms"), raw.synonyms.file)
        # A file that did not parse is reported already: its terms are not missing (no cascade).
        documents = None if raw.problems else raw.documents
        problems += check_synonyms(raw.synonyms, raw.departments, documents, raw.synonyms.file)

    if raw.publication is None:
        if not any(p.file.endswith("publication.yml") for p in problems):
            problems.append(Problem("data/publication.yml", 1, "the publication facts (repository, licences) are missing"))
    else:
        problems += check_schema(raw.publication, _schema(root, "publication"), raw.publication.file)

    unique = {(p.file, p.line, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.file, p.line))
