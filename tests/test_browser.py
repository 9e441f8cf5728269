"""The built site in a real browser: Debian's chromium driven by Playwright (never a downloaded one)."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from conftest import ROOT
from generator.pipeline import load_corpus
from generator.render import render_site
from generator.search import normalise

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
PAGES = {
    "home": "",
    "task": "plan-2023/t-30/",
    "column": "plan-2021/col-5/",
    "department": "departments/samr/",
    "year": "years/2023/",
}
FIRST_VISIT_LIMIT = 400_000
SEARCH_LIMIT = 300_000
# Queries people type: campaign names mixing Chinese and digits, Latin acronyms (also in
# full-width brackets), department names (canonical and as printed), and phrases whose parts
# are common words.
QUERIES = ["昆仑2023", "剑网2023", "龙腾行动2023", "AIPPI", "（AIPPI）", "GDP", "市场监管总局", "中国科学院",
           "中央宣传部", "知识产权保护体系", "商业秘密保护", "地理标志保护", "知识产权质押融资", "数据知识产权",
           "专利导航", "专利 导航"]


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ and counts the bytes it sends: what a visitor really downloads (cache hits cost nothing)."""

    sent = [0]

    def copyfile(self, source, outputfile):
        data = source.read()
        self.sent[0] += len(data)
        outputfile.write(data)

    def log_message(self, *args):
        pass


def bytes_sent() -> int:
    return _CountingHandler.sent[0]


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_CountingHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "make test installs Debian's chromium (apt-get install chromium)"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


class Visit:
    """A fresh page (empty cache) that records console errors and the hosts it contacts."""

    def __init__(self, browser, server):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.server = server
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)

    def _request(self, request):
        if not request.url.startswith(self.server) and not request.url.startswith(("data:", "blob:", "about:")):
            self.foreign.append(request.url)

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, server):
    opened = []

    def open_page(path: str) -> Visit:
        v = Visit(browser, server)
        v.page.goto(server + path, wait_until="networkidle")
        opened.append(v)
        return v

    yield open_page
    for v in opened:
        v.close()


def search(visit_page: Visit, query: str) -> list[str]:
    page = visit_page.page
    page.goto(visit_page.server + "search/?q=" + query, wait_until="networkidle")
    page.wait_for_selector("body[data-search-done]", timeout=15_000)
    return [a.get_attribute("href") for a in page.query_selector_all("#ipp-search-results li > a")]


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_and_locally(visit, name):
    v = visit(PAGES[name])
    assert v.page.locator("html").get_attribute("lang") == "zh-Hans"
    assert v.page.locator("h1").count() >= 1
    assert v.errors == []
    assert v.foreign == []


@pytest.mark.parametrize("name", PAGES)
def test_first_visit_weight_and_one_search(visit, name):
    before = bytes_sent()
    v = visit(PAGES[name])
    first = bytes_sent() - before
    assert 100_000 < first <= FIRST_VISIT_LIMIT, f"first visit fetched {first} bytes"
    v.page.fill("#ipp-header-q", "知识产权保护体系")
    v.page.press("#ipp-header-q", "Enter")
    v.page.wait_for_selector("body[data-search-done]", timeout=15_000)
    v.page.wait_for_load_state("networkidle")
    # Everything the search fetched: the search page, its script, the index shards and metadata.
    searched = bytes_sent() - before - first
    assert 10_000 < searched <= SEARCH_LIMIT, f"one search fetched {searched} bytes"
    assert v.page.locator("#ipp-search-results li").count() > 0
    assert v.errors == [] and v.foreign == []


def test_navigation_and_breadcrumbs(visit, server):
    v = visit("")
    v.page.get_by_role("link", name="部门", exact=True).first.click()
    v.page.wait_for_load_state()
    assert v.page.url == server + "departments/"
    v.page.get_by_role("link", name="市场监管总局", exact=True).first.click()
    v.page.wait_for_load_state()
    assert v.page.url == server + "departments/samr/"
    v.page.locator(".ipp-list a").first.click()
    v.page.wait_for_load_state()
    crumbs = v.page.locator(".ipp-breadcrumbs a")
    assert crumbs.count() >= 3
    crumbs.nth(2).click()  # the document
    v.page.wait_for_load_state()
    assert v.page.locator("h1").inner_text() in {d.title for d in load_corpus().documents}


@pytest.fixture(scope="module")
def searchable():
    """url → normalised searchable text of every indexed page, as the build indexes it."""
    return {p.search.url: normalise(p.search.title + p.search.text) for p in render_site(load_corpus()).pages if p.search}


@pytest.mark.parametrize("query", QUERIES)
def test_search_ranks_pages_containing_the_query_first(visit, server, searchable, query):
    terms = [normalise(t) for t in query.split()]
    containing = {url for url, text in searchable.items() if all(t in text for t in terms)}
    assert containing, f"the query set should only hold queries the corpus answers: {query}"
    v = visit("search/")
    results = [href.replace(server, "") for href in search(v, query)]
    top = results[: min(5, len(containing))]
    assert top and all(url in containing for url in top), (query, top)
    if len(containing) < 5:
        assert set(results[: len(containing)]) == containing
    assert v.errors == [] and v.foreign == []


def test_search_shows_text_not_markup(visit):
    v = visit("search/")
    search(v, "<img src=x onerror=alert(1)>")
    assert v.page.locator("#ipp-search-status").inner_text() == "没有找到包含“<img src=x onerror=alert(1)>”的页面。"
    assert v.page.locator("#ipp-search-results img").count() == 0
    assert v.errors == []


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


AXE_PAGES = {
    **PAGES,
    "document": "plan-2021/",
    "indicator table": "plan-2021/s-3/",
    "task list item": "tasks-2021/t-1/",
    "topic": "topics/trade-secrets/",
    "departments": "departments/",
    "search": "search/?q=商业秘密",
}


@pytest.mark.parametrize("name", AXE_PAGES)
def test_accessibility_axe(visit, name):
    assert AXE.exists(), "make test installs axe-core from npm"
    v = visit(AXE_PAGES[name])
    if name == "search":
        v.page.wait_for_selector("body[data-search-done]")
    v.page.add_script_tag(path=str(AXE))
    violations = v.page.evaluate("async () => (await axe.run(document)).violations"
                                 ".map(v => v.id + ': ' + v.nodes.length + ' × ' + v.help)")
    assert violations == []


def test_item_titles_in_heading_browser_title_and_search_results(visit, site):
    from conftest import read_csv

    row = next(r for r in read_csv(site / "downloads" / "items.csv") if r["url"] == "plan-2023/t-1/")
    heading = f"{row['number']}．{row['title']}"
    v = visit("plan-2023/t-1/")
    assert v.page.locator("h1").inner_text() == heading
    assert v.page.title().startswith(heading)
    search(v, "专利法实施细则")
    titles = [t.strip() for t in v.page.locator("#ipp-search-results li > a").all_inner_texts()]
    assert heading in titles
