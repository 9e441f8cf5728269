"""The publication model: typed objects built from validated data.

Plain data classes, no behaviour beyond small derived properties; the cross-cutting indexes
(departments' items, backlinks, years, topics) are filled in by `generator.index`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .text import GAP_MARK, GAP_TEXT, printed_number
from .titles import opening_words
KIND_LABELS = {
    "chapter": "部分",
    "section": "节",
    "measure": "措施",
    "column": "专栏",
    "indicator": "指标",
    "task": "任务",
}
DOCUMENT_KIND_LABELS = {
    "plan": "规划",
    "implementation-plan": "年度推进计划",
    "task-list": "任务清单",
    "opinions": "意见",
}
CATEGORY_LABELS = {
    "party": "党中央部门",
    "state-council-ministry": "国务院组成部门",
    "state-council-agency": "国务院直属机构、办事机构和部委管理的国家局",
    "judicial": "司法机关",
    "military": "军队单位",
    "people-org": "人民团体与社会组织",
    "coordination": "议事协调机构",
    "public-institution": "事业单位",
    "cnipa-unit": "国家知识产权局内设机构",
    "generic": "泛指主体",
}
# Kinds shown on pages of their own; indicators live as rows (anchors) on their section's page.
PAGE_KINDS = {"chapter", "section", "measure", "column", "task"}


class _once:
    """A property computed when first asked and kept in the field `_<name>`, which every Node sets in
    __init__ (the data is not changed once indexed; a page asks often). functools.cached_property adds
    the key when first asked, in whatever order pages ask: nodes then cannot share one key table, and
    each node's attributes grew from 264 to 1,584 bytes (46 MB at 100× the corpus)."""

    def __init__(self, compute):
        self.compute = compute
        self.field = "_" + compute.__name__
        functools.update_wrapper(self, compute)

    def __get__(self, node, owner=None):
        if node is None:
            return self
        value = getattr(node, self.field)
        if value is None:
            value = self.compute(node)
            setattr(node, self.field, value)
        return value


@dataclass
class Note:
    type: str
    reason: str  # the technical trail, for editors and the open data
    reads: str = ""
    published: str = ""
    public: str = ""  # what readers see on the page, in plain Chinese


@dataclass
class Synonym:
    """A printed term and the forms readers type for it (data/synonyms.yml)."""

    term: str
    also: list[str]


@dataclass(eq=False)
class Department:
    id: str
    name: str
    full_name: str
    english: str
    category: str
    aliases: list[str]
    parent_id: str = ""
    successor_id: str = ""
    successor_year: int | None = None
    note: str = ""
    origin: str = ""  # where it is typed, "data/departments.yml:LINE"
    # Filled by the index phase.
    parent: Department | None = None
    units: list[Department] = field(default_factory=list)
    successor: Department | None = None
    predecessors: list[Department] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"departments/{self.id}/"

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]

    @property
    def lead_count(self) -> int:
        return sum(1 for r in self.roles if r.is_lead)

    @property
    def named_count(self) -> int:
        """Items that name this department as responsible (addressees of 2021 measures aside)."""
        return len({id(r.node) for r in self.roles if not r.as_addressee})


@dataclass(eq=False)
class Role:
    """A department named by an item: as printed, resolved, and whether it leads."""

    node: Node
    department: Department
    printed: str
    is_lead: bool
    as_addressee: bool = False


@dataclass(eq=False)
class Node:
    document: Document
    id: str
    kind: str
    number: str = ""
    title: str = ""
    text: str = ""
    measures: list[dict] = field(default_factory=list)
    lead: str = ""
    participants: list[str] = field(default_factory=list)
    responsibility: str = ""
    deadline: str = ""
    indicator: dict | None = None
    implements_refs: list[str] = field(default_factory=list)
    belongs_to_ref: str = ""
    notes: list[Note] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    origin: str = ""  # where it is typed, "data/documents/x.yml:LINE"
    # Filled by the index phase.
    roles: list[Role] = field(default_factory=list)
    implements: list[Node] = field(default_factory=list)
    implemented_by: list[Node] = field(default_factory=list)
    belongs_to: Node | None = None
    placed_here: list[Node] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    # Kept by the properties of the same name (see _once); a factory, so that __init__ sets them.
    _printed_number: str | None = field(default_factory=lambda: None, init=False, repr=False)
    _display_title: str | None = field(default_factory=lambda: None, init=False, repr=False)
    _heading: str | None = field(default_factory=lambda: None, init=False, repr=False)

    @property
    def ref(self) -> str:
        return f"{self.document.id}/{self.id}"

    @property
    def has_page(self) -> bool:
        return self.kind in PAGE_KINDS

    @property
    def page_url(self) -> str:
        """Site-relative URL of the page that shows this node (its own, or its parent's)."""
        if self.has_page:
            return f"{self.document.id}/{self.id}/"
        return self.parent.page_url if self.parent else self.document.url

    @property
    def url(self) -> str:
        return self.page_url if self.has_page else f"{self.page_url}#{self.id}"

    @_once
    def printed_number(self) -> str:
        return printed_number(self.document.numbering, self.kind, self.number)

    @property
    def lead_phrase(self) -> str:
        """A measure's title: the opening phrase up to the first 。 (how the plan titles them)."""
        first = self.text.split("\n", 1)[0]
        end = first.find("。")
        return first[: end + 1] if 0 <= end <= 40 else ""

    @_once
    def display_title(self) -> str:
        """The title as printed; for items printed without one, their own opening words (derived)."""
        if self.title:
            return self.title.replace(GAP_MARK, GAP_TEXT)
        if self.kind == "measure" and self.lead_phrase:
            return self.lead_phrase
        return opening_words(self.text or "\n".join(m["text"] for m in self.measures))

    @_once
    def heading(self) -> str:
        """Title as readers see it: the printed number, then the printed or derived title."""
        if self.kind == "column":
            return f"专栏{self.number}　{self.display_title}".strip()
        return f"{self.printed_number}{self.display_title}"

    @property
    def summary(self) -> str:
        """A short plain-text line for listings (first 60 characters of the wording)."""
        text = (self.text or " ".join(m["text"] for m in self.measures)).replace(GAP_MARK, GAP_TEXT)
        first = text.split("\n", 1)[0]
        return first if len(first) <= 60 else first[:60] + "…"

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n") if p.strip()]

    @property
    def wording(self) -> str:
        """All of an item's official wording: its paragraphs, then its addressed measures."""
        return "\n".join(self.paragraphs + [m["text"] for m in self.measures])

    @property
    def lead_role(self) -> Role | None:
        return next((r for r in self.roles if r.is_lead), None)

    @property
    def responsible(self) -> list[Role]:
        return [r for r in self.roles if not r.as_addressee]

    @property
    def ancestors(self) -> list[Node]:
        chain, node = [], self.parent
        while node:
            chain.insert(0, node)
            node = node.parent
        return chain

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(eq=False)
class Document:
    id: str
    title: str
    short_title: str
    kind: str
    issuer: str
    number: str
    date: str
    year: int
    period: list[int]
    excerpt: bool
    source: str
    metadata_sources: list[dict]
    numbering: dict
    notes: list[Note]
    preamble: str
    closing: str
    sections: list[Node] = field(default_factory=list)
    comparison: object = None  # generator.compare.Comparison against the previous year's document, if any
    origin: str = ""  # where it is typed, "data/documents/x.yml:LINE"
    official_url: str = ""  # the official publication, when an editor has verified it
    official_cite: str = ""

    @property
    def url(self) -> str:
        return f"{self.id}/"

    @property
    def kind_label(self) -> str:
        return DOCUMENT_KIND_LABELS[self.kind]

    @property
    def nodes(self) -> list[Node]:
        """Every node in document order."""
        return [n for top in self.sections for n in top.walk()]


@dataclass(eq=False)
class Topic:
    id: str
    name: str
    description: str
    keywords: list[str]
    include: list[str]
    exclude: list[str]
    items: list[Node] = field(default_factory=list)
    origin: str = ""  # where it is typed, "data/topics.yml:LINE"

    @property
    def url(self) -> str:
        return f"topics/{self.id}/"


@dataclass
class Licence:
    id: str  # SPDX identifier
    name: str  # as readers see it
    url: str
    covers: str  # what it applies to


@dataclass
class Publication:
    """Publication facts from data/publication.yml: where the source lives, how to report an error, licences."""

    repository: str
    feedback: str  # base of a 纠错 link: a new issue in the repository
    data_licence: Licence
    site_licence: Licence
    official_texts: str


@dataclass
class Corpus:
    documents: list[Document]
    departments: list[Department]
    topics: list[Topic]
    publication: Publication | None = None
    synonyms: list[Synonym] = field(default_factory=list)
    nodes_by_ref: dict[str, Node] = field(default_factory=dict)
    departments_by_name: dict[str, Department] = field(default_factory=dict)
    years: dict | None = field(default=None, repr=False)  # kept by generator.index.years_of

    @property
    def nodes(self) -> list[Node]:
        return [n for d in self.documents for n in d.nodes]
