"""The department registry: aliases, hierarchy, successors, pages and counts."""
from __future__ import annotations

import html
import re

from collections import Counter

import yaml

from conftest import DATA, page_text, read_csv


def _registry():
    return yaml.safe_load((DATA / "departments.yml").read_text(encoding="utf-8"))


def test_aliases_resolve_to_one_canonical_entry(site):
    departments = {d["name"]: d for d in read_csv(site / "downloads" / "departments.csv")}
    # The public contract: columns are only ever added at the end.
    assert list(next(iter(departments.values())))[:10] == ["name", "full_name", "english", "category", "aliases",
                                                           "parent", "successor", "lead_count", "named_count", "url"]
    for alias, canonical in [("中科院", "中国科学院"), ("人民银行", "中国人民银行"), ("证监会", "中国证监会"),
                             ("国际发展合作署", "国家国际发展合作署")]:
        assert alias in departments[canonical]["aliases"].split("；")
        assert alias not in departments, f"{alias} must not be an entry of its own"
    # Items keep the printed name visible while filing under the canonical one.
    rows = read_csv(site / "downloads" / "items.csv")
    printed_cas = [r for r in rows if "中科院" in r["text"] and r["document"] == "plan-2021"]
    assert printed_cas and all("中国科学院" in r["departments"].split("；") for r in printed_cas)


def test_hierarchy_and_successor(site):
    departments = {d["name"]: d for d in read_csv(site / "downloads" / "departments.csv")}
    assert departments["条法司"]["parent"] == "国家知识产权局"
    assert departments["专利局审业部"]["parent"] == departments["专利局自动化部"]["parent"]
    patent_office = departments["专利局审业部"]["parent"]
    assert departments[patent_office]["parent"] == "国家知识产权局"
    assert departments["专利局审业部"]["full_name"] == "专利局审查业务管理部"
    assert departments["银保监会"]["successor"] == "金融监管总局"
    # Linked both ways on the pages, each keeping its own items.
    old = page_text(site / departments["银保监会"]["url"] / "index.html")
    new = page_text(site / departments["金融监管总局"]["url"] / "index.html")
    assert "后继机构" in old and "金融监管总局" in old
    assert "前身" in new and "银保监会" in new
    assert int(departments["银保监会"]["named_count"]) > 0 and int(departments["金融监管总局"]["named_count"]) > 0


def test_every_named_department_has_a_page_linking_its_items(site):
    rows = read_csv(site / "downloads" / "items.csv")
    departments = {d["name"]: d for d in read_csv(site / "downloads" / "departments.csv")}
    named = Counter()
    led = Counter()
    pages = {}
    for row in rows:
        names = [n for n in row["departments"].split("；") if n]
        for name in set(names):
            named[name] += 1
            if name not in pages:
                pages[name] = (site / departments[name]["url"] / "index.html").read_text(encoding="utf-8")
            page_url = row["url"].split("#")[0]
            assert f'{page_url.rstrip("/").split("/")[-1]}/"' in pages[name], (name, row["url"])
        if row["lead"]:
            led[row["lead"]] += 1
    for name, department in departments.items():
        assert int(department["named_count"]) == named[name], name
        assert int(department["lead_count"]) == led[name], name


def test_registry_names_are_unique_and_no_alias_is_an_entry():
    names = Counter()
    for entry in _registry():
        for name in [entry["name"], *(entry.get("aliases") or [])]:
            names[name] += 1
    assert [n for n, c in names.items() if c > 1] == []


def test_department_index_groups_by_category_and_has_a_chart(site):
    page = (site / "departments" / "index.html").read_text(encoding="utf-8")
    chart = page.split('<ul class="ipp-bars">', 1)[1].split("</ul>")[0]
    assert "<script" not in chart
    # Every bar is labelled with its values, and they are the published counts.
    counts = {r["name"]: (r["lead_count"], r["named_count"]) for r in read_csv(site / "downloads" / "departments.csv")}
    bars = re.findall(r'<span class="ipp-bar-label">([^<]*)</span>.*?牵头 (\d+)／涉及 (\d+)<', chart)
    assert len(bars) >= 10
    for name, lead, named in bars:
        assert counts[html.unescape(name)] == (lead, named)
    text = page_text(site / "departments" / "index.html")
    for label in ("国务院组成部门", "司法机关", "国家知识产权局内设机构", "泛指主体"):
        assert label in text
