"""Year over year: two synthetic years derived from the 2023 plan (tasks edited, added, removed)."""
from __future__ import annotations

import copy
import html
import re

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from conftest import DATA, run_build
from generator.compare import word_diff
from generator.importer_yaml import dump_document

BASE = yaml.safe_load((DATA / "documents" / "plan-2023.yml").read_text(encoding="utf-8"))


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.get("children", []))


def derive(base: dict, year: int, edits: dict, removed: set, added: list[str]):
    """A later year's plan: `edits` (old task id → (old phrase, new phrase)), `removed` old task ids,
    `added` new task texts (appended to the last group). Returns the document and old id → new id."""
    document = copy.deepcopy(base)
    document.update(id=f"plan-{year}", year=year, short_title=f"{year}年推进计划",
                    title=document["title"].replace(str(base["year"]), str(year), 1))
    for node in walk(document["sections"]):
        node.pop("implements", None)
        if node["id"] in edits:
            before, after = edits[node["id"]]
            assert before in node["text"]
            node["text"] = node["text"].replace(before, after, 1)
        node["children"] = [c for c in node.get("children", []) if c["id"] not in removed]
        if not node["children"]:
            del node["children"]
    last_group = [n for n in walk(document["sections"]) if n["kind"] in ("chapter", "section")][-1]
    last_group.setdefault("children", []).extend(
        {"id": f"new-{i}", "kind": "task", "number": "0", "text": text, "lead": "国家知识产权局"} for i, text in enumerate(added))
    renamed = {}
    tasks = [n for n in walk(document["sections"]) if n["kind"] == "task"]
    for number, task in enumerate(tasks, 1):
        renamed[task["id"]] = f"t-{number}"
        task["id"], task["number"] = f"t-{number}", str(number)
    return document, renamed


NEW_TASKS = ["建立数据知识产权登记制度，开展<b>数据</b>知识产权保护试点。（国家知识产权局负责）",
             "编制人工智能生成内容著作权登记指引。（国家知识产权局负责）"]


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    root = tmp_path_factory.mktemp("years")
    data = root / "data"
    import shutil
    shutil.copytree(DATA, data)
    tasks = {n["id"]: n for n in walk(BASE["sections"]) if n["kind"] == "task"}
    edits_2024 = {"t-1": ("推动完成", "全面完成"), "t-20": ("。（", "，并开展实施效果评估。（")}
    removed_2024 = {"t-3", "t-50", "t-139"}
    plan_2024, renamed_2024 = derive(BASE, 2024, edits_2024, removed_2024, NEW_TASKS[:1])
    edits_2025 = {renamed_2024["t-5"]: ("推进修改", "推动出台")}
    removed_2025 = {renamed_2024["t-7"]}
    plan_2025, renamed_2025 = derive(plan_2024, 2025, edits_2025, removed_2025, NEW_TASKS[1:])
    for document in (plan_2024, plan_2025):
        (data / "documents" / f"{document['id']}.yml").write_text(dump_document(document), encoding="utf-8")
    site = root / "site"
    result = run_build(site, data)
    assert result.returncode == 0, result.stderr
    return {"site": site, "tasks": tasks, 2024: (plan_2024, renamed_2024, edits_2024, removed_2024, NEW_TASKS[:1]),
            2025: (plan_2025, renamed_2025, edits_2025, removed_2025, NEW_TASKS[1:])}


def sections(page: str) -> dict:
    """The article's parts by their heading id."""
    parts = re.split(r'<h2 id="(continued|added|dropped)">', page)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def hrefs(fragment: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', fragment)


def plain(fragment: str) -> str:
    fragment = re.sub(r'<span class="ipp-sr-only">.*?</span>', "", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.mark.parametrize("year, previous", [(2024, 2023), (2025, 2024)])
def test_comparison_page_against_the_previous_year(years, year, previous):
    document, renamed, edits, removed, added = years[year]
    page = (years["site"] / "compare" / f"plan-{year}" / "index.html").read_text(encoding="utf-8")
    article = page[page.index('<article class="ipp-page ipp-compare">'):page.index("</article>")]
    assert f"{year}年推进计划与{previous}年推进计划对照" in page
    parts = sections(article)
    # Continued: every surviving task, paired with the one it came from.
    expected = {f"plan-{year}/{new}/": f"plan-{previous}/{old}/" for old, new in renamed.items() if not old.startswith("new-")}
    items = re.findall(r"<li>(.*?)</li>", parts["continued"], flags=re.S)
    pairs = {}
    for item in items:
        new_link, old_link = hrefs(item)[:2]
        pairs[new_link.replace("../", "", 2)] = old_link.replace("../", "", 2)
        old_id = old_link.rstrip("/").rsplit("/", 1)[1]
        before = next(n for n in walk((BASE if previous == 2023 else years[2024][0])["sections"]) if n["id"] == old_id)
        after = next(n for n in walk(document["sections"]) if n["id"] == new_link.rstrip("/").rsplit("/", 1)[1])
        if old_id in edits:
            diff = re.search(r'<p class="ipp-diff">(.*?)</p>', item, flags=re.S)[1]
            assert "<del>" in diff or "<ins>" in diff
            assert plain(re.sub(r"<ins>.*?</ins>", "", diff, flags=re.S)) == before["text"]
            assert plain(re.sub(r"<del>.*?</del>", "", diff, flags=re.S)) == after["text"]
        else:
            assert "ipp-diff" not in item and before["text"] == after["text"]
    assert pairs == expected
    # New and dropped, by their links.
    new_ids = {renamed[f"new-{i}"] for i in range(len(added))}
    assert {h.rstrip("/").rsplit("/", 1)[1] for h in hrefs(parts["added"])} == new_ids
    assert {h.rstrip("/").rsplit("/", 1)[1] for h in hrefs(parts["dropped"])} == set(removed)
    assert all(f"plan-{previous}/" in h for h in hrefs(parts["dropped"]))
    # Site conventions: escaped text, relative links; reached from the document page, not the menu.
    assert all(not h.startswith(("/", "http")) for h in hrefs(article))
    if year == 2024:
        assert "&lt;b&gt;数据&lt;/b&gt;" in article and "<b>数据" not in article
    document_page = (years["site"] / f"plan-{year}" / "index.html").read_text(encoding="utf-8")
    assert f'href="../compare/plan-{year}/"' in document_page
    home = (years["site"] / "index.html").read_text(encoding="utf-8")
    assert "compare/" not in home


def test_no_comparison_without_an_earlier_document_of_the_same_kind(years):
    assert not (years["site"] / "compare" / "plan-2023").exists()
    assert not (years["site"] / "compare" / "tasks-2021").exists()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="推进修改知识产权保护条例，。（）123ab", max_size=40),
       st.text(alphabet="推进修改知识产权保护条例，。（）123ab", max_size=40))
def test_word_diff_keeps_both_texts(old, new):
    diff = word_diff(old, new)
    assert "".join(t for k, t in diff if k != "added") == old
    assert "".join(t for k, t in diff if k != "removed") == new
