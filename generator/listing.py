"""Long lists of items on aggregate pages (a department, a year, a topic, 落实覆盖), cut into pages.

A listing is groups (h2, one per document or part of the page) of subgroups (h3: 牵头, 参与,
a part of a plan …) of entries. Whatever the size of the corpus, each page holds at most
PAGE_BUDGET estimated bytes of entries: page 1 at the listing's URL, page n at URL + "n/".
Every entry carries what the in-page filters read (document, role, kind); without JavaScript
the pages simply list everything, reachable through the page links.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

# Estimated bytes of entries on one page; the real site's longest lists (国家知识产权局, 2023年)
# still fit on one page. A page whose body and contents column weigh over BODY_LIMIT is cut
# again, smaller: with the rest of Material's frame (about 15 KB) every page stays under 100 KB.
PAGE_BUDGET = 66_000
BODY_LIMIT = 80_000
ENTRY_OVERHEAD = 160  # tags, attributes and the relative link of one list entry


@dataclass
class Entry:
    """One line (or block) of a listing; `value` is what the template renders."""

    value: object
    style: str  # the template's way to render it: "item", "summarised" (an item with its summary even
    # when untitled), "task", "campaign", "target"
    document: str  # id of the document the entry comes from (filter)
    kind: str  # what it is, in readers' words (filter): 措施, 任务, 目标 …
    role: str = ""  # 牵头 / 参与 … on department pages (filter)
    anchor: str = ""  # id of a block entry's own heading
    cost: int = 0  # estimated bytes in the page

    def __post_init__(self):
        if not self.cost:
            lead = getattr(self.value, "lead_role", None) if self.style == "task" else None
            summarised = getattr(self.value, "title", "") or self.style == "summarised"
            shown = ("heading", "deadline", "summary") if summarised else ("heading", "deadline")
            self.cost = ENTRY_OVERHEAD + 3 * sum(len(getattr(self.value, name, "") or "") for name in shown)
            if lead:
                self.cost += 40 + 3 * len(lead.department.name)


@dataclass
class Subgroup:
    id: str
    title: str
    entries: list[Entry]
    blocks: bool = False  # entries are sections (targets), not list items
    continued: bool = False  # began on an earlier page
    total: int = 0  # entries in the whole listing
    page: int = 1  # page where it begins
    role: str = ""  # the role all its entries share (said once, for the filters)


@dataclass
class Group:
    id: str
    title: str
    subgroups: list[Subgroup]
    url: str = ""  # the group's own page (a document), if any
    continued: bool = False
    total: int = 0
    page: int = 1
    document: str = ""  # the document all its entries come from (said once, for the filters)
    intro: str = ""  # a line under the heading where the group begins; a group with one is shown even when empty


@dataclass
class ListingPage:
    number: int
    url: str
    groups: list[Group]


@dataclass
class Listing:
    url: str
    groups: list[Group]
    document_labels: dict[str, str] = field(default_factory=dict)  # document id → short title
    pages: list[ListingPage] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    def page_url(self, number: int) -> str:
        return self.url if number == 1 else f"{self.url}{number}/"

    @functools.cached_property
    def filters(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """(name, label, options) for every dimension with more than one value in the listing. Every
        page of the listing shows them: worked out once (each page reading all entries was quadratic)."""
        values: dict[str, dict[str, str]] = {"doc": {}, "role": {}, "kind": {}}
        for group in self.groups:
            for sub in group.subgroups:
                for entry in sub.entries:
                    values["doc"].setdefault(entry.document, self.document_labels.get(entry.document, entry.document))
                    if entry.role:
                        values["role"].setdefault(entry.role, entry.role)
                    values["kind"].setdefault(entry.kind, entry.kind)
        labels = {"doc": "文件", "role": "角色", "kind": "类别"}
        return [(name, labels[name], list(options.items())) for name, options in values.items() if len(options) > 1]


def paginate(url: str, groups: list[Group], document_labels: dict[str, str],
             budget: int = PAGE_BUDGET) -> Listing:
    """Cut the groups into pages of at most `budget` estimated bytes (at least one entry or intro each)."""
    groups = [g for g in groups if g.intro or any(s.entries for s in g.subgroups)]
    for group in groups:
        group.subgroups = [s for s in group.subgroups if s.entries]
    listing = Listing(url, groups, document_labels)
    pages: list[list[Group]] = [[]]
    used = 0
    started: set[str] = set()  # groups and subgroups already begun on an earlier page

    def make_room(cost: int) -> None:
        """A new page, unless what comes next still fits on this one (a page holds at least one thing)."""
        nonlocal used
        if used and used + cost > budget:
            started.update(g.id for g in pages[-1])
            started.update(f"{g.id}/{s.id}" for g in pages[-1] for s in g.subgroups)
            pages.append([])
            used = 0
        used += cost

    for group in groups:
        group.total = sum(len(s.entries) for s in group.subgroups)
        group.document = _shared({e.document for s in group.subgroups for e in s.entries})
        if not group.subgroups:  # its intro alone
            make_room(ENTRY_OVERHEAD + 3 * len(group.intro))
            pages[-1].append(Group(group.id, group.title, [], group.url, intro=group.intro))
            group.page = len(pages)
        for sub in group.subgroups:
            sub.total = len(sub.entries)
            sub.role = _shared({e.role for e in sub.entries})
            for entry in sub.entries:
                opening = 3 * len(group.intro) if entry is group.subgroups[0].entries[0] else 0
                make_room(entry.cost + opening)
                page = pages[-1]
                if not page or page[-1].id != group.id:
                    page.append(Group(group.id, group.title, [], group.url, group.id in started, group.total,
                                      document=group.document, intro=group.intro))
                    if group.id not in started:
                        group.page = len(pages)
                current = page[-1]
                if not current.subgroups or current.subgroups[-1].id != sub.id:
                    began = f"{group.id}/{sub.id}" in started
                    current.subgroups.append(Subgroup(sub.id, sub.title, [], sub.blocks, began, sub.total,
                                                      role=sub.role))
                    if not began:
                        sub.page = len(pages)
                current.subgroups[-1].entries.append(entry)
    listing.pages = [ListingPage(n, listing.page_url(n), page) for n, page in enumerate(pages, 1)]
    return listing


def _shared(values: set[str]) -> str:
    return next(iter(values)) if len(values) == 1 else ""
