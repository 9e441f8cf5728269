"""Every sentence of every source reaches the site, word for word, unless a 校注 note says why."""
from __future__ import annotations

import pytest
import yaml

from conftest import DATA, page_text, squeeze
from generator.text import GAP_TEXT
from generator.fidelity import invented_paragraphs, load_rules, missing_lines, published_text

RULES = load_rules(DATA)


def _document(doc_id: str) -> dict:
    return yaml.safe_load((DATA / "documents" / f"{doc_id}.yml").read_text(encoding="utf-8"))


def test_every_source_has_provenance():
    texts = sorted(p.name for p in (DATA / "sources").glob("*.txt"))
    assert sorted(rule.file for rule in RULES) == texts
    for path in (DATA / "sources").glob("*.yml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8")).get("provenance"), path.name


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.file)
def test_every_source_line_is_published(rule):
    assert missing_lines(rule, _document(rule.document), DATA / "sources") == []


@pytest.mark.parametrize("doc_id", sorted({r.document for r in RULES if r.contiguous}))
def test_no_invented_wording(doc_id):
    rules = [r for r in RULES if r.document == doc_id]
    assert invented_paragraphs(rules, _document(doc_id), DATA / "sources") == []


def test_fidelity_check_catches_an_altered_sentence():
    """The check itself can fail: drop one character of one task and it must notice."""
    rule = next(r for r in RULES if r.document == "plan-2023")
    document = _document("plan-2023")
    task = document["sections"][0]["children"][0]["children"][0]
    task["text"] = task["text"].replace("修改", "修订", 1)
    assert missing_lines(rule, document, DATA / "sources")
    assert invented_paragraphs([rule], document, DATA / "sources")


@pytest.mark.parametrize("doc_id", sorted({r.document for r in RULES}))
def test_published_wording_is_on_the_built_pages(site, doc_id):
    """The data's wording reaches the HTML: all pages of a document together hold all of it."""
    built = "".join(squeeze(page_text(p)) for p in sorted((site / doc_id).rglob("index.html")))
    for paragraph in published_text(_document(doc_id), gap_text=GAP_TEXT).splitlines():
        paragraph = squeeze(paragraph)
        if paragraph:
            assert paragraph in built, paragraph[:40]


def test_provenance_files_follow_their_schema():
    import json

    import jsonschema

    schema = json.loads((DATA / "schema" / "source.schema.json").read_text(encoding="utf-8"))
    documents = {p.stem for p in (DATA / "documents").glob("*.yml")}
    for path in (DATA / "sources").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../schema/source.schema.json"), path.name
        entry = yaml.safe_load(text)
        jsonschema.validate(entry, schema)
        assert entry["document"] in documents and (DATA / "sources" / entry["file"]).exists()


def test_every_data_file_names_its_schema():
    for path in [*(DATA / "documents").glob("*.yml"), DATA / "departments.yml", DATA / "topics.yml"]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = first.split("$schema=", 1)[1]
        assert (path.parent / schema).resolve().exists(), path.name


def test_provenance_checksums_match_their_texts():
    import hashlib

    for path in (DATA / "sources").glob("*.yml"):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "sha256" in entry:
            assert hashlib.sha256((DATA / "sources" / entry["file"]).read_bytes()).hexdigest() == entry["sha256"], path.name
