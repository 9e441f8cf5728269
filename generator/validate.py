"""Phase 2 — validate: collect every problem in the data, each with its file and line.

Structure is checked against the JSON Schemas in data/schema/ (the same files editors' IDEs
use); then the rules a schema cannot express: unique ids and numbers, known departments,
references that resolve, corrections that match the text.
"""
from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path

import jsonschema_rs

from .fidelity import check_fidelity
from .limits import check_indicator_values, check_limits, where
from .load import LocatedDict, LocatedList, Problem, RawData, walk_raw
from .synonyms import check_synonyms, registry_names
from .text import GAP_MARK, printed_number, squeeze, template_problem
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


def _short(value) -> str:
    """A value for a message: its repr, cut short (a 100,000-character title is not repeated)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…" + text[-1]


def _describe(error, place: str) -> str:
    """A jsonschema.ValidationError in the editor's words."""
    if error.validator == "required":
        return f"{place}: {error.message.replace(' is a required property', '')} is required"
    if error.validator == "type":
        return f"{place}: expected {error.validator_value}, got {type(error.instance).__name__} {_short(error.instance)}"
    if error.validator == "enum":
        return f"{place}: {_short(error.instance)} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "pattern" and list(error.absolute_path)[:1] == ["numbering"]:
        return f"{place}: numbering template {_short(error.instance)} {template_problem(error.instance)}"
    if error.validator == "pattern":
        return f"{place}: {_short(error.instance)} does not match the required form {error.validator_value}"
    if error.validator in ("maxLength", "minLength", "maxItems", "minItems", "minimum", "maximum"):
        return f"{place}: {_short(error.instance)} breaks the limit {error.validator} {error.validator_value}"
    return f"{place}: {error.message[:200]}"


@functools.lru_cache(maxsize=16)
def _fast_validator(schema_text: str):
    return jsonschema_rs.Draft202012Validator(json.loads(schema_text))


def _surely_valid(value, schema: dict) -> bool:
    """True when the compiled validator (a hundred times faster) finds nothing wrong. Otherwise the
    reference validator below decides, and words each problem; for our schemas the compiled one is
    never the more lenient (its regular expressions follow JavaScript's: `$` is the very end). Both
    take 2023.0 for an integer, as JSON Schema does: check_limits asks for whole numbers where they count."""
    try:
        return _fast_validator(json.dumps(schema, sort_keys=True)).is_valid(value)
    except (ValueError, TypeError, OverflowError):  # a value JSON has no type for: the reference says what
        return False


def check_schema(value, schema: dict, file: str) -> list[Problem]:
    if _surely_valid(value, schema):
        return []
    import jsonschema  # the reference validator, for data with problems only (its import takes 50 ms)

    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in validator.iter_errors(value):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties":
            # One problem per unknown key, on the key's own line.
            for key in sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str):
                problems.append(Problem(file, _line_at(value, path + [key]), f"{where(value, path)}: unknown field '{str(key)[:60]}'"))
            continue
        problems.append(Problem(file, _line_at(value, path), _describe(error, where(value, path))))
    return problems


def check_file(value, schema: dict, file: str) -> list[Problem]:
    """A loaded data file's problems of structure (its schema) and of values (limits, whole numbers)."""
    return check_schema(value, schema, file) + check_limits(value, file)


class DepartmentNames:
    """Resolves a printed department name (canonical or alias) to its registry entry."""

    def __init__(self, entries):
        self.by_name: dict[str, dict] = {}
        for entry in entries or []:
            if not isinstance(entry, dict):
                continue
            for name in registry_names(entry):
                self.by_name.setdefault(name, entry)

    def resolve(self, printed: str):
        return self.by_name.get(printed)

    def unknown(self, name: str) -> str:
        """The message for a name the registry lacks, with the closest names it has."""
        close = difflib.get_close_matches(name, list(self.by_name), n=3, cutoff=0.5)
        hint = f"; closest known: {'、'.join(close)}" if close else ""
        return f"unknown department '{name}' (not a name or alias in data/departments.yml{hint})"

    def printed_in(self, text: str) -> set[str]:
        """Registry names printed in a text, longest first (国家知识产权局 is not also 知识产权局)."""
        found, taken = set(), [False] * len(text)
        for name in sorted(self.by_name, key=len, reverse=True):
            start = text.find(name)
            while start >= 0:
                if not any(taken[start:start + len(name)]):
                    found.add(name)
                    taken[start:start + len(name)] = [True] * len(name)
                start = text.find(name, start + 1)
        return found


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
    by_id = {e.get("id"): e for e in entries or [] if isinstance(e, dict)}
    for field, target_of in (("parent", lambda e: e.get("parent")),
                             ("successor", lambda e: (e.get("successor") or {}).get("id") if isinstance(e.get("successor"), dict) else None)):
        for entry in by_id.values():
            chain, current = [entry.get("id")], target_of(entry)
            while current in by_id and current not in chain:
                chain.append(current)
                current = target_of(by_id[current])
            if current == entry.get("id"):  # reported once, on the entry where the loop starts in file order
                if min(chain, key=lambda i: by_id[i].line) == entry.get("id"):
                    loop = " → ".join(map(str, chain + [current]))
                    problems.append(Problem(file, entry.line_of(field), f"{field} links go round in a circle: {loop}"))
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

        if departments is not None:
            problems += _check_responsibility(node, departments, file)

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


def responsibility_bracket(node) -> str:
    """Where an item prints who is responsible: its `responsibility` field, or the closing
    bracket of its text (…（A、B按职责分工负责）)."""
    if node.get("responsibility"):
        return node["responsibility"]
    text = (node.get("text") or "").rstrip()
    if text.endswith("）") and "（" in text:
        bracket = text[text.rfind("（"):]
        if "负责" in bracket or "牵头" in bracket:
            return bracket
    return ""


def _check_responsibility(node, departments: DepartmentNames, file: str) -> list[Problem]:
    """Departments are typed twice, as printed and as lead/participants: checked both ways."""
    problems = []
    place = node.get("id")
    printed_text = (node.get("text") or "") + (node.get("responsibility") or "")
    names = [("lead", node.get("lead"))] + [("participants", n) for n in node.get("participants") or []]
    for field, name in names:
        if not isinstance(name, str):
            continue
        if departments.resolve(name) is None:
            problems.append(Problem(file, node.line_of(field), f"{place} › {field}: {departments.unknown(name)}"))
        elif printed_text and name not in printed_text:
            problems.append(Problem(file, node.line_of(field), f"{place} › {field}: department '{name}' is not printed in this item's text"))
    for measure in node.get("measures") or []:
        if isinstance(measure, dict) and isinstance(measure.get("addressee"), str) and departments.resolve(measure["addressee"]) is None:
            problems.append(Problem(file, measure.line_of("addressee"), f"{place} › addressee: {departments.unknown(measure['addressee'])}"))
    listed = [departments.resolve(name) for _, name in names if isinstance(name, str)]
    if None in listed:
        return problems  # an unknown name is the one problem of this item
    missing = [n for n in departments.printed_in(responsibility_bracket(node))
               if not any(departments.resolve(n) is entry for entry in listed)]
    for name in sorted(missing):
        field = "participants" if "participants" in node else "lead" if "lead" in node else "text"
        problems.append(Problem(file, node.line_of(field), f"{place}: the bracket names '{name}' but lead and "
                                                          f"participants do not; add it to participants"))
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


def _guarded(check, *args, structure_broken: bool) -> list[Problem]:
    """Run a rule check; on data whose structure is already reported broken, a check that trips
    over a wrong type is a cascade of that report, not a new problem."""
    try:
        return check(*args)
    except (TypeError, AttributeError, KeyError, ValueError):
        if structure_broken:
            return []
        raise


SCHEMAS = ("document", "departments", "topics", "source", "publication", "synonyms")


def _load_schemas(root: Path, problems: list) -> dict:
    schemas = {}
    for name in SCHEMAS:
        path = root / "schema" / f"{name}.schema.json"
        try:
            schemas[name] = _schema(root, name)
        except (OSError, ValueError) as error:
            problems.append(Problem(f"data/schema/{path.name}", 1, f"cannot be read as JSON: {error}"))
    return schemas


def validate(raw: RawData) -> list[Problem]:
    """Every problem in the data, in file order; an empty list means the data can be published."""
    problems = list(raw.problems)
    root = raw.root
    schemas = _load_schemas(root, problems)
    if len(schemas) < len(SCHEMAS):
        return problems  # without its schemas nothing else can be judged
    documents_by_id: dict[str, LocatedDict] = {}
    sound: dict[str, LocatedDict] = {}  # documents whose structure and values are fine: fidelity is checked
    broken: set[int] = set()
    for document in raw.documents:
        if not isinstance(document, LocatedDict):
            problems.append(Problem(getattr(document, "file", "?"), 1, "a document file must be a mapping of fields"))
            continue
        found = check_file(document, schemas["document"], document.file)
        for node, _ in walk_raw(document.get("sections")):
            if isinstance(node.get("indicator"), LocatedDict):
                found += check_indicator_values(node["indicator"], document.file, f"{node.get('id')} › indicator")
        problems += found
        if found:
            broken.add(id(document))
        doc_id = document.get("id")
        if not isinstance(doc_id, str):
            continue
        if doc_id in documents_by_id:
            problems.append(Problem(document.file, document.line_of("id"), f"duplicate document id '{doc_id}' (also {documents_by_id[doc_id].file})"))
        documents_by_id.setdefault(doc_id, document)
        if not found:
            sound.setdefault(doc_id, document)
    if not raw.documents and not any("documents/" in p.file for p in problems):
        problems.append(Problem("data/documents", 1, "no document: data/documents/ holds no .yml file"))

    for problem in raw.problems:  # files that failed to parse, by the id their name promises
        if "/documents/" in problem.file or problem.file.startswith("documents/"):
            documents_by_id.setdefault(Path(problem.file).stem, _UNREADABLE)

    names = None  # an unreadable registry is reported once, not once per department named
    entries = raw.departments
    if isinstance(entries, LocatedList):
        found = check_file(entries, schemas["departments"], entries.file)
        problems += found + _guarded(check_departments, entries, entries.file, structure_broken=bool(found))
        names = DepartmentNames(entries)
    elif entries is not None:
        problems.append(Problem(entries.file if hasattr(entries, "file") else "data/departments.yml", 1,
                                "the department registry must be a list of departments"))

    references = _References(documents_by_id)
    for document in documents_by_id.values():
        if document is not _UNREADABLE:
            problems += _guarded(_check_document, document, names, references, structure_broken=id(document) in broken)
    topics = raw.topics
    if isinstance(topics, LocatedList):
        found = check_file(topics, schemas["topics"], topics.file)
        problems += found + _guarded(check_topics, topics, topics.file, references, structure_broken=bool(found))
    elif topics is not None:
        problems.append(Problem(topics.file if hasattr(topics, "file") else "data/topics.yml", 1,
                                "the topics file must be a list of topics"))
    problems += check_fidelity(sound, set(documents_by_id), root, schemas["source"])
    synonyms = raw.synonyms
    if isinstance(synonyms, LocatedList) or isinstance(synonyms, LocatedDict):
        found = check_file(synonyms, schemas["synonyms"], synonyms.file)
        # A file that did not parse is reported already: its terms are not missing (no cascade).
        documents = None if raw.problems else raw.documents
        departments = raw.departments if isinstance(raw.departments, LocatedList) else None
        problems += found + _guarded(check_synonyms, synonyms, departments, documents, synonyms.file,
                                     structure_broken=bool(found))
    elif synonyms is not None:
        problems.append(Problem(getattr(synonyms, "file", "data/synonyms.yml"), 1,
                                "the synonyms file must be a mapping or list of terms"))

    if raw.publication is None:
        if not any(p.file.endswith("publication.yml") for p in problems):
            problems.append(Problem("data/publication.yml", 1, "the publication facts (repository, licences) are missing"))
    else:
        problems += check_schema(raw.publication, schemas["publication"], raw.publication.file)
        if isinstance(raw.publication, LocatedDict):
            problems += check_limits(raw.publication, raw.publication.file)

    unique = {(p.file, p.line, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.file, p.line))
