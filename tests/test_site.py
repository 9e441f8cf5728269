"""The real site: pages, links, nav size, language and the open data files."""
from __future__ import annotations

import json
import re

from conftest import DATA, page_text, read_csv, squeeze


def test_every_document_has_a_page_and_a_row(site):
    documents = read_csv(site / "downloads" / "documents.csv")
    assert [r["id"] for r in documents], "documents.csv is empty"
    # The public contract: columns are only ever added at the end.
    assert list(documents[0])[:7] == ["id", "title", "issuer", "number", "date", "year", "url"]
    for row in documents:
        page = site / row["url"] / "index.html"
        assert page.exists(), row["url"]
        assert row["title"] in page_text(page)
    files = sorted(p.stem for p in (DATA / "documents").glob("*.yml"))
    assert sorted(r["id"] for r in documents) == files


def test_items_csv_contract(site):
    rows = read_csv(site / "downloads" / "items.csv")
    assert list(rows[0])[:10] == ["document", "kind", "number", "title", "text", "lead", "departments",
                                  "deadline", "parent", "url"]
    assert {r["kind"] for r in rows} <= {"chapter", "section", "measure", "column", "indicator", "task"}
    urls = [r["url"] for r in rows]
    assert len(urls) == len(set(urls)), "url must identify a row"
    known = set(urls) | {r["url"] for r in read_csv(site / "downloads" / "documents.csv")}
    for row in rows:
        assert row["parent"] in known, row
        if row["lead"]:
            assert row["departments"].split("；")[0] == row["lead"], row
        page, _, anchor = row["url"].partition("#")
        built = site / page / "index.html"
        assert built.exists(), row["url"]
        if anchor:
            assert f'id="{anchor}"' in built.read_text(encoding="utf-8"), row["url"]


def test_json_matches_csv(site):
    for name in ("documents", "items", "departments", "indicators"):
        rows = read_csv(site / "downloads" / f"{name}.csv")
        data = json.loads((site / "downloads" / f"{name}.json").read_text(encoding="utf-8"))
        assert [{k: str(v) for k, v in row.items()} for row in data] == rows, name


def test_2023_plan_has_all_139_tasks_with_lead_first(site):
    source = squeeze((DATA / "sources" / "002_7eb8a8e758457245.txt").read_text(encoding="utf-8"))
    tasks = [r for r in read_csv(site / "downloads" / "items.csv")
             if r["document"] == "plan-2023" and r["kind"] == "task"]
    assert [int(r["number"]) for r in tasks] == list(range(1, 140))
    departments = {d["name"]: d for d in read_csv(site / "downloads" / "departments.csv")}
    canonical = {alias: d["name"] for d in departments.values() for alias in [d["name"], *d["aliases"].split("；")] if alias}
    for row in tasks:
        printed = f"{row['number']}．{row['text']}"
        assert squeeze(printed) in source, f"task {row['number']} is not word for word"
        bracket = re.search(r"（([^（）]+?)(?:按职责分工)?负责）$", row["text"])
        names = [canonical[n] for n in bracket.group(1).split("、")]
        assert row["lead"] == names[0], row["number"]
        assert row["departments"].split("；") == names, row["number"]
        page = site / row["url"] / "index.html"
        assert squeeze(row["text"]) in squeeze(page_text(page))


def test_pages_are_chinese_and_self_contained(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        source = page.read_text(encoding="utf-8")
        assert '<html lang="zh-Hans"' in source, page
        # Nothing the browser would fetch from another host: no external stylesheet, script, image or font.
        for tag, attribute in re.findall(r"<(link|script|img|iframe|source)\b([^>]*)>", source):
            url = re.search(r'(?:href|src)="([^"]*)"', attribute)
            if url and tag != "link" or (url and 'rel="stylesheet"' in attribute or url and "preconnect" in attribute):
                assert not re.match(r"(https?:)?//", url.group(1)), f"{page}: {url.group(1)}"


def test_navigation_holds_documents_not_items(site):
    """Material renders the whole nav on every page: it must not grow with the number of items."""
    items = len(read_csv(site / "downloads" / "items.csv"))
    source = (site / "plan-2023" / "t-1" / "index.html").read_text(encoding="utf-8")
    nav = source[source.find('<nav class="md-nav md-nav--primary"'):source.find("</nav>", source.find('md-nav--primary'))]
    nav_links = len(re.findall(r'class="md-nav__link', nav))
    assert 5 < nav_links < 40 < items


def test_item_pages_have_breadcrumbs_and_permalink(site):
    page = (site / "plan-2023" / "t-17" / "index.html").read_text(encoding="utf-8")
    assert 'class="ipp-breadcrumbs"' in page
    assert 'aria-current="page"' in page
    assert "plan-2023/t-17/" in page_text(site / "plan-2023" / "t-17" / "index.html")


def test_404_page(site):
    page = site / "404.html"
    assert "找不到该页面" in page_text(page)


def test_search_index_is_sharded_and_finds_a_campaign(site):
    from generator.search import ALPHABET, fnv1a, normalise

    def numbers(text):  # base64url digits of 5 bits, low first; digits >= 32 say more follows
        result, value, shift = [], 0, 0
        for char in text:
            digit = ALPHABET.index(char)
            value += (digit & 31) << shift
            shift += 5
            if digit < 32:
                result.append(value)
                value, shift = 0, 0
        return result

    def entry(family, key):
        shards = sorted((site / "search").glob(f"{family}-*.json"))
        path = site / "search" / f"{family}-{fnv1a(key) % len(shards)}.json"
        return json.loads(path.read_text(encoding="utf-8")).get(key)

    shards = sorted((site / "search").glob("[pg]-*.json"))
    assert len(shards) > 2
    assert max(p.stat().st_size for p in shards) < 100_000, "a query must never fetch the whole index"
    first_page = numbers(entry("p", normalise("昆仑")))[0]  # a rare pair keeps its positions: page first
    url = json.loads((site / "search" / "page" / f"{first_page}.json").read_text(encoding="utf-8"))[0]
    assert "昆仑2023" in page_text(site / url / "index.html")
    assert entry("p", normalise("知识")).startswith("~"), "a common pair keeps no positions"
    assert "产权" in entry("p", normalise("知识"))[1:].split(","), "… but names its common extensions"
    assert entry("g", "#" + normalise("知识产权"))[0] in "bd", "… and a common gram has its page list"


def test_relative_links_between_site_paths():
    from generator.render import relative

    assert relative("plan-2023/t-1/", "departments/cnipa/") == "../../departments/cnipa/"
    assert relative("plan-2023/t-1/", "plan-2023/t-1/") == "./"
    assert relative("plan-2023/t-1/", "") == "../../"
    assert relative("", "documents/") == "documents/"
    assert relative("years/2023/", "downloads/items.csv") == "../../downloads/items.csv"
    assert relative("plan-2023/", "plan-2023/t-1/#t-1") == "t-1/#t-1"
