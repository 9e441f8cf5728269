"""The importer for the 推进计划 format: synthetic texts in every encoding and bracket form, bad input,
overwriting, unknown departments, provenance, and the real 2023 text against the published file."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import jsonschema
import pytest
import yaml

from conftest import DATA, ROOT, run_check
from generator.fidelity import invented_paragraphs, load_rules, missing_lines
from generator.importer import parse_plan, split_duty
from generator.text import printed_number

SAMPLE = """2024 年知识产权强国建设纲要和“十四五”
规划实施推进计划

为贯彻落实……，制定本
计划。
一、完善知识产权制度
（一）完善法律法规
1．推进《专利法》配套规章修改。（国家
知识产权局负责）
2．推进修改条例，全年审结案件
3.5万件，力争
10．5%增长。（中央宣传部、市场监管
总局负责）
（二）加强保护
3．开展专项行动。（公安部、最高人民检察院按职责分工负责）
4．开展执法。（国家知识产权局牵头，中央宣传部、市场监管总局等按职责分工负责）
5．加强司法保护。（最高人民法院、最高人民检察院等按职责分工负责）
二、加强组织保障
6．开展年度监测评估。（联席会议办公室负责）
上述各项任务分工中，由多个部门负责的，列第一位的部门为牵头部门，其他为参与部门。
"""
HALF_WIDTH = (SAMPLE.replace("（一）", "(一)").replace("（二）", "(二)")
              .replace("．", ".").replace("（公安部、最高人民检察院按职责分工负责）", "(公安部、最高人民检察院按职责分工负责)"))


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.get("children", []))


def tasks_of(document: dict) -> list[dict]:
    return [n for n in walk(document["sections"]) if n["kind"] == "task"]


def run_import(path, doc_id, data, *extra):
    return subprocess.run([sys.executable, "-m", "generator", "import-plan", str(path), "--id", doc_id,
                           "--data", str(data), *extra], cwd=ROOT, capture_output=True, text=True)


def load(data, doc_id) -> dict:
    return yaml.safe_load((data / "documents" / f"{doc_id}.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("bracket, lead, participants", [
    ("国家知识产权局负责", "国家知识产权局", []),
    ("农业农村部、国家林草局负责", "农业农村部", ["国家林草局"]),
    ("公安部、司法部按职责分工负责", "公安部", ["司法部"]),
    ("国家知识产权局牵头，中央宣传部、市场监管总局等按职责分工负责", "国家知识产权局", ["中央宣传部", "市场监管总局"]),
    ("最高人民法院、最高人民检察院等按职责分工负责", "", ["最高人民法院", "最高人民检察院"]),
])
def test_every_bracket_form(bracket, lead, participants):
    assert split_duty(bracket) == (lead, participants)


@pytest.mark.parametrize("text", [SAMPLE, HALF_WIDTH], ids=["full-width", "half-width"])
def test_sample_structure_and_departments(text):
    plan = parse_plan(text)
    assert plan.problems == []
    assert plan.title == "2024年知识产权强国建设纲要和“十四五”规划实施推进计划"
    assert plan.preamble == "为贯彻落实……，制定本计划。"
    assert plan.closing.startswith("上述各项任务分工中")
    parts = plan.sections
    assert [p["number"] for p in parts] == ["一", "二"]
    assert parts[0]["children"][0]["title"] == "完善法律法规"
    tasks = plan.tasks()
    assert [t["number"] for t in tasks] == ["1", "2", "3", "4", "5", "6"]  # 3.5万件 and 10．5% are wrapped text
    assert "全年审结案件3.5万件，力争10" in tasks[1]["text"]
    duties = [(t.get("lead", ""), t.get("participants", [])) for t in tasks]
    assert duties == [("国家知识产权局", []), ("中央宣传部", ["市场监管总局"]), ("公安部", ["最高人民检察院"]),
                      ("国家知识产权局", ["中央宣传部", "市场监管总局"]), ("", ["最高人民法院", "最高人民检察院"]),
                      ("联席会议办公室", [])]
    assert parts[1]["children"][0]["id"] == "t-6"  # a part without groups holds its tasks directly
    if text is HALF_WIDTH:
        assert printed_number(plan.numbering, "task", "3") == "3." and printed_number(plan.numbering, "section", "二") == "(二)"
        assert tasks[2]["text"].endswith("(公安部、最高人民检察院按职责分工负责)")  # verbatim, not normalised
    else:
        assert plan.numbering == {}


def test_problems_name_the_input_line_all_at_once():
    broken = SAMPLE.replace("4．开展执法", "7．开展执法").replace("（联席会议办公室负责）", "")
    plan = parse_plan(broken)
    lines = broken.splitlines()
    found = {line: message for line, message in plan.problems}
    numbering = next(i for i, line in enumerate(lines, 1) if line.startswith("7．"))
    assert "numbering broken" in found[numbering]
    assert any("no closing responsibility bracket" in m for m in found.values())
    assert len(plan.problems) == 2


ENCODINGS = [
    ("utf-8", lambda t: t.encode("utf-8")),
    ("utf-8-bom", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
    ("gbk", lambda t: t.encode("gbk")),
    ("gb18030-crlf", lambda t: t.replace("\n", "\r\n").encode("gb18030")),
    ("utf-16", lambda t: t.encode("utf-16")),
]


@pytest.mark.parametrize("name, encode", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_every_encoding_gives_the_same_document_and_a_checked_source(tmp_path, data_copy, name, encode):
    text = HALF_WIDTH if name == "gbk" else SAMPLE
    path = tmp_path / "plan.txt"
    path.write_bytes(encode(text))
    result = run_import(path, "plan-2024", data_copy, "--obtained-from", "https://www.cnipa.gov.cn/example")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    written = (data_copy / "documents" / "plan-2024.yml").read_text(encoding="utf-8")
    assert "\ufeff" not in written
    document = yaml.safe_load(written)
    assert document["title"] == "2024年知识产权强国建设纲要和“十四五”规划实施推进计划"
    assert document["year"] == 2024 and len(tasks_of(document)) == 6
    # The text is copied under data/sources/ with a provenance file following the schema.
    assert document["source"].startswith("data/sources/")
    source = data_copy.parent / document["source"]
    stored = source.read_bytes()
    assert not stored.startswith(b"\xef\xbb\xbf") and b"\r" not in stored
    assert stored.decode("utf-8") == text
    entry = yaml.safe_load(source.with_suffix(".yml").read_text(encoding="utf-8"))
    schema = json.loads((DATA / "schema" / "source.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(entry, schema)
    assert entry["document"] == "plan-2024" and entry["file"] == source.name
    assert entry["sha256"] == hashlib.sha256(stored).hexdigest()
    assert entry["obtained_from"] == "https://www.cnipa.gov.cn/example" and entry["obtained_on"]
    # The fidelity check covers the new document from its first build.
    rule = next(r for r in load_rules(data_copy) if r.document == "plan-2024")
    assert missing_lines(rule, document, data_copy / "sources") == []
    assert invented_paragraphs([rule], document, data_copy / "sources") == []
    tasks_of(document)[0]["text"] = tasks_of(document)[0]["text"].replace("修改", "修订")
    assert missing_lines(rule, document, data_copy / "sources")
    check = run_check(data_copy)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("content, expected", [
    (None, "no such file"),
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"%PDF-1.7\n...", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    ("2024年推进计划\n一、总体\n1．任务。（公安部负责）\n".encode("utf-8") + b"\xff\xfe\xfd\n", "neither UTF-8 nor GB18030"),
    ("说明\n没有标题\n没有结构\n也没有\n字样".encode("utf-8"), "no title"),
])
def test_bad_input_is_one_line_per_problem_never_a_traceback(tmp_path, data_copy, content, expected):
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    result = run_import(path, "plan-2024", data_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert all(line.startswith(f"{path}:") for line in result.stderr.splitlines()[:-1])
    assert not (data_copy / "documents" / "plan-2024.yml").exists()
    assert len(list((data_copy / "sources").glob("*.txt"))) == len(list((DATA / "sources").glob("*.txt")))


def test_undecodable_byte_is_reported_on_its_line(tmp_path, data_copy):
    path = tmp_path / "input.txt"
    path.write_bytes(SAMPLE.encode("utf-8").replace("3．开展".encode(), b"3\xa1\xff"))
    result = run_import(path, "plan-2024", data_copy)
    line = next(i for i, text in enumerate(SAMPLE.splitlines(), 1) if text.startswith("3．开展"))
    assert f"{path}:{line}: neither UTF-8 nor GB18030" in result.stderr


def test_refuses_to_overwrite_then_force_shows_what_changed(tmp_path, data_copy):
    target = data_copy / "documents" / "plan-2023.yml"
    before = target.read_text(encoding="utf-8")
    edited = (DATA / "sources" / "002_7eb8a8e758457245.txt").read_text(encoding="utf-8")
    edited = edited.replace("5．推进修改《生物遗传", "5．推动出台《生物遗传", 1)
    path = tmp_path / "plan-2023.txt"
    path.write_text(edited, encoding="utf-8")
    refused = run_import(path, "plan-2023", data_copy)
    assert refused.returncode == 1 and "already exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == before
    forced = run_import(path, "plan-2023", data_copy, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "wording changed: t-5 (1)" in forced.stdout
    assert "tasks: 139 → 139" in forced.stdout
    links = sum(len(t.get("implements", [])) for t in walk(yaml.safe_load(before)["sections"]))
    assert f"kept from the replaced file: {links} implements links" in forced.stdout
    after = load(data_copy, "plan-2023")
    assert sum(len(t.get("implements", [])) for t in walk(after["sections"])) == links
    assert after["metadata_sources"] == yaml.safe_load(before)["metadata_sources"]
    # The old source text of the document is replaced by the new one, so fidelity checks the new text.
    rules = [r for r in load_rules(data_copy) if r.document == "plan-2023"]
    assert len(rules) == 1 and rules[0].file != "002_7eb8a8e758457245.txt"
    assert missing_lines(rules[0], after, data_copy / "sources") == []
    assert run_check(data_copy).returncode == 0


def test_unknown_department_is_reported_with_line_closest_names_and_registry_entry(tmp_path, data_copy):
    text = SAMPLE.replace("（联席会议办公室负责）", "（国家数据局、市场监管局负责）")
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    result = run_import(path, "plan-2024", data_copy)
    assert result.returncode == 0, result.stderr
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "国家数据局" in t)
    reports = [r for r in result.stdout.splitlines() if r.startswith(f"{path}:")]
    assert len(reports) == 2 and all(r.startswith(f"{path}:{line}: task 6: unknown department") for r in reports)
    assert "closest known: 市场监管总局" in reports[1] and "aliases of 'samr'" in reports[1]
    assert "- {id: <id>, name: 国家数据局, full_name: 国家数据局, english: <English name>, category: state-council-agency}" in reports[0]
    check = run_check(data_copy)
    assert check.returncode == 1 and "unknown department '国家数据局'" in check.stderr
    # The suggested entry, completed by the editor, resolves it.
    registry = data_copy / "departments.yml"
    registry.write_text(registry.read_text(encoding="utf-8")
                        + "\n- {id: nda, name: 国家数据局, full_name: 国家数据局, english: National Data Administration,"
                          " category: state-council-agency}\n", encoding="utf-8")
    text_registry = registry.read_text(encoding="utf-8").replace("  name: 市场监管总局\n", "  name: 市场监管总局\n  aliases: [市场监管局]\n", 1)
    registry.write_text(text_registry, encoding="utf-8")
    check = run_check(data_copy)
    assert check.returncode == 0, check.stderr


def test_the_real_2023_text_into_a_fresh_id_reproduces_the_published_file(data_copy):
    result = run_import(DATA / "sources" / "002_7eb8a8e758457245.txt", "plan-2023-check", data_copy)
    assert result.returncode == 0, result.stderr
    assert "7 parts, 13 groups, 139 tasks" in result.stdout
    imported = load(data_copy, "plan-2023-check")
    published = yaml.safe_load((DATA / "documents" / "plan-2023.yml").read_text(encoding="utf-8"))
    for field in ("title", "preamble", "closing", "kind", "year"):
        assert imported[field] == published[field], field
    mine = {n["id"]: n for n in walk(imported["sections"])}
    theirs = {n["id"]: n for n in walk(published["sections"])}
    assert mine.keys() == theirs.keys()
    for node_id, node in mine.items():
        for field in ("kind", "number", "title", "text", "lead", "participants"):
            assert node.get(field) == theirs[node_id].get(field), (node_id, field)
    # A fresh id gets its own copy of the text, so each source names one document.
    assert imported["source"] != published["source"]


def test_make_import_target(tmp_path, data_copy):
    path = tmp_path / "plan.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    env = {**os.environ, "IPP_DATA_DIR": str(data_copy)}
    usage = subprocess.run(["make", "-s", "-o", "deps", "import"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert usage.returncode != 0 and "usage: make import FILE=" in usage.stderr
    result = subprocess.run(["make", "-s", "-o", "deps", "import", f"FILE={path}", "ID=plan-2024", "YEAR=2024"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert load(data_copy, "plan-2024")["year"] == 2024


def test_python_without_the_packages_gets_advice_not_a_traceback():
    env = {**os.environ, "IPP_REEXEC": "1"}  # as if .venv did not exist yet
    result = subprocess.run([sys.executable, "-S", "-m", "generator", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "make deps" in result.stderr
    rerun = subprocess.run([sys.executable, "-S", "-m", "generator", "check"], cwd=ROOT, capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if k != "IPP_REEXEC"})
    assert rerun.returncode == 0 and "data ok" in rerun.stdout  # runs itself again with .venv's Python


from hypothesis import given, settings, strategies as st  # noqa: E402

from generator.importer_read import decode  # noqa: E402

PIECES = ["一、", "（一）", "(二)", "1．", "2.", "3.5万", "（公安部负责）", "(司法部负责)", "牵头，", "等按职责分工负责）",
          "上述各项任务分工中", "计划", "\n", "\n\n", " ", "\ufeff", "文字", "— 3 —"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.binary(max_size=40))
def test_no_input_makes_the_importer_raise(pieces, noise):
    """Any arrangement of the format's pieces, and any bytes, give problems or a tree, never an exception."""
    plan = parse_plan("".join(pieces))
    assert all(isinstance(line, int) and line >= 1 for line, _ in plan.problems)
    for raw in (noise, "".join(pieces).encode("utf-8") + noise):
        source = decode(raw)
        assert source.problems or "\ufeff" not in source.text
        if not source.problems:
            parse_plan(source.text)
