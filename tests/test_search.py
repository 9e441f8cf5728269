"""The site search in chromium, against expectations computed from the data, not from the search code:
which pages hold a query is read from the rendered pages' text with a plain substring test."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from conftest import DATA
from generator.model import KIND_LABELS
from generator.pipeline import load_corpus
from generator.render import render_site
from generator.search import normalise
from test_browser import Visit, browser, server, visit  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

SCREEN = 10  # results on the first screen
# Short names and foreign names people type, with the department whose page must come first.
SHORT_NAMES = {"工信部": "miit", "发改委": "ndrc", "国知局": "cnipa", "最高法": "spc", "WIPO": None}
# Rare and common, one term and several, Latin and digits: the total must be exact for each.
TOTALS = ["知识产权", "知识产权保护", "加强知识产权保护", "知识产权保护体系", "国家知识产权局", "保护", "专利 导航",
          "昆仑2023", "AIPPI", "商业秘密", "地理标志 保护", "中华人民共和国最高人民法院"]


@pytest.fixture(scope="module")
def pages():
    """Every indexed page in build order: (url, normalised title | normalised text, kind, document id)."""
    corpus = load_corpus()
    kinds = {n.url: n.kind for n in corpus.nodes}
    documents = {n.url: n.document.id for n in corpus.nodes} | {d.url: d.id for d in corpus.documents}
    result = []
    for page in render_site(corpus).pages:
        if page.search:
            text = normalise(page.search.title) + "|" + normalise(page.search.text)
            result.append((page.url, text, kinds.get(page.url, ""), documents.get(page.url, "")))
    return result


def holding(pages, query: str) -> set[str]:
    terms = [normalise(t) for t in query.split() if len(normalise(t)) >= 2]
    return {url for url, text, _, _ in pages if all(t in text for t in terms)}


def search(v: Visit, query: str, **params) -> list[str]:
    """Open the search page for a query (and filters); the site paths of the results listed."""
    extra = "".join(f"&{k}={value}" for k, value in params.items())
    v.page.goto(v.server + "search/?q=" + query + extra, wait_until="networkidle")
    v.page.wait_for_function("q => document.body.getAttribute('data-search-done') === q", arg=query)
    return listed(v)


def listed(v: Visit) -> list[str]:
    return [a.get_attribute("href").replace(v.server, "") for a in v.page.query_selector_all("#ipp-search-results li > a")]


def total(v: Visit) -> int:
    found = re.search(r"共 (\d+) 个页面", v.page.locator("#ipp-search-status").inner_text())
    return int(found[1]) if found else 0


def printed_term(typed: str) -> tuple[str, str | None]:
    """The printed term for a typed form, read straight from the YAML (synonyms, then department aliases)."""
    term = next(e["term"] for e in yaml.safe_load((DATA / "synonyms.yml").read_text(encoding="utf-8")) if typed in e["also"])
    departments = yaml.safe_load((DATA / "departments.yml").read_text(encoding="utf-8"))
    owner = next((d["id"] for d in departments if term in [d["name"], *(d.get("aliases") or [])]), None)
    return term, owner


@pytest.mark.parametrize("query", TOTALS)
def test_exact_total_and_only_pages_holding_the_query(visit, pages, query):
    expected = holding(pages, query)
    assert expected, f"the query set should only hold queries the corpus answers: {query}"
    v = visit("search/")
    results = search(v, query)
    assert total(v) == len(expected)
    assert len(results) == min(SCREEN, len(expected)) and set(results) <= expected
    assert v.errors == [] and v.foreign == []


def test_whole_phrase_ranks_before_pages_with_the_terms_apart(visit, pages):
    query = "知识产权 保护"
    together = {url for url, text, _, _ in pages if "知识产权保护" in text}
    v = visit("search/")
    results = search(v, query)
    assert total(v) == len(holding(pages, query)) > len(together) >= SCREEN
    assert set(results) <= together


@pytest.mark.parametrize("typed", SHORT_NAMES)
def test_short_name_finds_what_the_printed_name_finds(visit, pages, typed):
    term, owner = printed_term(typed)
    assert owner == SHORT_NAMES[typed]
    assert not holding(pages, typed), f"{typed} is printed after all: the test needs a form that is not"
    expected = holding(pages, term)
    v = visit("search/")
    results = search(v, typed)
    assert total(v) == len(expected) and set(results) <= expected
    assert f"按‘{term}’检索" in v.page.locator("#ipp-search-status").inner_text()
    if owner:
        assert results[0] == f"departments/{owner}/"
    assert v.errors == [] and v.foreign == []


def listed_forms() -> list[tuple[str, str]]:
    """(typed form, printed term) for every department's full name and alias and every form in
    data/synonyms.yml, read straight from the YAML (forms that normalise to the term itself are no synonym)."""
    departments = yaml.safe_load((DATA / "departments.yml").read_text(encoding="utf-8"))
    synonyms = yaml.safe_load((DATA / "synonyms.yml").read_text(encoding="utf-8"))
    forms = [(form, d["name"]) for d in departments for form in [d.get("full_name"), *(d.get("aliases") or [])] if form]
    forms += [(form, entry["term"]) for entry in synonyms for form in entry["also"]]
    return [(form, term) for form, term in forms if normalise(form) != normalise(term)]


def test_every_alias_full_name_and_synonym_finds_what_its_term_finds(visit, pages):
    """Each form a reader may type finds exactly the pages holding it or the printed term, says which
    term it searched, and puts the department's own page first when the term names a department."""
    departments = yaml.safe_load((DATA / "departments.yml").read_text(encoding="utf-8"))
    own_page = {d["name"]: f"departments/{d['id']}/" for d in departments}
    forms = listed_forms()
    assert len(forms) >= 60
    v = visit("search/")
    wrong = []
    for form, term in forms:
        v.page.fill("#ipp-q", form)
        v.page.press("#ipp-q", "Enter")
        v.page.wait_for_function("q => document.body.getAttribute('data-search-done') === q", arg=form)
        expected = holding(pages, form) | holding(pages, term)
        results = listed(v)
        said = f"按‘{term}’检索" in v.page.locator("#ipp-search-status").inner_text()
        first_is_own = term not in own_page or (results and results[0] == own_page[term])
        if total(v) != len(expected) or not set(results) <= expected or not said or not first_is_own:
            wrong.append((form, term, total(v), len(expected), said, first_is_own))
    assert wrong == []
    assert v.errors == []


@pytest.mark.parametrize("name", ["工业和信息化部", "市场监管总局", "中央宣传部", "国家知识产权局"])
def test_department_query_shows_its_page_first(visit, name):
    departments = yaml.safe_load((DATA / "departments.yml").read_text(encoding="utf-8"))
    owner = next(d["id"] for d in departments if d["name"] == name)
    assert search(visit("search/"), name)[0] == f"departments/{owner}/"


def test_no_result_suggests_terms_that_occur_and_links_the_indexes(visit, pages):
    query = "知识产权保护体制"  # 体制 is not printed after 保护; the pairs are
    assert not holding(pages, query)
    v = visit("search/")
    assert search(v, query) == []
    assert v.page.locator("#ipp-search-status").inner_text() == f"没有找到包含“{query}”的页面。"
    suggestions = v.page.locator("#ipp-search-suggestions a")
    assert suggestions.count() >= 1
    wanted = {query[i:i + 2] for i in range(len(query) - 1)}
    for index in range(suggestions.count()):
        term = suggestions.nth(index).inner_text()
        assert wanted & {normalise(term)[i:i + 2] for i in range(len(normalise(term)) - 1)}, term
        assert holding(pages, term), f"suggested {term}, which occurs nowhere"
    links = [a.get_attribute("href") for a in v.page.query_selector_all("#ipp-search-help a:not(#ipp-search-suggestions a)")]
    assert links == ["../documents/", "../departments/", "../years/", "../topics/"]
    first = suggestions.nth(0).inner_text()
    suggestions.nth(0).click()  # a suggestion searches in place
    v.page.wait_for_function("q => document.body.getAttribute('data-search-done') === q", arg=first)
    assert total(v) == len(holding(pages, first))


@pytest.fixture(scope="module")
def facts():
    """Independent facet values: document years and titles, and the items each department is responsible for."""
    corpus = load_corpus()
    return {
        "year": {d.id: d.year for d in corpus.documents},
        "title": {d.id: d.short_title for d in corpus.documents},
        "dept": {d.id: {r.node.url for r in d.roles} for d in corpus.departments},
        "dept_name": {d.id: d.name for d in corpus.departments},
        "document_urls": {d.url for d in corpus.documents},
    }


def kind_label(url: str, kind: str, facts) -> str:
    """What the kind filter calls a page: the item kinds' names in the data's vocabulary, and the other pages'."""
    if kind:
        return KIND_LABELS[kind]
    if url in facts["document_urls"]:
        return "文件"
    return {"departments": "部门", "topics": "专题"}[url.split("/")[0]]


def facet_values(url: str, kind: str, document: str, facts) -> dict[str, set[str]]:
    """The option labels of each filter that a page counts under."""
    return {
        "doc": {facts["title"][document]} if document else set(),
        "year": {f"{facts['year'][document]}年"} if document else set(),
        "kind": {kind_label(url, kind, facts)},
        "dept": {facts["dept_name"][d] for d, urls in facts["dept"].items() if url in urls},
    }


def options(v: Visit, name: str) -> dict[str, int]:
    """label → count of the options a filter offers (全部 included)."""
    result = {}
    for text in v.page.locator(f"#ipp-filter-{name} option").all_inner_texts():
        found = re.fullmatch(r"(.+)（(\d+)）", text)
        assert found, f"filter {name}: option '{text}' shows no count"
        result[found[1]] = int(found[2])
    return result


@pytest.mark.parametrize("query, params", [
    ("知识产权", {}),
    ("保护", {"doc": "plan-2021"}),
    ("知识产权", {"dept": "samr", "kind": "任务"}),
])
def test_every_filter_offers_only_values_that_occur_with_exact_counts(visit, pages, facts, query, params):
    """Each option of each filter (document, kind, year, department) counts the pages that hold the
    query, pass the other filters and carry that value; 全部 counts those passing the other filters."""
    held = holding(pages, query)
    values = {url: facet_values(url, kind, document, facts) for url, _, kind, document in pages if url in held}
    labels = {"doc": lambda v: facts["title"][v], "year": lambda v: f"{v}年", "kind": str,
              "dept": lambda v: facts["dept_name"][v]}
    chosen = {name: labels[name](value) for name, value in params.items()}
    v = visit("search/")
    search(v, query, **params)
    v.page.wait_for_function("q => document.body.getAttribute('data-search-facets') === q", arg=query)
    for name in ("doc", "kind", "year", "dept"):
        others = [url for url, facet in values.items()
                  if all(label in facet[other] for other, label in chosen.items() if other != name)]
        expected = {"全部": len(others)}
        for url in others:
            for label in values[url][name]:
                expected[label] = expected.get(label, 0) + 1
        if name in chosen:
            expected.setdefault(chosen[name], 0)
        assert options(v, name) == expected, name
    assert v.errors == []


@pytest.mark.parametrize("query, params", [
    ("知识产权保护", {"doc": "plan-2021"}),
    ("知识产权保护", {"kind": "任务"}),
    ("知识产权", {"year": "2023"}),
    ("知识产权", {"dept": "samr"}),
    ("知识产权", {"doc": "plan-2023", "kind": "任务", "dept": "cnipa"}),
])
def test_filters_count_exactly(visit, pages, facts, query, params):
    labels = {"task": "任务", "column": "专栏", "measure": "措施", "chapter": "部分", "section": "节"}
    expected = set()
    for url, _, kind, document in pages:
        if url not in holding(pages, query):
            continue
        if "doc" in params and document != params["doc"]:
            continue
        if "kind" in params and labels.get(kind) != params["kind"]:
            continue
        if "year" in params and (not document or str(facts["year"][document]) != params["year"]):
            continue
        if "dept" in params and url not in facts["dept"][params["dept"]]:
            continue
        expected.add(url)
    assert expected
    v = visit("search/")
    results = search(v, query, **params)
    assert total(v) == len(expected) and set(results) <= expected
    v.page.wait_for_function("q => document.body.getAttribute('data-search-facets') === q", arg=query)
    for name, value in params.items():
        assert v.page.locator(f"#ipp-filter-{name}").input_value() == value


def test_filter_state_lives_in_the_url_and_back_works_without_reload(visit, pages):
    v = visit("search/?q=知识产权")
    v.page.wait_for_function("document.body.getAttribute('data-search-facets') === '知识产权'")
    v.page.evaluate("window.notReloaded = true")
    everything = total(v)
    assert everything == len(holding(pages, "知识产权"))
    v.page.select_option("#ipp-filter-doc", "plan-2021")
    v.page.wait_for_function("location.search.includes('doc=plan-2021') && document.body.getAttribute('data-search-done') === '知识产权'")
    v.page.wait_for_function("document.body.getAttribute('data-search-facets') === '知识产权'")
    narrowed = total(v)
    assert 0 < narrowed < everything
    assert parse_qs(urlparse(v.page.url).query) == {"q": ["知识产权"], "doc": ["plan-2021"]}
    # a new query from the box: no page load, the URL follows
    v.page.fill("#ipp-q", "商业秘密")
    v.page.press("#ipp-q", "Enter")
    v.page.wait_for_function("document.body.getAttribute('data-search-done') === '商业秘密'")
    assert total(v) == len(holding(pages, "商业秘密"))
    assert parse_qs(urlparse(v.page.url).query) == {"q": ["商业秘密"]}
    v.page.go_back()
    v.page.wait_for_function("document.body.getAttribute('data-search-done') === '知识产权' && location.search.includes('doc=')")
    assert total(v) == narrowed and v.page.locator("#ipp-q").input_value() == "知识产权"
    v.page.go_back()
    v.page.wait_for_function("!location.search.includes('doc=')")
    v.page.wait_for_function("document.body.getAttribute('data-search-done') === '知识产权'")
    assert total(v) == everything
    assert v.page.evaluate("window.notReloaded") is True
    assert v.errors == []


def test_document_order_groups_results_by_document(visit, pages):
    order = [url for url, _, _, _ in pages]
    v = visit("search/")
    results = search(v, "知识产权保护", sort="order")
    expected = [url for url in order if url in holding(pages, "知识产权保护")]
    assert results == expected[:SCREEN]
    groups = v.page.locator("#ipp-search-results .ipp-search-group").all_inner_texts()
    assert groups and len(groups) == len(set(groups))


def test_keyboard_moves_through_results_and_enter_opens(visit, server):
    v = visit("search/")
    results = search(v, "商业秘密")
    v.page.focus("#ipp-q")
    v.page.keyboard.press("ArrowDown")
    v.page.keyboard.press("ArrowDown")
    v.page.keyboard.press("ArrowUp")
    v.page.keyboard.press("ArrowDown")
    assert v.page.evaluate("document.activeElement.getAttribute('href')").replace(server, "") == results[1]
    v.page.keyboard.press("Enter")
    v.page.wait_for_url(server + results[1])


@pytest.mark.parametrize("path", ["", "plan-2023/t-30/", "departments/samr/"])
def test_slash_focuses_the_header_search_box_from_any_page(visit, path):
    v = visit(path)
    v.page.keyboard.press("/")
    assert v.page.evaluate("document.activeElement.id") == "ipp-header-q"
    assert v.page.locator("#ipp-header-q").input_value() == ""
    assert v.errors == []


def test_exact_totals_for_phrases_drawn_from_the_pages(visit, pages):
    """Forty phrases of 2–14 characters cut from the pages (a fixed seed): every total is exact."""
    import random

    chooser = random.Random(13)
    texts = [text for _, text, _, _ in pages]
    queries = []
    while len(queries) < 40:
        text = chooser.choice(texts).split("|")[-1]
        length = chooser.choice([2, 3, 4, 5, 6, 8, 10, 14])
        if len(text) > length:
            start = chooser.randrange(len(text) - length)
            queries.append(text[start:start + length])
    v = visit("search/")
    wrong = []
    for query in queries:
        v.page.fill("#ipp-q", query)
        v.page.press("#ipp-q", "Enter")
        v.page.wait_for_function("q => document.body.getAttribute('data-search-done') === q", arg=query)
        expected = holding(pages, query)
        if total(v) != len(expected) or not set(listed(v)) <= expected:
            wrong.append((query, total(v), len(expected)))
    assert wrong == []
    assert v.errors == []


def test_first_screen_cost_as_make_bench_measures_it(site, browser, pages):
    """`make bench`'s measurement (generator.search_bench) on the real site, for queries of each kind:
    the index files fetched until the first screen are few and small (the limits the bench shows at
    100×), the bytes it counts are those files' sizes on disk, and the screen holds exact matches."""
    from generator.search_bench import measure

    queries = ["昆仑2023", "AIPPI", "工信部", "专利 导航", "知识产权", "知识产权保护体系"]
    rows = measure(site, queries, browser)
    assert [row["query"] for row in rows] == queries
    for row in rows:
        assert 0 < row["requests"] <= 20 and 0 < row["bytes"] <= 150 * 1024, row
        assert row["bytes"] == sum((site / name).stat().st_size for name in row["files"]), row
        assert any(name.startswith("search/p-") for name in row["files"]) and any(
            name.startswith("search/page/") for name in row["files"]), row
        assert row["ms"] > 0 and row["linked_ms"] > 0 and row["page_ms"] > 0, row
        if row["query"] != "工信部":
            assert row["status"] == f"共 {len(holding(pages, row['query']))} 个页面包含“{row['query']}”。"
        assert 1 <= row["shown"] <= SCREEN


def test_normalising_many_texts_at_once_is_normalising_each():
    """normalise_all joins texts with NUL and normalises once: it must equal normalising each text."""
    from generator.search import normalise, normalise_all

    texts = [p.search.text for p in render_site(load_corpus()).pages if p.search][:300]
    texts += ["ΟΔΟΣ", "Σ", "ΑΣ", "e\u0301", "\u0301x", "Ａ１２", "ﬁ", "", "知识产权", "İstanbul", "ǅ", "Ⅻ", "\u00adx\u00ad"]
    texts += ["ΑΣ" + "\u0301", "ß", "ΣΑ", "a\u0345", "\u1e9e"]
    assert normalise_all(texts) == "|".join(normalise(t) for t in texts)
    assert normalise_all([]) == ""
