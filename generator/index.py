"""Phase 3 — index: build the model from validated data and compute every cross-cutting view.

Departments' items, predecessor links, backlinks of cross-references, topics and years are
derived here, once; nothing derived is ever typed in the YAML.
"""
from __future__ import annotations

import os
import bisect
import itertools
import re
from dataclasses import dataclass, field

from .compare import attach_comparisons
from .load import RawData
from .model import Corpus, Department, Document, Licence, Node, Note, Publication, Role, Synonym, Topic
from .text import DEFAULT_NUMBERING


def _origin(raw) -> str:
    """Where a mapping is typed, for messages: "data/documents/plan-2023.yml:27 (id t-1)"."""
    line = raw.line_of("id") if hasattr(raw, "line_of") else 0
    return f"{getattr(raw, 'file', '?')}:{line} (id {raw.get('id')})"


def _notes(raw_notes) -> list[Note]:
    return [Note(type=n["type"], reason=n["reason"], reads=n.get("reads", ""), published=n.get("published", ""),
                 public=n["public"]) for n in raw_notes or []]


def _node(raw: dict, document: Document, parent: Node | None) -> Node:
    node = Node(
        document=document,
        id=raw["id"],
        kind=raw["kind"],
        number=raw.get("number", ""),
        title=raw.get("title", ""),
        text=raw.get("text", ""),
        measures=[dict(m) for m in raw.get("measures") or []],
        lead=raw.get("lead", ""),
        participants=list(raw.get("participants") or []),
        responsibility=raw.get("responsibility", ""),
        deadline=raw.get("deadline", ""),
        indicator={"note": "", **raw["indicator"]} if raw.get("indicator") else None,
        implements_refs=list(raw.get("implements") or []),
        belongs_to_ref=raw.get("belongs_to", ""),
        notes=_notes(raw.get("notes")),
        parent=parent,
        origin=_origin(raw),
    )
    node.children = [_node(child, document, node) for child in raw.get("children") or []]
    return node


def _document(raw: dict) -> Document:
    document = Document(
        id=raw["id"],
        title=raw["title"],
        short_title=raw.get("short_title") or raw["title"],
        kind=raw["kind"],
        issuer=raw["issuer"],
        number=raw["number"],
        date=raw["date"],
        year=raw["year"],
        period=list(raw.get("period") or []),
        excerpt=bool(raw.get("excerpt")),
        source=raw["source"],
        metadata_sources=[dict(m) for m in raw.get("metadata_sources") or []],
        numbering={**DEFAULT_NUMBERING, **(raw.get("numbering") or {})},
        notes=_notes(raw.get("notes")),
        preamble=raw.get("preamble", ""),
        closing=raw.get("closing", ""),
        origin=_origin(raw),
        official_url=(raw.get("official") or {}).get("url", ""),
        official_cite=(raw.get("official") or {}).get("cite", ""),
    )
    document.sections = [_node(n, document, None) for n in raw["sections"]]
    return document


def _departments(entries) -> list[Department]:
    departments = [
        Department(
            id=e["id"], name=e["name"], full_name=e["full_name"], english=e["english"], category=e["category"],
            aliases=list(e.get("aliases") or []), parent_id=e.get("parent", ""),
            successor_id=(e.get("successor") or {}).get("id", ""),
            successor_year=(e.get("successor") or {}).get("year"), note=e.get("note", ""), origin=_origin(e),
        )
        for e in entries or []
    ]
    by_id = {d.id: d for d in departments}
    for department in departments:
        if department.parent_id:
            department.parent = by_id[department.parent_id]
            department.parent.units.append(department)
        if department.successor_id:
            department.successor = by_id[department.successor_id]
            department.successor.predecessors.append(department)
    return departments


def _attach_roles(corpus: Corpus) -> None:
    for node in corpus.nodes:
        printed = ([(node.lead, True)] if node.lead else []) + [(p, False) for p in node.participants]
        for name, is_lead in printed:
            department = corpus.departments_by_name[name]
            node.roles.append(Role(node, department, name, is_lead))
        for measure in node.measures:
            department = corpus.departments_by_name[measure["addressee"]]
            node.roles.append(Role(node, department, measure["addressee"], False, as_addressee=True))
        for role in node.roles:
            role.department.roles.append(role)


def _attach_references(corpus: Corpus) -> None:
    for node in corpus.nodes:
        for ref in node.implements_refs:
            target = corpus.nodes_by_ref[ref]
            node.implements.append(target)
            target.implemented_by.append(node)
        if node.belongs_to_ref:
            node.belongs_to = corpus.nodes_by_ref[node.belongs_to_ref]
            node.belongs_to.placed_here.append(node)


def topic_matches(topic: Topic, node: Node, ref: str, names_a_keyword: bool) -> bool:
    """Whether the item joins the topic (`ref`: its address; `names_a_keyword`: its title or wording
    holds one of the topic's keywords)."""
    if ref in topic.exclude:
        return False
    if ref in topic.include:
        return True
    if node.kind in ("chapter", "section") and node.children:
        return False  # containers join a topic only when named explicitly; their items carry it
    return names_a_keyword


def _attach_topics(corpus: Corpus) -> None:
    # Every item's title and wording in one string, each topic's keywords looked for in one pass over it
    # (one search per item and keyword was most of the indexing at 100× the corpus).
    nodes = corpus.nodes
    texts = [n.title + "\n" + n.wording for n in nodes]
    joined = "\0".join(texts)  # no keyword holds NUL (else: item by item), so no match spans two items
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    place = {n.ref: index for index, n in enumerate(nodes)}
    for topic in corpus.topics:
        found = _items_naming(topic.keywords, joined, starts, texts)
        candidates = sorted(found | {place[ref] for ref in topic.include if ref in place})  # in document order
        topic.items = [nodes[i] for i in candidates if topic_matches(topic, nodes[i], nodes[i].ref, i in found)]
        topic.items.sort(key=lambda n: n.document.year)  # stable: document order within a year
        for node in topic.items:
            node.topics.append(topic)


def _items_naming(keywords: list[str], joined: str, starts: list[int], texts: list[str]) -> set[int]:
    """The indexes of the texts that hold one of the keywords (none for no keyword: the schema wants one
    or more, and an empty pattern would match every item)."""
    if not keywords:
        return set()
    pattern = re.compile("|".join(map(re.escape, keywords)))
    if any("\0" in k for k in keywords):
        return {index for index, text in enumerate(texts) if pattern.search(text)}
    found, position = set(), 0
    while (match := pattern.search(joined, position)) is not None:
        index = bisect.bisect_right(starts, match.start()) - 1
        found.add(index)
        position = starts[index + 1] if index + 1 < len(starts) else len(joined)  # on to the next item
    return found


# A goal paragraph (到2025年，… / 展望2035年，…), a campaign named with its year (“昆仑2023”),
# and a period that ends in a later year (《…纲要（2021—2035年）》).
GOAL = re.compile(r"^(?:到|展望)((?:19|20)\d{2})年")
CAMPAIGN = re.compile(r"“([^“”]{1,12}?(?:19|20)\d{2})”")
HORIZON = re.compile(r"(?:—|-|～)((?:19|20)\d{2})年")


@dataclass
class Target:
    """Something due in a year: goal paragraphs or an indicator table, and where it comes from."""

    label: str
    document: Document
    source: Node | None = None  # the item that states it (None: the document's preamble)
    paragraphs: list[str] = field(default_factory=list)
    indicators: list[Node] | None = None


@dataclass
class YearEntry:
    """What a year page lists: documents issued, tasks scheduled, targets due, named campaigns."""

    year: int
    issued: list[Document] = field(default_factory=list)
    scheduled: list[tuple[Document, list[tuple[Node, list[Node]]]]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    campaigns: dict[str, list[Node]] = field(default_factory=dict)


def years_of(corpus: Corpus) -> dict[int, YearEntry]:
    """Every year the documents speak of, computed from their text and metadata (once per corpus:
    the year pages and an incremental build's comparison both ask)."""
    if corpus.years is None:
        corpus.years = _years_of(corpus)
    return corpus.years


def _years_of(corpus: Corpus) -> dict[int, YearEntry]:
    years: dict[int, YearEntry] = {}

    def year(number: int) -> YearEntry:
        return years.setdefault(number, YearEntry(number))

    for document in corpus.documents:
        year(document.year).issued.append(document)
        if document.kind in ("implementation-plan", "task-list"):
            groups = [(top, [n for n in top.walk() if n.kind == "task"]) for top in document.sections]
            year(document.year).scheduled.append((document, [(top, tasks) for top, tasks in groups if tasks]))
        for paragraph in document.preamble.split("\n"):
            for match in HORIZON.finditer(paragraph):
                if int(match[1]) > document.year:
                    year(int(match[1])).targets.append(
                        Target(f"{document.short_title}引用的远景期限", document, None, [paragraph]))
    for node in corpus.nodes:
        paragraphs = node.paragraphs
        for index, paragraph in enumerate(paragraphs):
            if match := GOAL.match(paragraph):
                goal = [paragraph]  # the goal and the "——…" lines that spell it out
                for following in paragraphs[index + 1:]:
                    if not following.startswith("——"):
                        break
                    goal.append(following)
                year(int(match[1])).targets.append(
                    Target(f"{node.document.short_title}提出的目标", node.document, node, goal))
        if node.kind == "indicator" and node.indicator.get("target_year", "").isdigit():
            targets = year(int(node.indicator["target_year"])).targets
            table = next((t for t in targets if t.indicators is not None and t.document is node.document), None)
            if table is None:
                table = Target(f"{node.document.short_title}的主要指标", node.document, node.parent, indicators=[])
                targets.append(table)
            table.indicators.append(node)
        for name in CAMPAIGN.findall(node.wording):
            items = year(int(name[-4:])).campaigns.setdefault(name, [])
            if node not in items:
                items.append(node)
    return dict(sorted(years.items()))


def _publication(raw: dict) -> Publication:
    """The publication facts; REPOSITORY_URL (set by the Pages workflow) names the repository actually built."""
    repository = (os.environ.get("REPOSITORY_URL") or raw["repository"]).rstrip("/")
    feedback = raw.get("feedback") or f"{repository}/issues/new"
    return Publication(repository=repository, feedback=feedback,
                       data_licence=Licence(**raw["licences"]["data"]), site_licence=Licence(**raw["licences"]["site"]),
                       official_texts=raw["official_texts"])


def build_corpus(raw: RawData) -> Corpus:
    """Model + indexes from data that `validate` accepted."""
    documents = sorted((_document(d) for d in raw.documents), key=lambda d: (d.year, d.id))
    departments = _departments(raw.departments)
    topics = [
        Topic(id=t["id"], name=t["name"], description=t.get("description", ""), keywords=list(t["keywords"]),
              include=list(t.get("include") or []), exclude=list(t.get("exclude") or []), origin=_origin(t))
        for t in raw.topics or []
    ]
    synonyms = [Synonym(s["term"], list(s["also"])) for s in raw.synonyms or []]
    corpus = Corpus(documents=documents, departments=departments, topics=topics, synonyms=synonyms,
                    publication=_publication(raw.publication))
    corpus.nodes_by_ref = {n.ref: n for n in corpus.nodes}
    corpus.departments_by_name = {name: d for d in departments for name in [d.name, *d.aliases]}
    _attach_roles(corpus)
    _attach_references(corpus)
    _attach_topics(corpus)
    attach_comparisons(corpus)
    return corpus
