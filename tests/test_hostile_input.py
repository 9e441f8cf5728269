"""Everything from YAML is text: markup, template syntax and Markdown appear exactly as typed."""
from __future__ import annotations

import hashlib
import html
import shutil
from pathlib import Path

import markupsafe
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import DATA, page_text, read_csv, run_build
from generator.index import build_corpus
from generator.load import load_data
from generator.render import Renderer

HOSTILE = [
    "<script>alert(1)</script>",
    "{{ config.site_name }}",
    "{% raw %}",
    "**粗体**",
    "| 列 | 列 |",
    "# 标题",
    "<img src=x onerror=alert(2)>",
    "[链接](https://example.org)",
    "&amp; &lt;",
]
EVIL = "".join(HOSTILE)


def hostile_data(target: Path) -> Path:
    """A tiny corpus whose every text field is hostile."""
    (target / "documents").mkdir(parents=True)
    shutil.copytree(DATA / "schema", target / "schema")
    departments = [
        {"id": "evil", "name": f"部门{EVIL}", "full_name": f"全称{EVIL}", "english": f"English{EVIL}",
         "category": "generic", "aliases": [f"别名{EVIL}"]},
        {"id": "plain", "name": "国家知识产权局", "full_name": "国家知识产权局", "english": "CNIPA",
         "category": "state-council-agency"},
    ]
    (target / "departments.yml").write_text(yaml.safe_dump(departments, allow_unicode=True), encoding="utf-8")
    document = {
        "id": "evil-doc", "title": f"标题{EVIL}", "short_title": f"简称{EVIL}", "kind": "implementation-plan",
        "issuer": f"机关{EVIL}", "number": f"文号{EVIL}", "date": "", "year": 2023, "source": "none",
        "notes": [{"type": "editorial", "reason": f"说明{EVIL}", "public": f"公开说明{EVIL}"}],
        "preamble": f"序言{EVIL}", "closing": f"结语{EVIL}",
        "sections": [{
            "id": "p-1", "kind": "chapter", "number": "一", "title": f"部分{EVIL}",
            "children": [
                {"id": "t-1", "kind": "task", "number": "1", "text": f"任务{EVIL}（别名{EVIL}、国家知识产权局负责）",
                 "lead": f"别名{EVIL}", "participants": ["国家知识产权局"], "deadline": f"期限{EVIL}",
                 "notes": [{"type": "correction", "reads": f"原作{EVIL}", "published": "负责", "reason": f"理由{EVIL}",
                            "public": f"公开理由{EVIL}"}]},
                {"id": "t-2", "kind": "task", "number": "2", "title": f"题{EVIL}", "text": "举措",
                 "measures": [{"addressee": "国家知识产权局", "text": f"国家知识产权局：{EVIL}"}],
                 "responsibility": f"部门{EVIL}", "participants": [f"部门{EVIL}"]},
                {"id": "s-1", "kind": "section", "number": "一", "title": "指标",
                 "children": [{"id": "i-1", "kind": "indicator", "number": "1", "title": f"指标{EVIL}",
                               "indicator": {"unit": f"单位{EVIL}", "baseline_year": "2020", "baseline": "1",
                                             "target_year": "2025", "target": "2", "increase": "1",
                                             "attribute": f"属性{EVIL}", "note": f"注{EVIL}"}}]},
            ],
        }],
    }
    (target / "documents" / "evil-doc.yml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    topics = [{"id": "evil", "name": f"专题{EVIL}", "description": f"描述{EVIL}", "keywords": ["任务"]}]
    (target / "topics.yml").write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    licence = {"id": "CC-BY-4.0", "name": f"许可{EVIL}", "url": "https://example.org/licence", "covers": f"范围{EVIL}"}
    publication = {"repository": "https://example.org/evil", "licences": {"data": licence, "site": dict(licence)},
                   "official_texts": f"原文{EVIL}"}
    (target / "publication.yml").write_text(yaml.safe_dump(publication, allow_unicode=True), encoding="utf-8")
    (target / "synonyms.yml").write_text("[]\n", encoding="utf-8")  # no search synonyms
    return target


def test_hostile_text_appears_verbatim(tmp_path):
    data = hostile_data(tmp_path / "data")
    site = tmp_path / "site"
    result = run_build(site, data)
    assert result.returncode == 0, result.stderr
    pages = {
        "evil-doc/index.html": ["标题", "机关", "文号", "序言", "结语", "公开说明"],
        "evil-doc/p-1/index.html": ["部分", "任务", "题", "国家知识产权局：", "期限"],
        "evil-doc/t-1/index.html": ["任务", "部门", "期限", "公开理由"],
        "evil-doc/t-2/index.html": ["题", "国家知识产权局："],
        "evil-doc/s-1/index.html": ["指标", "单位", "属性", "注"],
        "departments/evil/index.html": ["部门", "全称", "English", "别名"],
        "topics/evil/index.html": ["专题", "描述"],
    }
    for page, prefixes in pages.items():
        raw = (site / page).read_text(encoding="utf-8")
        text = page_text(site / page)
        for prefix in prefixes:
            assert prefix + EVIL in text, f"{page}: {prefix}… not shown verbatim"
        assert "<script>alert(1)" not in raw and "<img src=x" not in raw, page
    title = (site / "evil-doc/t-1/index.html").read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0]
    assert "<" not in title and html.unescape(title).startswith("1．任务")
    rows = read_csv(site / "downloads" / "items.csv")
    assert any(row["text"] == f"任务{EVIL}（别名{EVIL}、国家知识产权局负责）" for row in rows)
    assert any(row["lead"] == f"部门{EVIL}" for row in rows)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_rendering_escapes_any_text(text):
    """Property: whatever an editor types, the page holds it escaped, never as markup."""
    assume(text.strip())  # a blank paragraph is not printed at all
    corpus = _corpus_with_task_text(text)
    node = corpus.nodes_by_ref["plan-2023/t-1"]
    renderer = Renderer(corpus)
    page = renderer.page("node.html", node.url, node.heading, node=node, document=node.document,
                         trail=[], previous=None, next=None, indicator_chart="",
                         citation=renderer.citation(node.document, node), csl_path="citations/x.json")
    for piece in text.split("⟦gap⟧"):  # a gap mark is the one thing shown differently
        assert str(markupsafe.escape(piece)) in page.html


_RAW = None


def _corpus_with_task_text(text: str):
    global _RAW
    if _RAW is None:
        _RAW = load_data(DATA)
    task = _RAW.documents[[d["id"] for d in _RAW.documents].index("plan-2023")]["sections"][0]["children"][0]["children"][0]
    original = task["text"]
    task["text"] = text.replace("\n", " ")
    try:
        return build_corpus(_RAW)
    finally:
        task["text"] = original


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_broken_yaml_leaves_previous_site_byte_for_byte(data_copy, tmp_path):
    site = tmp_path / "site"
    assert run_build(site, data_copy).returncode == 0
    before = _digest(site)
    plan = data_copy / "documents" / "plan-2023.yml"
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    broken_line = next(i for i, l in enumerate(lines) if l.strip().startswith("title:")) + 1
    lines[broken_line - 1] = lines[broken_line - 1].replace("title:", "title: [", 1)
    plan.write_text("".join(lines), encoding="utf-8")
    result = run_build(site, data_copy)
    assert result.returncode != 0
    assert "data/documents/plan-2023.yml:" in result.stderr and "YAML syntax error" in result.stderr
    assert _digest(site) == before
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site.")) == [".site.cache", ".site.lock"]
