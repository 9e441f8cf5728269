"""Years, cross-references, topics and coverage, computed from the data."""
from __future__ import annotations

import re

import yaml

from conftest import DATA, page_text, read_csv
from generator.pipeline import load_corpus

COLUMN_NAME = re.compile(r"([^，。；、“”《》（）]{2,20}工程)")


def test_backlinks_are_symmetric(site):
    corpus = load_corpus()
    links = 0
    for node in corpus.nodes:
        for target in node.implements:
            links += 1
            assert node in target.implemented_by
            target_page = (site / target.page_url / "index.html").read_text(encoding="utf-8")
            source_page = (site / node.page_url / "index.html").read_text(encoding="utf-8")
            assert f'{node.id}/"' in target_page, (node.ref, target.ref)
            assert f'{target.id}/"' in source_page, (node.ref, target.ref)
    assert links > 50


def test_every_task_naming_a_column_links_to_it():
    corpus = load_corpus()
    columns = {n.title: n for n in corpus.nodes if n.kind == "column" and n.title}
    checked = 0
    for task in (n for n in corpus.nodes if n.kind == "task"):
        wording = task.text + "".join(m["text"] for m in task.measures)
        for name, column in columns.items():
            if "⟦gap⟧" not in name and name in wording:
                checked += 1
                assert column in task.implements, f"{task.ref} names {name} but does not link {column.ref}"
    assert checked >= 5


def test_year_pages(site):
    rows = read_csv(site / "downloads" / "items.csv")
    for year, document in (("2021", "tasks-2021"), ("2023", "plan-2023")):
        page = (site / "years" / year / "index.html").read_text(encoding="utf-8")
        tasks = [r for r in rows if r["document"] == document and r["kind"] == "task"]
        for task in tasks:
            assert f'{task["url"].rstrip("/").split("/")[-1]}/"' in page, (year, task["url"])
        if document == "tasks-2021":
            text = page_text(site / "years" / year / "index.html")
            assert text.count("年底前完成") + text.count("年内有阶段性成果") >= len(tasks)
    text_2023 = page_text(site / "years" / "2023" / "index.html")
    for campaign in ("昆仑2023", "剑网2023", "龙腾行动2023"):
        assert campaign in text_2023
    text_2025 = page_text(site / "years" / "2025" / "index.html")
    indicators = [r for r in read_csv(site / "downloads" / "indicators.csv") if r["target_year"] == "2025"]
    assert len(indicators) == 8 and all(r["name"] in text_2025 for r in indicators)
    assert "到2025年" in text_2025 and "——知识产权保护迈上新台阶" in text_2025
    assert "到2020年" in page_text(site / "years" / "2020" / "index.html")
    assert "2035" in page_text(site / "years" / "2035" / "index.html")
    listed = [int(y) for y in re.findall(r"<strong>(\d{4})年</strong>", (site / "years" / "index.html").read_text(encoding="utf-8"))]
    assert listed == sorted(listed) and {2015, 2020, 2021, 2023, 2025, 2035} <= set(listed)


def test_topics_thread_across_documents_in_time_order(site):
    topics = yaml.safe_load((DATA / "topics.yml").read_text(encoding="utf-8"))
    assert 15 <= len(topics) <= 25
    corpus = load_corpus()
    spanning = 0
    for topic in corpus.topics:
        page = page_text(site / topic.url / "index.html")
        years = [int(y) for y in re.findall(r"(\d{4})年 · ", page)]
        assert years == sorted(years), topic.id
        spanning += len({n.document.id for n in topic.items}) >= 2
        for node in [n for n in topic.items if n.has_page][:3]:
            assert topic.name in page_text(site / node.page_url / "index.html")
    assert spanning >= 12


def test_coverage_page_lists_uncovered_plan_items(site):
    corpus = load_corpus()
    uncovered = [n for n in corpus.nodes if n.document.id == "plan-2021" and n.kind in ("measure", "column")
                 and not n.implemented_by]
    page = (site / "coverage" / "index.html").read_text(encoding="utf-8")
    for node in uncovered:
        assert f'{node.id}/"' in page
    covered = [n for n in corpus.nodes if n.kind in ("measure", "column") and n.implemented_by]
    assert covered and all(f'plan-2021/{n.id}/"' not in page for n in covered)
    # the real corpus's list is short: one page, with each plan's counts
    assert not (site / "coverage" / "2").exists() and "ipp-pages" not in page
    items = [n for n in corpus.nodes if n.document.id == "plan-2021" and n.kind in ("measure", "column")]
    assert f"已有任务落实：{len(items) - len(uncovered)} 项；尚无：{len(uncovered)} 项。" in page
