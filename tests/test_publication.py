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
