"""Aggregate pages (department, year, topic): everything reachable without JavaScript, every page
small, a contents column; the filters in chromium."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from generator import listing as listing_module
from generator import render as render_module
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
