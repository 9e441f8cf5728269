"""Links in the built site: no broken internal link or anchor, no orphan page.

MkDocs validates Markdown links only; most of our links come from templates and raw HTML.
"""
from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

BASE = "http://site.invalid/"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") in ("stylesheet", "icon"):
            self.links.append(attrs["href"])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _url_of(site: Path, page: Path) -> str:
    relative = page.relative_to(site).as_posix()
    return BASE + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def _target(site: Path, url: str) -> Path | None:
    path = unquote(urlparse(url).path)[len(urlparse(BASE).path):]
    candidate = site / path
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.exists() else None


def parse_site(site: Path) -> dict[Path, _Links]:
    return {page: _parse(page) for page in site.rglob("*.html")}


def broken_links(site: Path, parsed: dict[Path, _Links]) -> list[str]:
    broken = []
    for page, links in parsed.items():
        here = _url_of(site, page)
        for href in links.links:
            url = urljoin(here, href)
            if not url.startswith(BASE):
                continue
            target = _target(site, url)
            if target is None:
                broken.append(f"{page.relative_to(site)}: {href}")
                continue
            fragment = unquote(urlparse(url).fragment)
            if fragment and target.suffix == ".html" and fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(site)}: {href} (no anchor)")
    return broken


def orphans(site: Path, parsed: dict[Path, _Links]) -> list[str]:
    """Pages not reachable by following links from the home page."""
    home = site / "index.html"
    seen, queue = {home}, deque([home])
    while queue:
        page = queue.popleft()
        for href in parsed[page].links:
            url = urljoin(_url_of(site, page), href)
            target = _target(site, url) if url.startswith(BASE) else None
            if target is not None and target.suffix == ".html" and target not in seen:
                seen.add(target)
                queue.append(target)
    return sorted(str(p.relative_to(site)) for p in parsed if p not in seen and p.name != "404.html")


@pytest.fixture(scope="module")
def parsed(site):
    return parse_site(site)


def test_no_broken_internal_links_or_anchors(site, parsed):
    assert broken_links(site, parsed) == []


def test_no_orphan_pages(site, parsed):
    assert orphans(site, parsed) == []


def test_checker_finds_broken_links_anchors_and_orphans(tmp_path):
    """The checker can fail: a tiny site with one of each fault."""
    (tmp_path / "a").mkdir()
    (tmp_path / "lonely").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">a</a> <a href="missing/">x</a> <a href="a/#nowhere">y</a>')
    (tmp_path / "a" / "index.html").write_text('<h1 id="top">A</h1><a href="../#">home</a>')
    (tmp_path / "lonely" / "index.html").write_text("<p>no one links here</p>")
    parsed = parse_site(tmp_path)
    assert broken_links(tmp_path, parsed) == ["index.html: missing/", "index.html: a/#nowhere (no anchor)"]
    assert orphans(tmp_path, parsed) == ["lonely/index.html"]
