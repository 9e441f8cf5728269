"""data/synonyms.yml is checked like all data: every problem at once, `file:line: what is wrong`."""
from __future__ import annotations

from conftest import run_check
from test_validation import edit, problems_for

FILE = "synonyms.yml"


def line_of(data_dir, text: str) -> int:
    lines = (data_dir / FILE).read_text(encoding="utf-8").splitlines()
    return lines.index(text) + 1


def test_bad_synonyms_are_reported_with_their_lines(data_copy):
    first = line_of(data_copy, "  also: [工信部]")
    twice = edit(data_copy, FILE, "  also: [国知局, CNIPA]", "  also: [国知局, CNIPA, 工信部]")
    department = edit(data_copy, FILE, "  also: [最高法]", "  also: [最高法, 最高人民检察院]")
    unprinted = edit(data_copy, FILE, "- term: 专利合作条约", "- term: 专利合作条约组织")
    unknown = edit(data_copy, FILE, "  also: [PCT]", "  also: [PCT]\n  see: 专利合作条约") + 1
    problems = problems_for(data_copy)
    assert problems == [
        f"data/{FILE}:{twice}: '工信部' is listed twice (first at line {first})",
        f"data/{FILE}:{department}: '最高人民检察院' is already a name of department 'spp' in data/departments.yml",
        f"data/{FILE}:{unprinted}: term '专利合作条约组织' is printed in no document and no department name, "
        "so a search for it finds nothing",
        f"data/{FILE}:{unknown}: {unknown_index(data_copy)}: unknown field 'see'",
    ]


def unknown_index(data_dir) -> int:
    import yaml
    entries = yaml.safe_load((data_dir / FILE).read_text(encoding="utf-8"))
    return next(i for i, e in enumerate(entries) if "see" in e)


def test_schema_problems_stop_the_check(data_copy):
    line = edit(data_copy, FILE, "  also: [贸促会]", "  also: []")
    result = run_check(data_copy)
    assert result.returncode == 1
    assert f"data/{FILE}:{line}:" in result.stderr and "should be non-empty" in result.stderr
    assert "Traceback" not in result.stderr
