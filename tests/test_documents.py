"""The documents as published: structure and counts read from the built site's CSV and HTML."""
from __future__ import annotations

import re
from collections import Counter

import yaml

from conftest import DATA, page_text, read_csv, squeeze


def _items(site, document):
    return [r for r in read_csv(site / "downloads" / "items.csv") if r["document"] == document]


def test_plan_2021_structure(site):
    rows = _items(site, "plan-2021")
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["chapter"] == 8 and kinds["section"] == 21
    measures = [r for r in rows if r["kind"] == "measure"]
    assert len(measures) == 39 and all(r["departments"] for r in measures)
    assert sum(r["lead"] == "国家知识产权局" for r in measures) == 15
    columns = [r for r in rows if r["kind"] == "column"]
    assert [r["number"] for r in columns] == [str(n) for n in range(1, 16)]
    assert all(r["title"].endswith("工程") for r in columns)
    # Every bracket that names a lead (X牵头) gives that lead; brackets without 牵头 give none.
    for row in measures:
        bracket = re.findall(r"（([^（）]*负责)）", row["text"])[-1]
        lead = re.match(r"([^，、]+)牵头", bracket)
        assert row["lead"] == (lead.group(1) if lead else ""), row["url"]


def test_plan_2021_indicators(site):
    rows = read_csv(site / "downloads" / "indicators.csv")
    assert list(rows[0])[:11] == ["document", "number", "name", "unit", "baseline_year", "baseline", "target_year",
                                  "target", "increase", "attribute", "note"]  # columns are only added at the end
    plan = [r for r in rows if r["document"] == "plan-2021"]
    assert [r["number"] for r in plan] == [str(n) for n in range(1, 9)]
    first = plan[0]
    assert (first["name"], first["unit"], first["baseline"], first["target"], first["increase"]) == \
        ("每万人口高价值发明专利拥有量", "件", "6.3", "12", "5.7")
    assert all(r["attribute"] == "预期性" and r["target_year"] == "2025" for r in plan)
    # The extraction prints each row's values; the published table carries them unchanged.
    extraction = (DATA / "sources" / "001_d5531de2e55282a2.txt").read_text(encoding="utf-8")
    for row in plan:
        line = next(l for l in extraction.splitlines() if re.search(rf"\b{row['number']}\.\s", l) and "预期性" in l)
        for value in (row["baseline"], row["target"], row["increase"]):
            assert value in line, (row["number"], value)


def test_corrections_are_shown_where_they_apply(site):
    document = yaml.safe_load((DATA / "documents" / "plan-2021.yml").read_text(encoding="utf-8"))
    shown = 0

    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node.get("children") or [])

    parents = {child["id"]: node["id"] for node in walk(document["sections"]) for child in node.get("children") or []}
    for node in walk(document["sections"]):
        if not node.get("notes"):
            continue
        # Indicators are rows of their section's table: their notes stand on that page.
        page = parents[node["id"]] if node["kind"] == "indicator" else node["id"]
        text = squeeze(page_text(site / "plan-2021" / page / "index.html"))
        assert "校注" in text
        for note in node["notes"]:
            assert squeeze(note["public"]) in text, (node["id"], note["public"][:20])
            assert squeeze(note["reason"]) not in text, (node["id"], "the technical trail stays in the data")
            shown += 1
    assert shown > 10
    front = squeeze(page_text(site / "plan-2021" / "index.html"))
    for note in document.get("notes") or []:
        assert squeeze(note["public"]) in front


def test_gaps_are_marked_not_filled(site):
    page = (site / "plan-2021" / "col-2" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="ipp-gap"') >= 2
    rows = {r["url"]: r for r in _items(site, "plan-2021")}
    assert "［原文缺损］" in rows["plan-2021/col-2/"]["text"]


def test_task_list_2021(site):
    rows = _items(site, "tasks-2021")
    tasks = [r for r in rows if r["kind"] == "task"]
    assert [r["number"] for r in tasks] == [str(n) for n in range(1, 23)]
    assert sum(r["kind"] == "chapter" for r in rows) == 8
    assert {r["deadline"] for r in tasks} == {"年底前完成", "年内有阶段性成果"}
    assert all(r["title"] and r["departments"] and not r["lead"] for r in tasks)
    first = tasks[0]
    assert first["departments"].split("；") == ["办公室", "条法司", "联席会议办公室", "战略规划司", "保护司", "运用促进司",
                                                "公共服务司", "国际合作司", "人事司", "专利局审业部", "专利局自动化部", "商标局"]
    # Measures for CNIPA and for the regions stay apart on the page.
    page = (site / "tasks-2021" / "t-1" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="ipp-measure"') == 3
    assert "落实举措 · " in page_text(site / "tasks-2021" / "t-1" / "index.html")


def test_opinions_2015_is_an_excerpt_with_cited_metadata(site):
    rows = _items(site, "opinions-2015")
    assert sum(r["kind"] == "chapter" for r in rows) == 7
    assert sum(r["kind"] == "section" for r in rows) > 20
    text = page_text(site / "opinions-2015" / "index.html")
    assert "摘录" in text
    document = yaml.safe_load((DATA / "documents" / "opinions-2015.yml").read_text(encoding="utf-8"))
    cited = {c["field"] for c in document.get("metadata_sources") or []}
    for field in ("number", "date"):
        assert not document[field] or field in cited, f"{field} is filled without a cited source"
