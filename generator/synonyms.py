"""What readers type → what the documents print: the search's synonyms.

Two sources: every department's aliases and full name (data/departments.yml) lead to its name,
and data/synonyms.yml adds the short names, abbreviations and foreign names editors list
(工信部 → 工业和信息化部, WIPO → 世界知识产权组织). The search page receives the merged table;
a query for a listed form also searches for the printed term and says so.
"""
from __future__ import annotations

import json

from .load import Problem
from .search import MAX_GRAM, TITLE_LIMIT, kinds, normalise, normalise_all, printed_text, shard_counts


def registry_names(department: dict) -> list[str]:
    """A registry entry's name and aliases, those that are text (what is not: its schema check reports it)."""
    aliases = department.get("aliases")
    return [n for n in [department.get("name"), *(aliases if isinstance(aliases, list) else [])] if isinstance(n, str)]


def check_synonyms(entries, departments, documents, file: str) -> list[Problem]:
    """Rules the schema cannot express: each form listed once, no form that names another
    department (one that names the term's own department is merely redundant), and every term printed somewhere (else the synonym leads to nothing;
    not checked when `documents` is None, i.e. some data file could not be read)."""
    problems = []
    department_names = {}
    for department in departments or []:
        if isinstance(department, dict):
            for name in [*registry_names(department), department.get("full_name")]:
                if isinstance(name, str):
                    department_names.setdefault(normalise(name), (department.get("id"), department.get("name")))
    printed = None
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("term"), str):
            continue
        term = entry["term"]
        line = entries.line_of(index)
        also_line = entry.line_of("also")
        for form in entry.get("also") or []:
            if not isinstance(form, str):
                continue
            key = normalise(form)
            if key == normalise(term):
                problems.append(Problem(file, also_line, f"'{form}' is the term itself"))
            elif key in department_names and normalise(str(department_names[key][1])) != normalise(term):
                problems.append(Problem(file, also_line, f"'{form}' is already a name of department "
                                        f"'{department_names[key][0]}' in data/departments.yml"))
            elif key in seen:
                problems.append(Problem(file, also_line, f"'{form}' is listed twice (first at line {seen[key]})"))
            seen.setdefault(key, also_line)
        if documents is None:
            continue
        if printed is None:
            printed = _printed_text(departments, documents)
        if normalise(term) not in printed:
            problems.append(Problem(file, entry.line_of("term") if "term" in entry else line,
                                    f"term '{term}' is printed in no document and no department name, "
                                    "so a search for it finds nothing"))
    return problems


class PrintedByFile:
    """Each data file's strings normalised, kept between builds by the file's bytes (`make site` sets
    `printed_by_file`): normalising the whole corpus was most of the synonyms check, and most of an
    incremental build's validation. `digests`: display name → SHA-1 of the file's bytes, as read."""

    def __init__(self, kept: dict[str, tuple[bytes, str]], digests: dict[str, bytes]):
        self.kept, self.digests, self.changed = kept, digests, False

    def text(self, source, make) -> str:
        name = getattr(source, "file", None)
        digest = self.digests.get(name)
        if digest is None:
            return make()
        if self.kept.get(name, (None,))[0] != digest:
            self.kept[name] = (digest, make())
            self.changed = True
        return self.kept[name][1]


printed_by_file: PrintedByFile | None = None


def _printed_text(departments, documents) -> str:
    """Every string of the documents and the department registry, normalised, one string."""
    def strings(value, parts: list[str]) -> list[str]:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item, parts)
        elif isinstance(value, list):
            for item in value:
                strings(item, parts)
        return parts

    def printed(source) -> str:
        make = lambda: normalise_all(strings(source, []))  # noqa: E731
        return printed_by_file.text(source, make) if printed_by_file is not None else make()

    # One file at a time, joined as the strings are: no normalised string holds the bar.
    return "|".join(printed(source) for source in [*documents, departments])


def expansions(corpus) -> dict[str, str]:
    """Normalised form a reader types → the printed term to search as well."""
    table: dict[str, str] = {}
    for department in corpus.departments:
        for form in [department.full_name, *department.aliases]:
            if normalise(form) != normalise(department.name):
                table.setdefault(normalise(form), department.name)
    for synonym in corpus.synonyms:
        for form in synonym.also:
            table.setdefault(normalise(form), synonym.term)
    return table


def search_config(corpus, entries, files) -> dict:
    """What the search page carries inline: synonyms, shard counts, the facets' values, and which
    page is each department's own (it ranks first for a query naming the department)."""
    page_ids = {entry.url: index for index, entry in enumerate(entries)}
    ranges: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        if entry.document:
            ranges.setdefault(entry.document, [index, index])[1] = index
    named = {d for entry in entries for d in entry.departments}
    printed = printed_text(entries)
    return {
        # form → [printed term, whether the form itself occurs] (a form that never occurs is not looked up)
        "synonyms": {form: [term, form in printed] for form, term in expansions(corpus).items()},
        "departments": {normalise(d.name): page_ids[d.url] for d in corpus.departments if d.url in page_ids},
        "shards": shard_counts(files),
        "pages": len(entries),
        "titleLimit": TITLE_LIMIT,
        "maxGram": MAX_GRAM,
        "kinds": kinds(entries),
        "documents": [[d.id, d.short_title, d.year, *ranges[d.id]] for d in corpus.documents if d.id in ranges],
        "departmentList": [[d.id, d.name] for d in corpus.departments if d.id in named],
    }


def suggestion_terms(corpus) -> dict[str, bytes]:
    """search/terms.json: names and headings that occur, offered when a query finds nothing."""
    terms = [d.name for d in corpus.departments]
    terms += [s.term for s in corpus.synonyms]
    terms += [t.name for t in corpus.topics] + [k for t in corpus.topics for k in t.keywords]
    terms += [n.title.rstrip("。") for n in corpus.nodes if n.kind in ("chapter", "section", "column") and n.title]
    terms += [d.short_title for d in corpus.documents]
    unique = list(dict.fromkeys(t for t in terms if len(normalise(t)) >= 2))
    return {"search/terms.json": json.dumps(unique, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}
