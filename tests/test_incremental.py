"""Incremental builds (generator/incremental.py): after an edit, the site is byte-identical to a full build.

The builds run as `make site` runs them, on a scratch copy of the data; a full build of the same
data (IPP_FULL_BUILD=1) into another folder is the reference. A second test shows, page by page,
that every page reading an item's wording is one the incremental build makes again when that
item changes (the rule is not trusted: each read is traced).
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_build
from generator import incremental
from generator.model import Node
from generator.pipeline import load_corpus
from generator.render import Renderer


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(site: Path, data: Path, **environment) -> str:
    """A build; the number of pages it reports is the number of HTML files in the site."""
    result = run_build(site, data, **environment)
    assert result.returncode == 0, result.stderr
    assert f", {sum(1 for _ in site.rglob('*.html'))} pages in " in result.stdout, result.stdout
    return result.stdout


def assert_same_as_full_build(site: Path, data: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference" / "site"
    assert "full build: IPP_FULL_BUILD is set" in build(reference, data, IPP_FULL_BUILD="1")
    mine, theirs = digest(site), digest(reference)
    assert mine.keys() == theirs.keys(), sorted(mine.keys() ^ theirs.keys())[:10]
    assert [path for path in mine if mine[path] != theirs[path]] == []


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def built(data_copy, tmp_path):
    """A full build of a copy of the data, to be edited."""
    site = tmp_path / "site"
    assert "full build: no record of a previous build" in build(site, data_copy)
    return site, data_copy


def test_nothing_changed_keeps_every_page(built, tmp_path):
    site, data = built
    before = digest(site)
    output = build(site, data)
    assert "incremental: 0 item(s) changed" in output
    assert digest(site) == before


def test_each_build_links_its_site_for_the_next_in_the_background(built, tmp_path):
    """After a build, a process of its own links the new site's files (the next build keeps most of
    them); what another site or an unfinished process left is removed; nothing is left beside the site."""
    site, data = built

    def trees() -> list[Path]:
        return sorted(incremental.cache_folder(site).glob("link*-*"))

    def current() -> Path:
        record = incremental.load_record(site)
        [tree] = trees()
        assert tree.name == incremental.prelinked_name(record.site)
        page = tree / "plan-2023" / "t-3" / "index.html"
        assert page.stat().st_ino == (site / "plan-2023" / "t-3" / "index.html").stat().st_ino
        return tree

    first = current()
    (incremental.cache_folder(site) / "linking-1").mkdir()  # a process killed while it linked
    shutil.copytree(first, incremental.cache_folder(site) / "linked-0", copy_function=os.link)  # another site's
    output = build(site, data)
    assert "incremental: 0 item(s) changed" in output
    assert current() != first
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site")) == [".site.cache", ".site.lock"]
    assert "full build" in build(site, data, IPP_FULL_BUILD="1")  # its links unused, and removed
    current()
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site")) == [".site.cache", ".site.lock"]
    assert_same_as_full_build(site, data, tmp_path)


def test_a_tree_of_links_that_lacks_files_is_never_published(built, tmp_path):
    """Should the links made for this build lack a file (cut short somehow), the build stops, the site
    stays as it was, and the next build links the files itself."""
    site, data = built
    before = digest(site)
    [tree] = incremental.cache_folder(site).glob("linked-*")
    (tree / "plan-2023" / "t-3" / "index.html").unlink()
    result = run_build(site, data)
    assert result.returncode != 0 and "were not there to be kept, such as plan-2023/t-3/index.html" in result.stderr
    assert digest(site) == before
    assert "incremental: 0 item(s) changed" in build(site, data)
    assert digest(site) == before


def test_a_note_edited_on_a_column_and_on_an_indicator_row(built, tmp_path):
    """Notes are wording of the site's own: on a 专栏 (a page of its own, linked from its section and
    from tasks), then on an indicator row (shown on its section's page)."""
    site, data = built
    plan = data / "documents" / "plan-2021.yml"
    replace_once(plan, "是本站编者根据内容所作的判断（该节有“加强地理标志、商业秘密等领域立法",
                 "是本站编者按内容所作的判断（该节有“加强地理标志、商业秘密等领域立法")
    assert "incremental: 1 item(s) changed" in build(site, data)
    replace_once(plan, "原表在指标名称后印有表注记号“①”；本站把表注排在表下的注释中",
                 "原表在指标名称后印有表注记号“①”。本站把表注排在表下的注释中")
    assert "incremental: 1 item(s) changed" in build(site, data)
    assert_same_as_full_build(site, data, tmp_path)


def test_a_corrected_word_changes_pages_listings_and_search(built, tmp_path):
    """An editor corrects a word of a task (with the correction note the data requires): the task's
    page, its section, its neighbours, the lists and the search index change, the rest stays."""
    site, data = built
    plan = data / "documents" / "plan-2023.yml"
    raw = yaml.safe_load(plan.read_text(encoding="utf-8"))
    task = raw["sections"][0]["children"][0]["children"][1]
    assert task["id"] == "t-2" and "推动出台" in task["text"]
    replace_once(plan, "推动出台《民间文学艺术作品著作权保护条例》。（中央宣传部负责）",
                 "推动制定《民间文学艺术作品著作权保护条例》。（中央宣传部负责）\n"
                 "      notes:\n      - type: correction\n        reads: 推动出台《民间\n        published: 推动制定《民间\n"
                 "        reason: 测试用校正。\n        public: 测试用校正。")
    check = run_build(tmp_path / "probe" / "site", data)
    if check.returncode != 0:
        pytest.skip(f"the data refuses this correction: {check.stderr[:300]}")
    output = build(site, data)
    assert "incremental: 1 item(s) changed" in output, output
    assert "推动制定" in (site / "plan-2023" / "t-2" / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(site, data, tmp_path)


def test_structure_changes_and_a_foreign_site_fall_back_to_a_full_build(built, tmp_path):
    site, data = built
    plan = data / "documents" / "plan-2023.yml"
    # t-5 now implements another measure: links change on both sides (a full build)
    replace_once(plan, "惠益分享管理条例（草案）》。（生态环境部负责）\n      lead: 生态环境部\n      implements: [plan-2021/m-4-2]\n",
                 "惠益分享管理条例（草案）》。（生态环境部负责）\n      lead: 生态环境部\n      implements: [plan-2021/m-4-1]\n")
    assert "full build: items were added, removed, moved or relinked" in build(site, data)
    assert_same_as_full_build(site, data, tmp_path)
    (data / "topics.yml").write_text((data / "topics.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "full build: code, theme, pages, settings or data other than the documents changed" in build(site, data)
    # The site folder was replaced since (by hand, another tool): its pages are not the record's.
    other = tmp_path / "other" / "site"
    build(other, data)
    os.rename(site, tmp_path / "gone")
    os.rename(other, site)
    assert "full build: the site folder is not the one the last build wrote" in build(site, data)
    assert_same_as_full_build(site, data, tmp_path)


# -- every read of an item's wording is covered by the rule ------------------------------------------

# Node fields that place an item or link it: a change there changes the structure key (a full build).
PLACING = {"document", "id", "kind", "children", "parent", "roles", "implements", "implemented_by", "belongs_to",
           "placed_here", "topics", "implements_refs", "belongs_to_ref", "lead", "participants", "origin"}


def _group(page) -> str:
    """The page's group, or "" for a page every build makes again (the top level, pages of no group)."""
    return page.group if page.group and page.url.count("/") > 1 else ""


def test_every_page_that_reads_an_items_wording_is_made_again_when_it_changes(tmp_path):
    corpus = load_corpus()
    current: list[str] = [""]
    reads: set[tuple[str, int]] = set()
    wording = {f.name for f in Node.__dataclass_fields__.values()} - PLACING

    def traced(node, name):
        if name in wording:
            reads.add((current[0], id(node)))
        return object.__getattribute__(node, name)

    renderer = Renderer(corpus, lazy=True)
    listings: dict[str, list] = {}
    make_listing = renderer.listing_pages

    def recorded_listing(template, url, groups, *args, **kwargs):  # the items an incremental build judges it by
        shows = kwargs.get("shows")
        listings[url] = list(shows) if shows is not None else list(incremental.listed_nodes(groups))
        return make_listing(template, url, groups, *args, **kwargs)

    renderer.listing_pages = recorded_listing
    pages = []
    Node.__getattribute__ = traced
    try:
        makers = [renderer.document_pages(d) for d in corpus.documents]
        makers += [renderer.department_pages(), renderer.year_pages(), renderer.topic_pages(), renderer.coverage_pages()]
        for maker in makers:  # what is read while a page is planned belongs to that page
            current[0] = "(planning)"
            for page in maker:
                moved = {(g, n) for g, n in reads if g == "(planning)"}
                reads.difference_update(moved)
                reads.update((_group(page), n) for _, n in moved)
                pages.append(page)
        for page in pages:
            current[0] = _group(page)
            page.body()
            page.head  # noqa: B018 (made when asked)
            if page.files:
                page.files()
    finally:
        del Node.__getattribute__
    nodes = {id(n): n for n in corpus.nodes}
    by_group: dict[str, set[str]] = {}
    for group, node in reads:
        if group:  # "" is a page made again by every build
            by_group.setdefault(group, set()).add(nodes[node].ref)
    assert len(by_group) > 300
    # The plan an incremental build would make if only this item had changed, from a record of this site.
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("")
    groups = {page.group: [page.url] for page in pages if _group(page)}
    items = {n.ref: "same" for n in corpus.nodes}
    missed = []
    for ref in sorted({r for refs in by_group.values() for r in refs}):
        record = incremental.Record(incremental.VERSION, incremental.site_identity(site), "environment", "structure",
                                    {**items, ref: "before"}, groups)
        plan, why = incremental.plan(site, record, incremental.Keys("environment", "structure", items), corpus)
        assert why == "1 item(s) changed"
        remade = {group for group in groups if group.startswith("item:") and group not in plan.kept}
        remade |= {f"list:{url}" for url, shown in listings.items() if not incremental.listing_unchanged(plan, url, shown)}
        missed += [(group, ref) for group, refs in by_group.items() if ref in refs and group not in remade]
    assert missed == []


def test_a_site_changed_by_hand_is_built_again_in_full(built, tmp_path):
    """A page folder deleted by hand: the last build linked the site's files for this one, so the page
    comes back as it was; without those links, the current site's files cannot all be linked, and the
    build is full. Both sites are the full build's."""
    site, data = built

    def delete_by_hand():
        for path in (site / "plan-2023" / "t-3").iterdir():
            path.unlink()
        (site / "plan-2023" / "t-3").rmdir()

    delete_by_hand()
    assert "incremental: 0 item(s) changed" in build(site, data)
    assert_same_as_full_build(site, data, tmp_path)
    delete_by_hand()
    for tree in incremental.cache_folder(site).glob("linked-*"):
        shutil.rmtree(tree)
    output = build(site, data)
    assert "full build: the current site's files could not be linked" in output, output
    assert_same_as_full_build(site, data, tmp_path)


def test_validation_with_the_texts_kept_by_the_last_build_still_finds_every_problem(built):
    """The synonyms check reuses each file's normalised text from the last build (by the file's bytes):
    a term printed nowhere is still reported, and so is one whose only occurrence an edit removed."""
    site, data = built
    synonyms = data / "synonyms.yml"
    original = synonyms.read_text(encoding="utf-8")
    synonyms.write_text(original + "- term: 璇玑玉衡\n  also: [璇玑]\n", encoding="utf-8")
    result = run_build(site, data)
    assert result.returncode == 1 and "term '璇玑玉衡' is printed in no document" in result.stderr, result.stderr
    synonyms.write_text(original, encoding="utf-8")
    build(site, data)
    term = "民间文学艺术作品"
    plan = data / "documents" / "plan-2023.yml"
    assert sum(p.read_text(encoding="utf-8").count(term) for p in (data / "documents").glob("*.yml")) == 1
    synonyms.write_text(original + f"- term: {term}\n  also: [民间文艺作品]\n", encoding="utf-8")
    build(site, data)
    replace_once(plan, "推动出台《民间文学艺术作品著作权保护条例》。（中央宣传部负责）",
                 "推动出台《民间文艺作品著作权保护条例》。（中央宣传部负责）\n      notes:\n      - type: correction\n"
                 "        reads: 民间文学艺术\n        published: 民间文艺\n        reason: 测试。\n        public: 测试。")
    result = run_build(site, data)
    assert result.returncode == 1 and f"term '{term}' is printed in no document" in result.stderr, result.stderr
