"""Bad input: every problem at once, one line each, `data/…/file.yml:LINE: what is wrong`."""
from __future__ import annotations

from pathlib import Path


from conftest import run_check
from generator.load import load_data
from generator.validate import validate

PLAN = "documents/plan-2023.yml"


def problems_for(data_dir: Path) -> list[str]:
    return [str(p) for p in validate(load_data(data_dir))]


def edit(data_dir: Path, relative: str, old: str, new: str, occurrence: int = 1) -> int:
    """Replace the n-th occurrence of `old` in a data file; return the 1-based line it is on."""
    path = data_dir / relative
    text = path.read_text(encoding="utf-8")
    position = -1
    for _ in range(occurrence):
        position = text.index(old, position + 1)
    path.write_text(text[:position] + new + text[position + len(old):], encoding="utf-8")
    return text.count("\n", 0, position) + 1


def test_real_data_is_valid():
    assert problems_for(Path(__file__).resolve().parent.parent / "data") == []


def test_yaml_syntax_error(data_copy):
    line = edit(data_copy, PLAN, "  title: 完善知识产权制度\n", "  title: [完善知识产权制度\n")
    problems = problems_for(data_copy)
    assert len(problems) == 1
    assert problems[0].startswith(f"data/{PLAN}:")
    assert "YAML syntax error" in problems[0]
    reported = int(problems[0].split(":")[1])
    assert line <= reported <= line + 2


def test_a_provenance_file_that_is_not_a_mapping(data_copy):
    """Found by the fuzz test: a source's provenance file holding one word (a text, not fields) is a
    problem on its line, not a traceback."""
    path = data_copy / "sources" / "000_57584c3c22bced92.yml"
    path.write_text("# yaml-language-server: $schema=../schema/source.schema.json\nf\n", encoding="utf-8")
    problems = problems_for(data_copy)
    assert any(p.startswith("data/sources/000_57584c3c22bced92.yml:") for p in problems), problems


def test_unknown_field(data_copy):
    line = edit(data_copy, PLAN, "      kind: task\n", "      kind: task\n      lead_department: 国家知识产权局\n") + 1
    assert f"data/{PLAN}:{line}: t-1: unknown field 'lead_department'" in problems_for(data_copy)


def test_wrong_type(data_copy):
    line = edit(data_copy, PLAN, "year: 2023", "year: 二〇二三")
    assert f"data/{PLAN}:{line}: year: expected integer, got str '二〇二三'" in problems_for(data_copy)


def test_wrong_kind(data_copy):
    line = edit(data_copy, PLAN, "kind: task", "kind: tsak")
    problems = problems_for(data_copy)
    assert any(p.startswith(f"data/{PLAN}:{line}:") and "'tsak' is not one of" in p for p in problems), problems


def test_duplicate_id(data_copy):
    line = edit(data_copy, PLAN, "id: t-2\n", "id: t-1\n")
    first = (data_copy / PLAN).read_text(encoding="utf-8").splitlines().index("    - id: t-1") + 1
    assert f"data/{PLAN}:{line}: duplicate id 't-1' (first at line {first})" in problems_for(data_copy)


def test_duplicate_number(data_copy):
    line = edit(data_copy, PLAN, "number: '2'\n", "number: '1'\n")
    problems = problems_for(data_copy)
    assert any(p.startswith(f"data/{PLAN}:{line}: duplicate task number '1'") for p in problems), problems


def test_unknown_department(data_copy):
    line = edit(data_copy, PLAN, "lead: 国家知识产权局", "lead: 国家知识产权总局")
    assert (f"data/{PLAN}:{line}: t-1 › lead: unknown department '国家知识产权总局' (not a name or alias in "
            f"data/departments.yml; closest known: 国家知识产权局" in "\n".join(problems_for(data_copy)))


def test_department_not_in_text(data_copy):
    # 中国科学院 is a known department, but task 1 does not name it.
    line = edit(data_copy, PLAN, "lead: 国家知识产权局", "lead: 中国科学院")
    assert f"data/{PLAN}:{line}: t-1 › lead: department '中国科学院' is not printed in this item's text" in problems_for(data_copy)


def test_dangling_reference(data_copy):
    if "implements: [" in (data_copy / PLAN).read_text(encoding="utf-8"):
        line = edit(data_copy, PLAN, "implements: [", "implements: [plan-2021/no-such-item, ")
    else:
        line = edit(data_copy, PLAN, "      lead: 国家知识产权局\n",
                    "      lead: 国家知识产权局\n      implements: [plan-2021/no-such-item]\n") + 1
    assert f"data/{PLAN}:{line}: reference 'plan-2021/no-such-item' does not point to any item" in problems_for(data_copy)


def test_unreadable_document_does_not_cascade(data_copy):
    """References into a file that failed to parse are not reported as dangling: one cause, one line."""
    edit(data_copy, PLAN, "  title: 完善知识产权制度\n", "  title: [完善知识产权制度\n")
    problems = problems_for(data_copy)
    assert [p for p in problems if "does not point" in p] == []


def test_alias_used_twice_in_registry(data_copy):
    text = (data_copy / "departments.yml").read_text(encoding="utf-8")
    assert "aliases:" in text
    edit(data_copy, "departments.yml", "name: 市场监管总局", "name: 国家知识产权局")
    problems = problems_for(data_copy)
    assert any(p.startswith("data/departments.yml:") and "department name '国家知识产权局' is used twice" in p
               for p in problems), problems


def test_every_problem_reported_at_once_by_the_cli(data_copy):
    edit(data_copy, PLAN, "year: 2023", "year: 二〇二三")
    edit(data_copy, PLAN, "lead: 国家知识产权局", "lead: 国家知识产权总局")
    edit(data_copy, "documents/tasks-2021.yml", "kind: task", "kind: job")
    result = run_check(data_copy)
    assert result.returncode == 1
    lines = [l for l in result.stderr.splitlines() if l.startswith("data/")]
    assert len(lines) == 3, result.stderr
    assert "3 problem(s) in the data" in result.stderr
    for line in lines:
        file, number, message = line.split(":", 2)
        assert (data_copy.parent / file).exists() and int(number) > 0 and message.strip()


def test_the_fast_schema_check_is_never_more_lenient_than_the_reference():
    """check_schema skips the reference validator when the compiled one finds nothing wrong: for every
    value the reference rejects, the compiled one must reject it too. Each value of the real data is
    changed in ways a schema forbids (type, pattern, enum, length, required and unknown fields)."""
    import copy
    import json

    import jsonschema

    from generator.validate import _surely_valid

    root = Path(__file__).resolve().parent.parent / "data"
    raw = load_data(root)
    document = {**raw.documents[0], "sections": raw.documents[0]["sections"][:2]}  # small: the reference is slow
    cases = [(document, "document"), (raw.departments[:12], "departments"), (raw.topics[:3], "topics"),
             (raw.publication, "publication"), (raw.synonyms, "synonyms")]
    odd_values = [None, 7, 1.5, float("nan"), True, "", "x" * 5000, "２０２３", "2023\n", "a b", ["x"], {"x": 1}]
    checked = rejected = 0
    for value, name in cases:
        schema = json.loads((root / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        reference = jsonschema.Draft202012Validator(schema)
        assert _surely_valid(value, schema), f"the real {name} data must take the fast path"
        places = []  # (container, key) of values, depth first, the first 150
        stack = [value]
        while stack and len(places) < 150:
            container = stack.pop()
            keys = list(container) if isinstance(container, dict) else range(len(container))
            for key in keys:
                places.append((container, key))
                if isinstance(container[key], (dict, list)):
                    stack.append(container[key])
        for container, key in places:
            original = container[key]
            mutations = [*odd_values, "delete"] + (["unknown"] if isinstance(original, dict) else [])
            for mutation in mutations:
                if mutation == "delete" and isinstance(container, dict):
                    del container[key]
                elif mutation == "unknown":
                    container[key] = copy.copy(original)
                    container[key]["not-a-field"] = 1
                elif mutation != "delete":
                    container[key] = mutation
                if not reference.is_valid(value):
                    rejected += 1
                    assert not _surely_valid(value, schema), f"{name}: {key!r} → {mutation!r:.40} passes the fast check only"
                checked += 1
                if isinstance(container, dict):
                    container[key] = original
                elif mutation != "delete":
                    container[key] = original
    assert rejected > 500 and checked > rejected


def test_whole_numbers_written_as_decimals_and_a_wrong_alias_list(data_copy):
    """Found by the fuzz test: a source line number written 2023.0 (JSON Schema takes it for an
    integer) and aliases that are no list each give one clear problem, no traceback and no cascade."""
    source = "sources/001_d5531de2e55282a2.yml"
    text = (data_copy / source).read_text(encoding="utf-8")
    first = text[text.index("  - lines: ") + len("  - lines: "):].split("\n", 1)[0]
    line = edit(data_copy, source, f"  - lines: {first}\n", "  - lines: 2023.0\n")
    assert problems_for(data_copy) == [f"data/{source}:{line}: skip.0.lines: must be a whole number such as 2023, not 2023.0"]
    edit(data_copy, source, "  - lines: 2023.0\n", f"  - lines: {first}\n")
    line = edit(data_copy, "departments.yml", "  aliases: [联席办]\n", "  aliases: 2023.0\n")
    problems = problems_for(data_copy)
    assert problems[0] == f"data/departments.yml:{line}: joint-conference-office › aliases: expected array, got float 2023.0"
    # what the alias alone named is unknown now, and said so; nothing else
    assert all("unknown department '联席办'" in p for p in problems[1:])
