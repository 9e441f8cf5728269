"""The importer for the standard 推进计划 format, on the real 2023 text and on a small sample."""
from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from conftest import DATA, ROOT, squeeze
from generator.importer import ImportError_, parse_plan

SAMPLE = """
2024 年知识产权强国建设纲要和“十四五”
规划实施推进计划

为贯彻落实……，制定本计划。
一、完善知识产权制度
（一）完善法律法规
1．推进《专利法》配套规章修改。（国家
知识产权局负责）
2．推进修改条例。（中央宣传部、市场监管
总局按职责分工负责）
二、加强组织保障
3．开展年度监测评估。（联席会议办公室负责）
上述各项任务分工中，由多个部门负责的，列第一位的部门为牵头部门，其他为参与部门。
"""


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.get("children", []))


def test_sample_structure_and_departments():
    plan = parse_plan(SAMPLE)
    assert plan["title"] == "2024年知识产权强国建设纲要和“十四五”规划实施推进计划"
    assert plan["preamble"] == "为贯彻落实……，制定本计划。"
    assert plan["closing"].startswith("上述各项任务分工中")
    parts = plan["sections"]
    assert [p["number"] for p in parts] == ["一", "二"]
    assert parts[0]["children"][0]["title"] == "完善法律法规"
    tasks = [n for n in walk(parts) if n["kind"] == "task"]
    assert [t["number"] for t in tasks] == ["1", "2", "3"]
    assert tasks[0]["text"] == "推进《专利法》配套规章修改。（国家知识产权局负责）"
    assert (tasks[1]["lead"], tasks[1]["participants"]) == ("中央宣传部", ["市场监管总局"])
    assert tasks[2]["lead"] == "联席会议办公室" and "participants" not in tasks[2]
    assert parts[1]["children"][0]["id"] == "t-3"  # a part without groups holds its tasks directly


def test_broken_numbering_is_an_error():
    with pytest.raises(ImportError_, match="numbering"):
        parse_plan(SAMPLE.replace("2．推进修改条例", "4．推进修改条例"))


def test_missing_bracket_is_an_error():
    with pytest.raises(ImportError_, match="task 3"):
        parse_plan(SAMPLE.replace("（联席会议办公室负责）", ""))


def test_cli_reproduces_the_published_2023_wording(tmp_path):
    output = tmp_path / "plan.yml"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "import-plan", str(DATA / "sources" / "002_7eb8a8e758457245.txt"),
         "--id", "plan-2023", "--year", "2023", "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "139 tasks" in result.stdout
    imported = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert output.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    published = yaml.safe_load((DATA / "documents" / "plan-2023.yml").read_text(encoding="utf-8"))
    mine = {n["id"]: n for n in walk(imported["sections"])}
    theirs = {n["id"]: n for n in walk(published["sections"])}
    assert mine.keys() == theirs.keys()
    for node_id, node in mine.items():
        for field in ("kind", "number", "title", "text", "lead", "participants"):
            assert node.get(field) == theirs[node_id].get(field), (node_id, field)
    source = squeeze((DATA / "sources" / "002_7eb8a8e758457245.txt").read_text(encoding="utf-8"))
    assert all(squeeze(t["text"]) in source for t in mine.values() if t["kind"] == "task")
