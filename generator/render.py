"""Phase 4 — render: the corpus to page bodies (HTML strings) and data files.

Our own Jinja environment with autoescape on: every value from YAML is text. MkDocs' Jinja
(which does not autoescape) never sees data values as template code. Links are made relative
to the page that holds them, so the site works under any sub-path.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import urllib.parse
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from . import charts, datapackage, linked_data, pipeline
from .citation import csl_json, gbt7714
from .feed import FEED_PATH, atom_feed
from .history import DataHistory
from .downloads import ROLE_LABELS, downloads, plain_text
from .pipeline import data_dir
from .sources import source_texts
from .contents import contents
from .search import SearchEntry, build_index
from .synonyms import search_config, suggestion_terms
from .incremental import Plan, listed_nodes, listing_unchanged
from .index import years_of
from .listing import BODY_LIMIT, ENTRY_OVERHEAD, PAGE_BUDGET, Entry, Group, Subgroup, paginate
from .model import KIND_LABELS, Corpus, Document, Node
from .text import GAP_MARK, GAP_TEXT, squeeze

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "theme" / "generator"
NOTE_LABELS = {"correction": "校正", "gap": "缺损", "editorial": "说明"}
FIELD_LABELS = {"number": "文号", "date": "日期", "issuer": "发文机关"}
TIMELINE = range(2015, 2036)


@dataclass
class RenderedPage:
    """One page for the site builder: where it goes, its plain-text title and its HTML body."""

    uri: str  # source path, e.g. "plan-2023/t-1.md" → URL plan-2023/t-1/
    url: str
    title: str
    html: str | None  # None until asked for, when the renderer is lazy: see body()
    description: str = ""
    search: SearchEntry | None = None  # what the site search indexes for this page
    # OpenGraph, Twitter card, JSON-LD and alternate links for the page's <head>, made when asked for.
    make_head: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    origin: str = ""  # what the page shows, for messages: "data/…/x.yml:LINE (id …)" or the template
    # The page's contents column: (2, id, title, [(3, id, title)]) for its headings, if it has one.
    toc: list = field(default_factory=list)
    render: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    # Files published with the page (its JSON and CSV twins), made by whichever process writes the page.
    files: Callable[[], dict[str, bytes]] | None = field(default=None, repr=False, compare=False)
    # What an incremental build keeps or makes again together: "item:" + an item page's address, "list:" +
    # a list's first address for all its pages ("" for pages always made again); `kept`: this page and
    # the rest of its list stand as the previous build wrote them (generator/incremental.py).
    group: str = ""
    kept: bool = False

    @property
    def head(self) -> str:
        return self.make_head() if self.make_head else ""

    def body(self) -> str:
        """The HTML body, rendered now if it was deferred (and not kept: a big site's bodies need not
        all be in memory at once)."""
        return self.html if self.html is not None else self.render()


class Deferred:
    """A page's value made when the page is rendered, not when it is planned (most pages of an
    incremental build are never rendered)."""

    def __init__(self, make: Callable[[], object]):
        self.make = make

    def __call__(self):
        return self.make()


@dataclass
class RenderedSite:
    pages: list[RenderedPage] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # site path → content
    nav: list[tuple[str, str]] = field(default_factory=list)  # (title, uri) of the documents
    # What the search indexes, one entry a page; the index is made by the site builder (search_index),
    # which then fills `search_config`, the settings the search page carries.
    search_entries: list[SearchEntry] = field(default_factory=list)
    search_config: dict = field(default_factory=dict)
    package: dict = field(default_factory=dict)  # the data package's descriptor (Renderer.open_data)


def relative(from_url: str, to_url: str) -> str:
    """Link from one page's directory URL ("a/b/", "" for home) to a site path (directory or file).

    Plain string work: it runs for every link of every page (posixpath.relpath was a tenth of a build).
    """
    target, _, fragment = to_url.partition("#")
    here = [part for part in from_url.split("/") if part]
    there = [part for part in target.split("/") if part]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    path = "../" * (len(here) - common) + "/".join(there[common:])
    if (target.endswith("/") or not target) and there[common:]:
        path += "/"
    return (path or "./") + (f"#{fragment}" if fragment else "")


def _uri(url: str) -> str:
    """The source path MkDocs needs for a directory URL: "a/b/" → "a/b.md", "a/" → "a/index.md"."""
    path = url.rstrip("/")
    return f"{path}/index.md" if "/" not in path else f"{path}.md"


@functools.lru_cache(maxsize=4)
def _environment(template_dir: Path, cache: Path | None) -> jinja2.Environment:
    """One environment per template folder, kept across `mkdocs serve` rebuilds: compiled
    templates are reused and recompiled only when their file changes (auto_reload)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=True,
        bytecode_cache=bytecode_cache(cache),
    )


def bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds in `folder` (a fifth of a second per build otherwise)."""
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


class Renderer:
    def __init__(self, corpus: Corpus, template_dir: Path = TEMPLATE_DIR, site_url: str = "",
                 data_date: str | None = None, site_name: str = "", source_folder: Path | None = None,
                 history: DataHistory | None = None, lazy: bool = False, plan: Plan | None = None):
        self.corpus = corpus
        self.plan = plan  # an incremental build's plan: lists that cannot have changed are not made again
        self.site_name = site_name
        # The source texts the documents were checked against, published as sources/<name>.txt.
        self.sources = source_texts(source_folder or data_dir() / "sources")
        self.history = history  # the data's changes from version control (None: the build has no history)
        # lazy: pages carry a render() for their body instead of the body (the site builder
        # renders them in worker processes, or one at a time).
        self.lazy = lazy
        self.twins = linked_data.Twins(corpus)
        self.env = _environment(template_dir, pipeline.template_cache)
        # The site's public address ("https://…/", "" when unknown: pages then show site paths only).
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.data_date = data_date  # when data/ last changed in version control (None without history)

    def absolute(self, url: str) -> str:
        """The full public address of a site path, or the path itself when the build has no site_url."""
        return self.site_url + url

    def feedback_url(self, url: str, title: str) -> str:
        """A 纠错 link: a new issue in the repository, prefilled with the page's title and address."""
        body = f"页面：{self.absolute(url) or '首页'}\n\n哪里有问题：\n\n应当是（请注明依据，如原文出处）：\n"
        query = urllib.parse.urlencode({"title": f"纠错：{title}", "body": body}, quote_via=urllib.parse.quote)
        return f"{self.corpus.publication.feedback}?{query}"

    def footer(self, url: str, title: str, root: str | None = None) -> str:
        """The footer of one page. `root`: links from this absolute path instead of relative ones (404 page)."""
        date = self.data_date
        return self.env.get_template("_footer.html").render(
            publication=self.corpus.publication, data_date=date,
            data_date_label=f"{int(date[:4])}年{int(date[5:7])}月{int(date[8:10])}日" if date else "",
            feedback_url=self.feedback_url(url, title),
            link=(lambda target: root + target) if root is not None else (lambda target: relative(url, target)),
        )

    def head(self, url: str, title: str, description: str = "", entity=None, trail=None) -> str:
        """What a page tells link previews and search engines. `entity(link)` gives its schema.org object
        (a plain WebPage otherwise); `trail` its breadcrumbs below 首页."""
        def link(target: str) -> str:
            return self.site_url + target if self.site_url else relative(url, target)

        main = entity(link) if entity else linked_data.web_page(url, title, description, link)
        crumbs = trail if trail is not None else ([(url, title)] if url else [])
        return self.env.get_template("_head.html").render(
            title=title, description=description, site_name=self.site_name,
            page_url=self.site_url + url if self.site_url else "",
            og_type="article" if entity else "website",
            json_ld=linked_data.json_ld(main, linked_data.breadcrumbs(crumbs, link)),
        )

    def page(self, template: str, url: str, title: str, description: str = "", search_text: str | None = None,
             search_context: str = "", search_title: str = "", search_facets: dict | None = None,
             entity=None, trail=None, twin: bool = False, csv_twin: bool = False, eager: bool = False,
             files: Callable[[], dict[str, bytes]] | None = None, group: str = "", **context) -> RenderedPage:
        def role_for(node: Node, measure: dict):
            return next(r for r in node.roles if r.as_addressee and r.printed == measure["addressee"])

        def render() -> str:
            marked: set = set()  # corrections already marked on this page (each is marked once)
            values = {key: value() if isinstance(value, Deferred) else value for key, value in context.items()}
            return self.env.get_template(template).render(
                rel=lambda target: relative(url, target),
                segments=lambda node, paragraph: _segments(node, paragraph, marked),
                role_for=role_for,
                absolute=self.absolute,
                grouped_notes=grouped_notes,
                indicator_facts=indicator_facts,
                publication=self.corpus.publication,
                kind_labels=KIND_LABELS,
                gap_text=GAP_TEXT,
                note_labels=NOTE_LABELS,
                field_labels=FIELD_LABELS,
                data_links={"json": linked_data.JSON_NAME if twin else "", "csv": linked_data.CSV_NAME if csv_twin else ""},
                history=self.history, day_label=day_label,
                **({"trail": trail} if trail is not None else {}),
                **values,
            )

        search = None
        if search_text is not None:
            search = SearchEntry(url, search_title or title, search_text, search_context, **(search_facets or {}))
        def head() -> str:
            return self.head(url, title, description, entity, trail)

        shown = next((context[k] for k in ("node", "department", "topic", "document") if context.get(k) is not None), None)
        origin = getattr(shown, "origin", "") or f"the generated page {template}"
        return RenderedPage(uri=_uri(url), url=url, title=title, html=None if self.lazy and not eager else render(),
                            description=description, search=search, make_head=head, render=render, origin=origin,
                            files=files, group=group)

    # -- pages -------------------------------------------------------------------------------
    def citation(self, document: Document, node: Node | None) -> dict:
        """GB/T 7714 text around the 引用日期, which the page's script replaces by the reader's today."""
        before, after = gbt7714(document, node, self.absolute(node.url if node else document.url), "\0").split("\0")
        return {"before": before, "after": after, "accessed": self.data_date or datetime.date.today().isoformat()}

    def document_pages(self, document: Document):
        sources = [(name, f"{max(1, round(len(content) / 1024))} KB") for name, content in self.sources.get(document.id, [])]
        cites: dict[str, list[str]] = {}
        for cite in document.metadata_sources:
            cites.setdefault(cite["cite"], []).append(FIELD_LABELS.get(cite["field"], cite["field"]))
        toc = contents(document)
        yield self.page("document.html", document.url, document.title,
                        description=f"{document.issuer}{document.year}年发布的《{document.title}》全文与条目。",
                        search_text="\n".join([document.issuer, document.number, document.preamble, document.closing]),
                        search_context=f"{document.year}年 · {document.kind_label}", document=document,
                        entity=lambda link: linked_data.document_entity(document, link), twin=True,
                        files=lambda: self.twins.document(document),
                        trail=[("documents/", "文件"), (document.url, document.short_title)],
                        contents=contents_summary(document), sources=sources,
                        metadata_cites=[("、".join(fields), cite) for cite, fields in cites.items()],
                        citation=self.citation(document, None), csl_path=csl_path(document),
                        search_facets={"kind": "文件", "document": document.id},
                        listing=toc, listing_page=toc.pages[0])
        for page in toc.pages[1:]:  # the rest of a long 目录
            title = f"{document.short_title}目录（第{page.number}页）"
            yield self.page("document_contents.html", page.url, title, document=document, listing=toc, listing_page=page,
                            trail=[("documents/", "文件"), (document.url, document.short_title), (page.url, f"目录第{page.number}页")])
        pages = [n for n in document.nodes if n.has_page]
        for index, node in enumerate(pages):
            if self.plan is not None and f"item:{node.url}" in self.plan.kept:  # as the last build made it
                yield RenderedPage(uri=_uri(node.url), url=node.url, title="", html=None, group=f"item:{node.url}",
                                   search=self.plan.record.entries[node.url], kept=True)
                continue
            trail = [("documents/", "文件"), (document.url, document.short_title)]
            trail += [(a.url, a.heading) for a in node.ancestors] + [(node.url, node.heading)]
            rows = [c for c in node.children if c.kind == "indicator"]
            yield self.page(
                "node.html", node.url, f"{node.heading} · {document.short_title}",
                description=node.summary, node=node, document=document, trail=trail, twin=True, group=f"item:{node.url}",
                files=lambda node=node: self.twins.node(node),
                entity=lambda link, node=node: linked_data.node_entity(node, link),
                search_text=_node_search_text(node), search_title=node.heading,
                search_context=f"{document.short_title} · {KIND_LABELS[node.kind]}",
                search_facets={"kind": KIND_LABELS[node.kind], "document": document.id,
                               "departments": list(dict.fromkeys(r.department.id for r in node.roles))},
                previous=pages[index - 1] if index else None,
                next=pages[index + 1] if index + 1 < len(pages) else None,
                indicator_chart=Deferred(lambda rows=rows: charts.indicator_chart(rows)) if rows else "",
                citation=Deferred(lambda node=node: self.citation(document, node)), csl_path=csl_path(document),
                text_date=self.history.text_dates.get(node.ref) if self.history else None,
            )

    def documents_page(self):
        return self.page("documents.html", "documents/", "文件",
                         documents=[(d, contents_summary(d)) for d in self.corpus.documents])

    def department_pages(self):
        corpus = self.corpus
        # Columns for the documents that name responsible departments at all.
        documents = [d for d in corpus.documents if any(n.responsible for n in d.nodes)]
        groups = []
        for category, label in _category_order(corpus):
            members = [d for d in corpus.departments if d.category == category]
            members.sort(key=lambda d: (-d.named_count, d.name))
            groups.append((category, label, [(d, _per_document(d, documents)) for d in members]))
        chart = charts.department_chart(corpus.departments)
        yield self.page("departments.html", "departments/", "部门", groups=groups, documents=documents,
                        chart=chart, chart_size=chart.count('class="ipp-bar-row"'))
        for department in corpus.departments:
            def groups(department=department) -> list[Group]:
                by_document: dict[Document, list] = {}
                for role in department.roles:
                    by_document.setdefault(role.node.document, []).append(role)
                groups = []
                for document in corpus.documents:
                    roles = by_document.get(document, [])
                    join = "参与" if document.kind != "task-list" else "责任部门"
                    subgroups = [
                        ("lead", "牵头", [r.node for r in roles if r.is_lead]),
                        ("join", join, [r.node for r in roles if not r.is_lead and not r.as_addressee]),
                        ("addressed", "落实举措的对象", [r.node for r in roles if r.as_addressee]),
                    ]
                    groups.append(Group(f"doc-{document.id}", document.title, [
                        Subgroup(key, title, [Entry(n, "item", document.id, KIND_LABELS[n.kind], title)
                                              for n in _unique(nodes)])
                        for key, title, nodes in subgroups], url=document.url))
                return groups

            yield from self.listing_pages(
                "department.html", department.url, groups, department.name, shows=[r.node for r in department.roles],
                description=f"{department.full_name}在各知识产权规划文件中牵头和参与的条目。",
                search_text=" ".join([department.full_name, *department.aliases, department.english]),
                search_context=f"部门 · {department.category_label}", department=department,
                first_page={"twin": True, "csv_twin": True, "search_facets": {"kind": "部门"},
                            "files": lambda department=department: self.twins.department(department),
                            "entity": lambda link, department=department: linked_data.department_entity(department, link)},
                trail=[("departments/", "部门"), (department.url, department.name)])

    def listing_pages(self, template: str, url: str, groups: list[Group] | Callable[[], list[Group]], title: str,
                      search_text: str | None = None, first_page: dict | None = None, trail: list | None = None,
                      shows: Iterable[Node] | None = None, **context) -> list[RenderedPage]:
        """An aggregate list cut into pages; each page's groups make its contents column. `first_page`:
        what only page 1 has (its data twins, its schema.org entity); `trail`: page 1's breadcrumbs.
        `groups` may be made when needed (a function), with `shows`: every item its entries show.

        Entry sizes are estimates: should a page come out over BODY_LIMIT, cut again, smaller."""
        if callable(groups) and shows is None:
            groups = groups()
        if listing_unchanged(self.plan, url, shows if shows is not None else listed_nodes(groups)):
            # its first page's search entry, nothing made
            page = self.page(template, url, title, search_text=search_text, trail=trail, group=f"list:{url}",
                             **(first_page or {}), **context)
            page.kept = True
            return [page]
        if callable(groups):
            groups = groups()
        labels = {d.id: d.short_title for d in self.corpus.documents}
        budget = PAGE_BUDGET
        while True:
            listing = paginate(url, groups, labels, budget)
            pages = []
            for page in listing.pages:
                first = page.number == 1
                rendered = self.page(template, page.url, title if first else f"{title}（第{page.number}页）",
                                     search_text=search_text if first else None, eager=True,
                                     trail=trail if first or trail is None else trail + [(page.url, f"第{page.number}页")],
                                     listing=listing, listing_page=page, **((first_page or {}) if first else {}),
                                     group=f"list:{url}", **context)
                rendered.toc = [(2, g.id, g.title, [(3, f"{g.id}-{s.id}", s.title) for s in g.subgroups if s.title])
                                for g in page.groups]
                pages.append(rendered)
            if budget < PAGE_BUDGET / 8 or all(_weight(p) <= BODY_LIMIT for p in pages):
                return pages
            budget = budget * 3 // 4

    def year_pages(self):
        years = years_of(self.corpus)
        timeline = [(year, _timeline_lines(years[year])) for year in TIMELINE if year in years]
        yield self.page("years.html", "years/", "年份", timeline=timeline)
        for year, entry in years.items():
            groups = [Group("issued", "当年发布的文件", [Subgroup("list", "", [
                Entry(d, "document", d.id, "文件", cost=ENTRY_OVERHEAD + 3 * len(d.title + d.issuer + d.number))
                for d in entry.issued])])]
            for document, parts in entry.scheduled:
                groups.append(Group(f"scheduled-{document.id}", f"当年安排的任务：{document.short_title}", [
                    Subgroup(part.id, part.heading, [Entry(t, "task", document.id, KIND_LABELS[t.kind]) for t in tasks])
                    for part, tasks in parts]))
            groups.append(Group("targets", "当年到期的目标", [Subgroup("list", "", [
                Entry(t, "target", t.document.id, "目标", anchor=f"target-{index}", cost=_target_cost(t))
                for index, t in enumerate(_split_tables(entry.targets), 1)], blocks=True)]))
            groups.append(Group("campaigns", "以年份命名的专项行动", [Subgroup("list", "", [
                Entry((name, items), "campaign", items[0].document.id, "专项行动",
                      cost=ENTRY_OVERHEAD + sum(ENTRY_OVERHEAD + 3 * len(i.heading) for i in items))
                for name, items in entry.campaigns.items()])]))
            yield from self.listing_pages("year.html", f"years/{year}/", groups, f"{year}年", year=year)

    def topic_pages(self):
        yield self.page("topics.html", "topics/", "专题", topics=self.corpus.topics)
        for topic in self.corpus.topics:
            def groups(topic=topic) -> list[Group]:
                return [Group(f"t-{d.id}", f"{d.year}年 · {d.title}", [Subgroup("list", "", [
                    Entry(n, "item", d.id, KIND_LABELS[n.kind]) for n in topic.items if n.document is d])])
                    for d in self.corpus.documents]
            yield from self.listing_pages("topic.html", topic.url, groups, topic.name, topic=topic, shows=topic.items,
                                          search_text=" ".join([topic.description, *topic.keywords]),
                                          search_context="专题", first_page={"search_facets": {"kind": "专题"}})

    def coverage_pages(self):
        """落实覆盖 (for editors): per document, its measures and 专栏 that no annual task implements yet."""
        groups = []
        for document in self.corpus.documents:
            items = [n for n in document.nodes if n.kind in ("measure", "column")]
            if items:
                uncovered = [n for n in items if not n.implemented_by]
                groups.append(Group(f"cov-{document.id}", document.title, [Subgroup("list", "", [
                    Entry(n, "summarised", document.id, KIND_LABELS[n.kind]) for n in uncovered])], url=document.url,
                    intro=f"已有任务落实：{len(items) - len(uncovered)} 项；尚无：{len(uncovered)} 项。"))
        yield from self.listing_pages("coverage.html", "coverage/", groups, "落实覆盖",
                                      trail=[("coverage/", "落实覆盖")])

    def data_page(self, package: dict) -> RenderedPage:
        """数据下载, written from the data package itself (one description of the files)."""
        page = self.page("data.html", "data/", "数据下载", package=package, size=_size_label,
                         type_labels=datapackage.TYPE_LABELS, role_labels=list(ROLE_LABELS.values()),
                         description="本站全部数据的下载：文件、条目、部门和指标（CSV 与 JSON），附列说明和许可。")
        page.uri = "data.md"  # the menu's entry
        return page

    def _change_context(self, link) -> dict:
        return {"link": link, "nodes": self.corpus.nodes_by_ref, "item_limit": 30}

    def changes_page(self) -> RenderedPage:
        """更新记录: the data's changes, newest first."""
        return self.page("changes.html", "changes/", "更新记录", description="本站数据的每次修改：文件、条目、校注、部门和专题。",
                         **self._change_context(lambda target: relative("changes/", target)))

    def feed(self) -> bytes:
        def link(target: str) -> str:  # the feed sits at the site's root
            return self.site_url + target if self.site_url else relative("", target)

        template = self.env.get_template("_change_items.html")
        return atom_feed(self.history, title=self.site_name or "更新记录", repository=self.corpus.publication.repository,
                         link=link, entry_html=lambda entry: template.render(entry=entry, **self._change_context(link)))

    def render(self) -> RenderedSite:
        site = RenderedSite()
        site.pages.append(self.documents_page())
        for document in self.corpus.documents:
            site.pages.extend(self.document_pages(document))
            site.nav.append((document.short_title, _uri(document.url)))
        site.pages.extend(self.department_pages())
        site.pages.extend(self.year_pages())
        site.pages.extend(self.topic_pages())
        site.pages.extend(self.coverage_pages())
        site.pages.extend(self.page("compare.html", d.comparison.url, d.comparison.title, comparison=d.comparison)
                          for d in self.corpus.documents if d.comparison)
        if self.lazy:  # the site builder makes them (in another process) and hands the package over
            site.pages.append(self.data_page(Deferred(lambda: site.package)))
        else:
            files, site.package = self.open_data()
            site.files.update(files)
            site.pages.append(self.data_page(site.package))
        site.pages.append(self.changes_page())
        site.files[FEED_PATH] = self.feed()
        for document in self.corpus.documents:
            for name, content in self.sources.get(document.id, []):
                site.files[f"sources/{name}"] = content
        site.search_entries = [p.search for p in site.pages if p.search]
        site.files.update(suggestion_terms(self.corpus))
        if not self.lazy:  # everything now, in this process (the site builder makes the index itself)
            index, site.search_config = self.search_index(site.search_entries)
            site.files.update(index)
            for page in site.pages:
                site.files.update(page.files() if page.files else {})
        site.pages.append(self.page("search.html", "search/", "搜索", config=site.search_config))
        return site

    def open_data(self) -> tuple[dict[str, bytes], dict]:
        """The downloads (CSV, JSON, the data package, each document's CSL-JSON) and the package's descriptor."""
        files = downloads(self.corpus)
        package = datapackage.descriptor(self.corpus, files, self.site_url)
        files["downloads/datapackage.json"] = datapackage.package_json(package)
        for document in self.corpus.documents:  # an incremental build keeps the others' (they show only their items)
            if self.plan is None or document.id in self.plan.documents:
                files[csl_path(document)] = csl_json(document, self.absolute)
        return files, package

    def search_index(self, entries: list[SearchEntry], kept: dict | None = None) -> tuple[dict[str, bytes], dict]:
        """The search index's files, and the settings the search page carries (shard counts, facets).
        `kept`: filled for the next build's update of the index (search.build_index)."""
        index = build_index(entries, kept)
        return index, self.search_settings(entries, index)

    def search_settings(self, entries: list[SearchEntry], names) -> dict:
        """The settings the search page carries, given the names of the index's files."""
        return search_config(self.corpus, entries, names)


def day_label(iso: str) -> str:
    """2026-11-22… → 2026年11月22日"""
    return f"{int(iso[:4])}年{int(iso[5:7])}月{int(iso[8:10])}日"


def _size_label(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
def csl_path(document: Document) -> str:
    return f"citations/{document.id}.json"


# What a document holds, in words a reader who knows it recognises ("任务139项", not "条目159").
CONTENT_UNITS = [("measure", "措施", "项"), ("column", "专栏", "个"), ("indicator", "主要指标", "项"), ("task", "任务", "项")]


def contents_summary(document: Document) -> str:
    counts = Counter(node.kind for node in document.nodes)
    parts = [f"{label}{counts[kind]}{unit}" for kind, label, unit in CONTENT_UNITS if counts[kind]]
    structure = "、".join(([f"{counts['chapter']}个部分"] if counts["chapter"] else [])
                          + ([f"{counts['section']}节"] if counts["section"] else []))
    if not parts:
        return structure or "（无条目）"
    return "、".join(parts) + (f"（分{structure}）" if structure else "")


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def indicator_facts(rows: list[Node]) -> dict:
    """What an indicator table prints besides its rows: the usual base and target years, and the table's
    notes once each as footnotes, each row marked with the note's own printed mark (①) where it has one."""
    base_year = Counter(r.indicator["baseline_year"] for r in rows).most_common(1)[0][0]
    footnotes: list[str] = []
    marks: dict[str, tuple[int, str]] = {}
    for row in rows:
        note = row.indicator.get("note", "")
        if note:
            if note not in footnotes:
                footnotes.append(note)
            index = footnotes.index(note) + 1
            printed = note[: len(note) - len(note.lstrip(CIRCLED))]
            marks[row.id] = (index, printed or f"注{index}")
    return {"base_year": base_year, "target_year": rows[0].indicator["target_year"], "footnotes": footnotes,
            "marks": marks}


def grouped_notes(rows: list[Node]) -> list[tuple[str, str, list[Node]]]:
    """The 校注 of a table's rows, each wording once with the rows it applies to: (type, text, rows)."""
    groups: dict[tuple[str, str], list[Node]] = {}
    for row in rows:
        for note in row.notes:
            groups.setdefault((note.type, note.public), []).append(row)
    return [(kind, text, members) for (kind, text), members in groups.items()]


def _node_search_text(node: Node) -> str:
    """An item's own wording plus the canonical names of its departments (printed names may differ)."""
    names = [r.department.name for r in node.roles] + [r.department.full_name for r in node.roles]
    parts = [plain_text(node), node.responsibility, node.deadline, " ".join(dict.fromkeys(names))]
    if node.indicator:
        parts.append(" ".join(str(v) for v in node.indicator.values()))
    return "\n".join(p for p in parts if p)


def _weight(page: RenderedPage) -> int:
    """Bytes of a page's body and of its contents column (Material prints it twice, ~300 bytes a line)."""
    return len(page.html.encode()) + 600 * sum(1 + len(children) for *_, children in page.toc)


INDICATOR_ROWS = 25  # rows of one indicator table on a year page; a longer one continues in the next


def _split_tables(targets):
    for target in targets:
        rows = target.indicators or []
        if len(rows) <= INDICATOR_ROWS:
            yield target
            continue
        for start in range(0, len(rows), INDICATOR_ROWS):
            label = target.label if not start else f"{target.label}（续）"
            yield dataclasses.replace(target, label=label, indicators=rows[start:start + INDICATOR_ROWS])


def _target_cost(target) -> int:
    indicators = target.indicators or []
    return ENTRY_OVERHEAD + 3 * sum(map(len, target.paragraphs)) + 600 * len(indicators)


def _timeline_lines(entry) -> list[str]:
    lines = [f"发布：{d.short_title}" for d in entry.issued]
    lines += [f"安排任务：{d.short_title}（{sum(len(t) for _, t in groups)}项）" for d, groups in entry.scheduled]
    lines += [f"到期目标：{t.label}" for t in entry.targets]
    if entry.campaigns:
        lines.append(f"专项行动：{'、'.join(entry.campaigns)}")
    return lines


def _segments(node: Node, paragraph: str, marked: set) -> list[tuple[str, str, int]]:
    """Split a paragraph into text, gap markers and corrected passages, each tied to its 校注 number."""
    gap_notes = [i for i, n in enumerate(node.notes, 1) if n.type == "gap"]
    # A correction of the heading (a restored 专栏 number) is not looked for in the wording.
    heading = squeeze(node.printed_number + node.title)
    corrections = [(i, n.published) for i, n in enumerate(node.notes, 1)
                   if n.type == "correction" and n.published and squeeze(n.published) not in heading]
    result: list[tuple[str, str, int]] = []
    pieces = paragraph.split(GAP_MARK)
    for index, piece in enumerate(pieces):
        result.extend(_mark_corrections(node, piece, corrections, marked))
        if index < len(pieces) - 1:
            gap_index = len([k for k, _, _ in result if k == "gap"])
            note = gap_notes[min(gap_index, len(gap_notes) - 1)] if gap_notes else 0
            result.append(("gap", "", note))
    return _mark_lead_phrase(node, result)


LEAD_PHRASE_MAX = 30


def _mark_lead_phrase(node: Node, segments: list) -> list:
    """Measures and 专栏 items open with a lead phrase that is their title (健全知识产权法律法规。)."""
    if node.kind not in ("measure", "column") or not segments or segments[0][0] != "text":
        return segments
    text = segments[0][1]
    end = text.find("。")
    if not 0 < end < LEAD_PHRASE_MAX:
        return segments
    return [("lead", text[: end + 1], 0), ("text", text[end + 1:], 0), *segments[1:]]


def _mark_corrections(node, text, corrections, marked):
    for note, published in corrections:
        key = (id(node), note)
        position = text.find(published)
        if key not in marked and position >= 0:
            marked.add(key)
            before, after = text[:position], text[position + len(published):]
            return (_mark_corrections(node, before, corrections, marked)
                    + [("corrected", published, note)]
                    + _mark_corrections(node, after, corrections, marked))
    return [("text", text, 0)] if text else []


def _unique(nodes):
    seen, result = set(), []
    for node in nodes:
        if id(node) not in seen:
            seen.add(id(node))
            result.append(node)
    return result


def _per_document(department, documents):
    counts = []
    for document in documents:
        roles = [r for r in department.roles if r.node.document is document and not r.as_addressee]
        counts.append((len(_unique([r.node for r in roles if r.is_lead])), len(_unique([r.node for r in roles]))))
    return counts


def _category_order(corpus: Corpus):
    from .model import CATEGORY_LABELS
    present = {d.category for d in corpus.departments}
    return [(c, label) for c, label in CATEGORY_LABELS.items() if c in present]


def render_site(corpus: Corpus, site_url: str = "", data_date: str | None = None) -> RenderedSite:
    return Renderer(corpus, site_url=site_url, data_date=data_date).render()
