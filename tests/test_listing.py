"""Aggregate pages (department, year, topic, 落实覆盖): everything reachable without JavaScript, every
page small, a contents column; the filters in chromium."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from generator import listing as listing_module
from generator import render as render_module
from generator.bench import make_synthetic
from generator.index import years_of
from generator.pipeline import load_corpus
from generator.render import Renderer, relative
from test_browser import browser, server, visit  # noqa: F401  (fixtures)


class Links(HTMLParser):
    """Item links of a page's listing, its next-page link and the ids of its contents column."""

    def __init__(self):
        super().__init__()
        self.items, self.next, self.toc, self.ids, self._in_listing, self._depth = [], None, [], set(), False, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "div" and attrs.get("class") == "ipp-listing":
            self._in_listing = True
        if tag == "div" and self._in_listing:
            self._depth += 1
        if tag == "a" and attrs.get("rel") == "next" and self.next is None:
            self.next = attrs["href"]
        if tag == "a" and self._in_listing and attrs.get("href"):
            self.items.append(attrs["href"])
        if tag == "a" and "md-nav__link" in (attrs.get("class") or "") and attrs.get("href", "").startswith("#"):
            self.toc.append(attrs["href"][1:])

    def handle_endtag(self, tag):
        if tag == "div" and self._in_listing:
            self._depth -= 1
            self._in_listing = self._depth > 0


def resolve(base: str, href: str) -> str:
    """A relative link from the directory URL `base` back to a site path."""
    parts = [p for p in base.split("/") if p]
    for piece in href.split("#")[0].split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts) + "/"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def larger_corpus(tmp_path_factory):
    """The real data made four times as large (as `make bench` does): 落实覆盖 then runs over pages."""
    folder = tmp_path_factory.mktemp("synthetic") / "data"
    make_synthetic(folder, 4)
    return load_corpus(folder)


def expected_department_items(corpus, department) -> set[str]:
    return {role.node.url for role in department.roles}


def expected_year_items(corpus, year: int) -> set[str]:
    """Tasks of the plans issued that year, and the documents issued."""
    urls = set()
    for document in corpus.documents:
        if document.year == year:
            urls.add(document.url)
            if document.kind in ("implementation-plan", "task-list"):
                urls |= {n.url for n in document.nodes if n.kind == "task"}
    return urls


def crawl(pages: dict[str, str], start: str) -> tuple[list[str], list[str]]:
    """Follow 下一页 from `start`; returns the pages visited and every link of their listings."""
    visited, items, url = [], [], start
    while url is not None:
        assert url not in visited, f"page links loop at {url}"
        visited.append(url)
        parser = Links()
        parser.feed(pages[url])
        items += [resolve(url, href) for href in parser.items]
        url = resolve(url, parser.next) if parser.next else None
    return visited, items


def test_built_aggregate_pages_list_everything_without_javascript(site, corpus):
    pages = {}
    for path in site.glob("departments/*/**/index.html"):
        pages[str(path.parent.relative_to(site)) + "/"] = path.read_text(encoding="utf-8")
    for path in site.glob("years/*/**/index.html"):
        pages[str(path.parent.relative_to(site)) + "/"] = path.read_text(encoding="utf-8")
    department = max(corpus.departments, key=lambda d: len(d.roles))
    _, items = crawl(pages, department.url)
    assert expected_department_items(corpus, department) <= set(items)
    year = max(years_of(corpus), key=lambda y: len(expected_year_items(corpus, y)))
    _, items = crawl(pages, f"years/{year}/")
    assert expected_year_items(corpus, year) <= set(items)


def test_contents_column_names_the_groups_of_the_page(site, corpus):
    department = max(corpus.departments, key=lambda d: len(d.roles))
    parser = Links()
    parser.feed((site / department.url / "index.html").read_text(encoding="utf-8"))
    documents = {r.node.document for r in department.roles}
    assert {f"doc-{d.id}" for d in documents} <= set(parser.toc)
    assert parser.toc and set(parser.toc) <= parser.ids


@pytest.mark.parametrize("budget", [3_000, 9_000])
def test_long_lists_are_cut_into_small_pages_that_reach_every_item(monkeypatch, corpus, budget):
    monkeypatch.setattr(render_module, "PAGE_BUDGET", budget)
    renderer = Renderer(corpus)
    rendered = [*renderer.department_pages(), *renderer.year_pages(), *renderer.topic_pages()]
    pages = {p.url: p.html for p in rendered}
    department = max(corpus.departments, key=lambda d: len(d.roles))
    visited, items = crawl(pages, department.url)
    assert len(visited) > 2
    assert set(items) >= expected_department_items(corpus, department)
    assert visited == [department.url] + [f"{department.url}{n}/" for n in range(2, len(visited) + 1)]
    for number, url in enumerate(visited[1:], 2):
        page = next(p for p in rendered if p.url == url)
        assert page.title == f"{department.name}（第{number}页）"
        assert page.search is None  # only the first page is a search result
        # every page links every other one, directly or through a window of neighbours
        assert relative(url, visited[0]) in pages[url]
    # each item of the department once per role: the pages do not repeat or drop entries
    listed = [href for url in visited for href in re.findall(r'<li data-kind="[^"]+"><a href="([^"]+)"', pages[url])]
    assert len(listed) == sum(len(set(nodes)) for nodes in _by_role(department).values())
    assert all(render_module._weight(page) <= listing_module.BODY_LIMIT for page in rendered)
    year = max(years_of(corpus), key=lambda y: len(expected_year_items(corpus, y)))
    _, items = crawl(pages, f"years/{year}/")
    assert set(items) >= expected_year_items(corpus, year)


def _by_role(department):
    groups: dict = {}
    for role in department.roles:
        key = "lead" if role.is_lead else "addressed" if role.as_addressee else "join"
        groups.setdefault((role.node.document.id, key), []).append(role.node.url)
    return groups


@pytest.mark.browser
def test_filters_narrow_the_list_and_without_javascript_everything_shows(visit, browser, server, corpus):
    department = max(corpus.departments, key=lambda d: len(d.roles))
    v = visit(department.url)
    page = v.page
    total = page.locator(".ipp-listing li").count()
    assert page.locator("form.ipp-filters").is_visible()
    page.select_option("form.ipp-filters select[name=role]", "牵头")
    lead = {r.node.url for r in department.roles if r.is_lead}
    shown = page.locator(".ipp-listing li:visible a")
    assert shown.count() == len(lead)
    assert {resolve(department.url, shown.nth(i).get_attribute("href")) for i in range(shown.count())} == lead
    document = next(d for d in corpus.documents if any(r.node.document is d for r in department.roles))
    page.select_option("form.ipp-filters select[name=role]", "")
    page.select_option("form.ipp-filters select[name=doc]", document.id)
    hrefs = [resolve(department.url, a.get_attribute("href")) for a in page.locator(".ipp-listing li:visible a").all()]
    assert set(hrefs) == {r.node.url for r in department.roles if r.node.document is document}
    assert page.locator(f"#doc-{document.id}").is_visible()
    assert v.errors == []

    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(server + department.url)
        assert not plain.locator("form.ipp-filters").is_visible()
        assert plain.locator(".ipp-listing li:visible").count() == total
    finally:
        context.close()


def coverage_counts(document) -> tuple[int, int]:
    """(measures and 专栏 some task implements, those none does) of one document."""
    items = [n for n in document.nodes if n.kind in ("measure", "column")]
    uncovered = sum(1 for n in items if not n.implemented_by)
    return len(items) - uncovered, uncovered


def test_coverage_list_is_cut_into_small_pages_each_item_once(monkeypatch, larger_corpus):
    """落实覆盖: every measure and 专栏 no task implements, once across its pages, each page small."""
    corpus = larger_corpus
    monkeypatch.setattr(render_module, "PAGE_BUDGET", 2_000)
    rendered = list(Renderer(corpus).coverage_pages())
    pages = {p.url: p.html for p in rendered}
    visited, _ = crawl(pages, "coverage/")
    assert len(visited) > 2
    assert visited == ["coverage/"] + [f"coverage/{n}/" for n in range(2, len(visited) + 1)] == list(pages)
    listed = [resolve(url, href) for url in visited
              for href in re.findall(r'<li data-kind="[^"]+"><a href="([^"]+)"', pages[url])]
    uncovered = [n.url for n in corpus.nodes if n.kind in ("measure", "column") and not n.implemented_by]
    assert len(uncovered) > 10 and sorted(listed) == sorted(uncovered)
    assert [p.title for p in rendered] == ["落实覆盖"] + [f"落实覆盖（第{n}页）" for n in range(2, len(rendered) + 1)]
    assert all(render_module._weight(page) <= listing_module.BODY_LIMIT for page in rendered)
    assert all(p.search is None for p in rendered)  # an editors' page: not a search result
    assert "<h1>落实覆盖（编辑用）</h1>" in pages["coverage/"] and "implements" in pages["coverage/"]
    # every page link and every link of the 分页目录 leads to a page of the list and an id on it
    for url, html in pages.items():
        navigation = "".join(re.findall(r'<nav class="ipp-pages".*?</nav>|<section class="ipp-overview".*?</section>',
                                        html, re.S))
        hrefs = re.findall(r'href="([^"]+)"', navigation)
        assert len(hrefs) > 2
        assert url == "coverage/" or relative(url, "coverage/") in hrefs
        for href in hrefs:
            target, _, anchor = href.partition("#")
            assert resolve(url, target) in pages, (url, href)
            assert not anchor or f'id="{anchor}"' in pages[resolve(url, target)], (url, href)
    # each document's counts once, where its list begins (page 1 for the first)
    documents = [d for d in corpus.documents if sum(coverage_counts(d))]
    for document in documents:
        covered, open_items = coverage_counts(document)
        line = f"<p>已有任务落实：{covered} 项；尚无：{open_items} 项。</p>"
        assert [url for url in visited if line in pages[url]] == \
               [next(url for url in visited if f'<h2 id="cov-{document.id}">' in pages[url])]
    assert f'<h2 id="cov-{documents[0].id}">' in pages["coverage/"]


def test_coverage_keeps_a_document_whose_measures_all_have_tasks(monkeypatch, corpus):
    plan = next(d for d in corpus.documents if coverage_counts(d)[1])
    task = next(n for n in corpus.nodes if n.implements)
    for node in plan.nodes:
        if node.kind in ("measure", "column") and not node.implemented_by:
            monkeypatch.setattr(node, "implemented_by", [task])
    [page] = Renderer(corpus).coverage_pages()
    total = sum(1 for n in plan.nodes if n.kind in ("measure", "column"))
    assert f"<p>已有任务落实：{total} 项；尚无：0 项。</p>" in page.html
    assert f'<h2 id="cov-{plan.id}">' in page.html and "<li" not in page.html.split("ipp-listing", 1)[1]


def test_pages_hold_groups_that_are_only_an_intro():
    def group(name: str, entries: int, intro: str = "") -> listing_module.Group:
        return listing_module.Group(name, name.upper(), [listing_module.Subgroup("list", "", [
            listing_module.Entry(f"{name}{i}", "item", name, "措施", cost=100) for i in range(entries)])], intro=intro)

    groups = [group("a", 5, "five"), group("b", 0, "none"), group("c", 0), group("d", 3, "three")]
    listing = listing_module.paginate("x/", groups, {}, budget=300)
    shown = [(page.number, g.id, g.continued, [e.value for s in g.subgroups for e in s.entries])
             for page in listing.pages for g in page.groups]
    assert [g.id for g in listing.groups] == ["a", "b", "d"]  # c: neither entries nor an intro
    assert [(g, v) for _, g, _, v in shown if g == "b"] == [("b", [])]
    assert sum((v for *_, v in shown), []) == [f"a{i}" for i in range(5)] + [f"d{i}" for i in range(3)]
    assert [g.page for g in listing.groups] == [next(n for n, i, c, _ in shown if i == g.id and not c)
                                                for g in listing.groups]
