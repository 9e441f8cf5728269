"""Where the site says it lives: site_url from one place, publication facts from data/publication.yml,
the data's date from version control."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

from conftest import DATA, PUBLISHED_REPOSITORY, PUBLISHED_URL
from generator.load import load_data
from generator.validate import validate
from generator.vcs import last_changed


def test_a_build_without_site_url_writes_no_local_addresses(site):
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    for page in site.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert 'rel="canonical"' not in source, page
        links = re.findall(r'(?:href|src)="([^"]*)"', source)
        assert not [url for url in links if re.match(r"https?://(127\.|localhost)", url)], page
    home_link = re.search(r'<a href="([^"]*)">首页</a>', (site / "404.html").read_text(encoding="utf-8"))
    assert home_link and home_link.group(1) == "/"


def test_a_published_build_has_canonical_links_and_a_sitemap(published_site):
    pages = sorted(published_site.rglob("index.html"))
    for page in pages:
        path = page.parent.relative_to(published_site).as_posix()
        expected = PUBLISHED_URL + (f"{path}/" if path != "." else "")
        canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', page.read_text(encoding="utf-8"))
        assert canonical == [expected], page
    sitemap = (published_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert len(locations) == len(pages) and all(loc.startswith(PUBLISHED_URL) for loc in locations)
    home_link = re.search(r'<a href="([^"]*)">首页</a>', (published_site / "404.html").read_text(encoding="utf-8"))
    assert home_link and PUBLISHED_URL.endswith(home_link.group(1))  # the site's path on its host
    assert "<title>找不到该页面" in (published_site / "404.html").read_text(encoding="utf-8")


def _problems(data_dir: Path) -> list[str]:
    return [str(p) for p in validate(load_data(data_dir))]


def test_publication_facts_are_checked(data_copy):
    path = data_copy / "publication.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("url: https://opensource.org/license/mit", "url: opensource.org/license/mit"),
                    encoding="utf-8")
    line = next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "url: opensource.org" in l)
    assert _problems(data_copy) == [
        f"data/publication.yml:{line}: licences.site.url: 'opensource.org/license/mit' does not match the required "
        "form ^https://\\S+$"]
    path.unlink()
    assert _problems(data_copy) == ["data/publication.yml:1: the publication facts (repository, licences) are missing"]


def test_publication_facts_are_read_from_one_file():
    from generator.pipeline import load_corpus

    raw = yaml.safe_load((DATA / "publication.yml").read_text(encoding="utf-8"))
    publication = load_corpus().publication
    assert publication.repository == raw["repository"]
    assert publication.feedback == raw.get("feedback", raw["repository"] + "/issues/new")
    assert publication.data_licence.url == raw["licences"]["data"]["url"]


def test_workflow_sets_the_public_address_and_the_repository():
    workflow = yaml.safe_load((DATA.parent / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    build = next(s for s in steps if s.get("run") == "make site")
    assert {"SITE_URL", "REPOSITORY_URL"} <= set(build["env"])
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0, "the data's date needs the whole history"
    assert PUBLISHED_REPOSITORY  # the test build sets it the same way


def _git(folder: Path, *args: str, date: str = "") -> None:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(folder), "PATH": "/usr/bin:/bin"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def test_last_changed_is_the_date_of_the_last_commit_touching_the_path(tmp_path):
    assert last_changed(tmp_path) is None  # no repository
    _git(tmp_path, "init", "-q")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yml").write_text("a: 1\n")
    assert last_changed(tmp_path / "data") is None  # no history yet
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "data", date="2024-03-05T10:00:00+00:00")
    (tmp_path / "README").write_text("later, not data\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "other", date="2025-01-02T10:00:00+00:00")
    assert last_changed(tmp_path / "data") == "2024-03-05"
    assert last_changed(tmp_path / "data" / "a.yml") == "2024-03-05"
    assert last_changed(tmp_path) == "2025-01-02"


def _text_of(source: str, element_id: str) -> str:
    import html as html_module

    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:span|code)>\s*<button', source, re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_items_show_their_full_address_and_a_gbt7714_citation(published_site):
    from conftest import read_csv

    documents = {r["id"]: r for r in read_csv(published_site / "downloads" / "documents.csv")}
    raw = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (DATA / "documents").glob("*.yml")}
    items = [r for r in read_csv(published_site / "downloads" / "items.csv") if "#" not in r["url"]]
    for row in items:
        source = (published_site / row["url"] / "index.html").read_text(encoding="utf-8")
        address = PUBLISHED_URL + row["url"]
        assert _text_of(source, "ipp-permalink") == address, row["url"]
        citation = _text_of(source, "ipp-citation")
        document = documents[row["document"]]
        issuer = raw[row["document"]]["issuer"]
        assert citation.startswith(f"{issuer}. {document['title']}"), citation
        assert f"{document['number']}" in citation and "[EB/OL]." in citation
        if document["date"]:
            assert f"({document['date']})" in citation
        assert re.search(r"\[\d{4}-\d{2}-\d{2}\]", citation), "引用日期"
        assert citation.endswith(f" {address}.") and "。。" not in citation and "。." not in citation
        assert row["number"] in citation


def test_citation_data_per_document_is_csl_json(published_site):
    import json

    from conftest import read_csv

    items = read_csv(published_site / "downloads" / "items.csv")
    for document in read_csv(published_site / "downloads" / "documents.csv"):
        page = (published_site / document["url"] / "index.html").read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]*\.json)" download>CSL-JSON', page).group(1)
        entries = json.loads((published_site / document["url"] / link).resolve().read_text(encoding="utf-8"))
        pages = [r for r in items if r["document"] == document["id"] and "#" not in r["url"]]
        assert len(entries) == len(pages) + 1
        assert entries[0]["title"] == document["title"] and entries[0]["URL"] == PUBLISHED_URL + document["url"]
        for entry in entries:
            assert set(entry) >= {"id", "type", "title", "author", "URL"}
            assert entry["URL"].startswith(PUBLISHED_URL) and entry["author"][0]["literal"]
            if document["date"]:
                assert entry["issued"]["date-parts"] == [[int(p) for p in document["date"].split("-")]]


def test_source_texts_are_published_and_linked_from_their_documents(site):
    for provenance in (DATA / "sources").glob("*.yml"):
        facts = yaml.safe_load(provenance.read_text(encoding="utf-8"))
        text = provenance.with_suffix(".txt")
        published = site / "sources" / text.name
        assert published.read_bytes() == text.read_bytes(), text.name
        page = (site / facts["document"] / "index.html").read_text(encoding="utf-8")
        assert f'href="../sources/{text.name}"' in page, (facts["document"], text.name)
        assert f"data/sources/{text.name}" not in page


def test_official_publication_is_linked_or_said_to_be_unknown(site):
    for path in (DATA / "documents").glob("*.yml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        page = (site / document["id"] / "index.html").read_text(encoding="utf-8")
        row = re.search(r"<th scope=\"row\">官方发布</th><td>(.*?)</td>", page).group(1)
        if document.get("official"):
            assert f'<a href="{document["official"]["url"]}">' in row
        else:
            assert "尚未经本站核实" in row
