"""The data package: every CSV described (types, keys, allowed values, licence), validated by frictionless;
数据下载 written from the same description."""
from __future__ import annotations

import csv
import json
import re
import shutil

import frictionless
import yaml

from conftest import DATA, page_text, read_csv
from generator import jsonfile


def _errors(report) -> list[tuple[str, str]]:
    return [(error.type, error.message) for task in report.tasks for error in task.errors] + \
        [(error.type, error.message) for error in report.errors]


def test_the_data_package_validates(site):
    report = frictionless.validate(site / "downloads" / "datapackage.json")
    assert report.valid, _errors(report)[:10]


def test_the_package_describes_every_csv_with_its_licence(site):
    downloads = site / "downloads"
    package = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(r["path"] for r in package["resources"]) == sorted(p.name for p in downloads.glob("*.csv"))
    for resource in package["resources"]:
        header = list(read_csv(downloads / resource["path"])[0])
        assert [f["name"] for f in resource["schema"]["fields"]] == header, resource["name"]
        assert resource["schema"]["primaryKey"], resource["name"]
    keys = {(r["name"], k["fields"][0], k["reference"]["resource"] or r["name"])
            for r in package["resources"] for k in r["schema"].get("foreignKeys", [])}
    assert {("items", "document", "documents"), ("items", "parent_id", "items"), ("items", "lead", "departments"),
            ("indicators", "item", "items")} <= keys
    kinds = next(f for r in package["resources"] if r["name"] == "items" for f in r["schema"]["fields"]
                 if f["name"] == "kind")
    assert {row["kind"] for row in read_csv(downloads / "items.csv")} <= set(kinds["constraints"]["enum"])
    licence = yaml.safe_load((DATA / "publication.yml").read_text(encoding="utf-8"))["licences"]["data"]
    assert package["licenses"] == [{"name": licence["id"], "path": licence["url"], "title": licence["name"]}]
    assert package["version"]
    sources = " ".join(s["title"] for s in package["sources"])
    for document in read_csv(downloads / "documents.csv"):
        assert document["title"] in sources and document["number"] in sources


def _rewrite(path, change):
    """Apply `change(rows)` to one of the site's CSV files, keeping its encoding and dialect."""
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    change(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out, lineterminator="\r\n").writerows(rows)


def test_a_download_that_breaks_the_contract_fails_validation(site, tmp_path):
    downloads = tmp_path / "downloads"
    shutil.copytree(site / "downloads", downloads)
    package = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:  # the files are edited below: check their contents, not their hashes
        for stat in ("bytes", "hash", "rows"):
            del resource[stat]
    (downloads / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")

    def break_items(rows):
        header = rows[0]
        rows[1][header.index("kind")] = "paragraph"
        next(r for r in rows[1:] if r[header.index("lead")])[header.index("lead")] = "国家知识产权总局"
        rows[2][header.index("parent_id")] = "plan-0000/ch-99"

    def break_documents(rows):
        rows[1][rows[0].index("year")] = "二〇二一"

    _rewrite(downloads / "items.csv", break_items)
    _rewrite(downloads / "documents.csv", break_documents)
    report = frictionless.validate(downloads / "datapackage.json")
    errors = _errors(report)
    assert not report.valid
    assert {"constraint-error", "foreign-key", "type-error"} <= {kind for kind, _ in errors}, errors
    messages = " ".join(message for _, message in errors)
    for value in ("paragraph", "国家知识产权总局", "plan-0000/ch-99", "二〇二一"):
        assert value in messages, value


def test_the_data_page_is_written_from_the_package(site):
    downloads = site / "downloads"
    package = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
    text = page_text(site / "data" / "index.html")
    source = (site / "data" / "index.html").read_text(encoding="utf-8")
    for resource in package["resources"]:
        path = downloads / resource["path"]
        rows = len(read_csv(path))
        assert resource["rows"] == rows and resource["bytes"] == path.stat().st_size
        start = source.index(f'href="../downloads/{resource["path"]}"')
        cells = re.findall(r'<td class="ipp-number-cell">([^<]*)</td>', source[start:source.index("</tr>", start)])
        assert cells == [str(rows), f"{path.stat().st_size / 1024:.1f} KB"], resource["path"]
        section = source[source.index(f'id="table-{resource["name"]}"'):]
        section = section[:section.index("</section>")]
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in section, (resource["name"], field["name"])
    licence = yaml.safe_load((DATA / "publication.yml").read_text(encoding="utf-8"))["licences"]["data"]
    assert licence["name"] in text and f'href="{licence["url"]}"' in source


def test_json_downloads_hold_one_record_a_line_and_the_rows_of_their_csv(site):
    """A reader, or a diff between two versions, sees one record a line; a program reads the CSV's rows."""
    downloads = site / "downloads"
    tables = [p for p in sorted(downloads.glob("*.json")) if p.name != "datapackage.json"]
    assert tables
    for path in tables:
        text = path.read_text(encoding="utf-8")
        rows, lines = json.loads(text), text.split("\n")
        assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(rows) + 2, path.name
        assert [json.loads(line.removesuffix(",")) for line in lines[1:-1]] == rows, path.name
        assert len(rows) == len(read_csv(path.with_suffix(".csv"))), path.name


def test_the_json_layout_reads_back_any_text_and_nesting():
    hostile = ["", "\n", "\u2028\u2029", '"', "\\", "</script>", "\x00\x1f", "中文", "{n}", "=1+1"]
    values = [hostile, {"a": hostile, "b": {"c": [[], {}, [1, [2]], {"d": None}]}, "": 1.5}, [], {}, "x", 0,
              [{"id": h, "children": [{"id": h}]} for h in hostile]]
    for value in values:
        assert json.loads(jsonfile.dumps(value)) == value
