"""What a reader sees: titles from the items' own words, the footer, the public menu, clean public text."""
from __future__ import annotations

import html
import re
import subprocess
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import yaml

from conftest import DATA, ROOT, page_text, read_csv, squeeze

ELLIPSIS = "…"


def _title(source: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", source, re.S).group(1)).strip()


def _h1(source: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", source, re.S).group(1))).strip()


def test_untitled_items_are_titled_by_their_opening_words(site):
    rows = [r for r in read_csv(site / "downloads" / "items.csv")
            if r["kind"] == "measure" or (r["kind"] == "task" and r["document"] == "plan-2023")]
    untitled = [r for r in rows if r["document"] == "plan-2023"]
    assert len(untitled) == 139
    for row in rows:
        title, text = row["title"], row["text"]
        words = title.removesuffix(ELLIPSIS)
        assert words and text.startswith(words), row["url"]  # the opening words as printed, never a paraphrase
        assert len(words) <= 40, row["url"]
        if not title.endswith(ELLIPSIS) and row["document"] == "plan-2023":
            assert text[len(words)] in "。！？", row["url"]  # a whole first sentence
    # Distinct titles: the table of contents of the 2023 plan lists 139 different lines.
    headings = Counter(f"{r['number']}．{r['title']}" for r in untitled)
    assert max(headings.values()) == 1
    toc = (site / "plan-2023" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<li><a href="t-(\d+)/">([^<]*)</a>', toc)
    assert len(listed) == 139 and len({label for _, label in listed}) == 139
    first = untitled[0]
    assert first["title"] == "推动完成《中华人民共和国专利法实施细则》修改…"  # the issue's own example


def test_item_title_is_used_in_heading_title_breadcrumbs_and_neighbours(site):
    rows = {r["url"]: r for r in read_csv(site / "downloads" / "items.csv")}
    for number in (1, 2, 17, 139):
        row = rows[f"plan-2023/t-{number}/"]
        heading = f"{number}．{row['title']}"
        source = (site / "plan-2023" / f"t-{number}" / "index.html").read_text(encoding="utf-8")
        assert _h1(source) == heading
        assert _title(source).startswith(heading)
        crumb = re.search(r'<span aria-current="page">([^<]*)</span>', source).group(1)
        assert html.unescape(crumb) == heading
        if number > 1:
            previous = rows[f"plan-2023/t-{number - 1}/"]
            prev_link = re.search(r'<a rel="prev"[^>]*>([^<]*)</a>', source).group(1)
            assert html.unescape(prev_link).endswith(f"{number - 1}．{previous['title']}")
    assert "项任务" not in "".join(_h1(p.read_text(encoding="utf-8")) for p in (site / "plan-2023").glob("t-*/index.html"))


def test_editor_pages_are_in_the_footer_not_in_the_menu(site):
    source = (site / "plan-2023" / "t-1" / "index.html").read_text(encoding="utf-8")
    menu = source[source.find('<nav class="md-nav md-nav--primary"'):source.find("</main>")]
    menu = menu[:menu.find('<div class="md-content"')]
    footer = source[source.find('<footer class="md-footer'):]
    for page in ("coverage/", "editing/"):
        assert f'href="../../{page}"' not in menu and f'href="../../{page}"' in footer
    labels = [html.unescape(l).strip() for l in re.findall(r'class="md-ellipsis">\s*([^<]*?)\s*<', menu)]
    assert "落实覆盖" not in labels and "编辑指南" not in labels
    assert labels.count("文件") <= 1, labels  # no "文件 › 文件"


def _git_date() -> str:
    return subprocess.run(["git", "log", "-1", "--format=%cs", "--", "data"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()


def test_every_page_has_a_footer_with_date_licences_repository_and_feedback(site):
    publication = yaml.safe_load((DATA / "publication.yml").read_text(encoding="utf-8"))
    date = _git_date()
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        source = page.read_text(encoding="utf-8")
        footer = source[source.find('<footer class="md-footer ipp-footer">'):]
        assert footer, page
        if date:
            assert f'<time datetime="{date}">' in footer, page
        for licence in publication["licences"].values():
            assert f'href="{licence["url"]}" rel="license"' in footer, page
        assert f'href="{publication["repository"]}"' in footer, page
        feedback = html.unescape(re.search(r'<a href="([^"]*)">纠错', footer).group(1))
        parts = urlsplit(feedback)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == publication["repository"] + "/issues/new"
        query = parse_qs(parts.query)
        if page.name == "index.html" and page.parent != site:
            path = page.parent.relative_to(site).as_posix() + "/"
            assert path in query["body"][0], page
            assert query["title"][0].startswith("纠错："), page
            assert squeeze(_title(source)).startswith(squeeze(query["title"][0][3:])), page


EDITOR_PAGES = ("editing/", "coverage/", "data/")  # the editors' guide, the coverage list, the data dictionary


def _schema_fields() -> set[str]:
    """Every field name the data uses, read from the schemas editors write against."""
    import json

    names: set[str] = set()

    def collect(value):
        if isinstance(value, dict):
            names.update(value.get("properties", {}))
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for schema in (DATA / "schema").glob("*.json"):
        collect(json.loads(schema.read_text(encoding="utf-8")))
    return {n for n in names if len(n) > 3 and n not in {"name", "file", "text", "date", "title", "kind", "number"}}


def test_public_pages_have_no_internal_markers_or_doubled_punctuation(site):
    fields = _schema_fields()
    assert {"baseline_year", "belongs_to", "participants", "reason"} <= fields
    field_word = re.compile(r"(?<![A-Za-z_])(" + "|".join(sorted(map(re.escape, fields))) + r")(?![A-Za-z_])")
    sources = {p.stem for p in (DATA / "sources").glob("*.txt")}
    problems = []
    for page in sorted(site.rglob("index.html")):
        url = page.parent.relative_to(site).as_posix() + "/"
        if url.startswith(EDITOR_PAGES):
            continue
        text = page_text(page)
        # (the policy text itself says 名单抽取: the markers are the editors' phrases around the word)
        for marker in ("⟦gap⟧", "。。", "（（", "））", "抽取文本", "在抽取中", "次抽取", "PDF", "字段", "data/sources", *sources):
            if marker in text:
                problems.append((url, marker))
        problems += [(url, m) for m in set(field_word.findall(text))]
    assert problems == []
