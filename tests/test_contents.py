"""A document's 目录 cut into pages: every item once, in the document's order, every page reachable
and bounded; on the real site each document's 目录 fits on its own page."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from generator import contents as contents_module
from generator.pipeline import load_corpus
from generator.render import Renderer


def shown_in_order(nodes):
    """The document's items as its 目录 lists them, without the indicator rows (walked here, not by the code)."""
    for node in nodes:
        yield node
        yield from shown_in_order([c for c in node.children if c.kind != "indicator"])


class TocLinks(HTMLParser):
    """Links inside the page's 目录 lists (class ipp-toc), and its next-page link."""

    def __init__(self):
        super().__init__()
        self.links, self.next, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ol" and (self.depth or attrs.get("class") == "ipp-toc"):
            self.depth += 1
        if tag == "a" and self.depth:
            self.links.append(attrs["href"])
        if tag == "a" and attrs.get("rel") == "next" and self.next is None:
            self.next = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "ol" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if "（续前页）" in data and self.links:
            self.links.pop()  # the heading just linked was repeated from an earlier page


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.mark.parametrize("budget", [1_500, 3_000])
def test_every_item_once_in_order_across_the_pages(corpus, monkeypatch, budget):
    monkeypatch.setattr(contents_module, "CONTENTS_BUDGET", budget)
    pages = {page.url: page for page in Renderer(corpus).render().pages}
    for document in corpus.documents:
        expected = [n.url for n in shown_in_order(document.sections)]
        found, url, seen = [], document.url, 0
        while url:
            parser = TocLinks()
            parser.feed(pages[url].body())
            found += [relative_join(url, link) for link in parser.links]
            url = relative_join(url, parser.next) if parser.next else None
            seen += 1
        assert found == expected, document.id
        assert seen == len(contents_module.contents(document).pages) > 1


def relative_join(base: str, link: str) -> str:
    """A relative link followed from the page at site path `base`, as a site path."""
    parts = base.rstrip("/").split("/") if base else []
    target, _, anchor = link.partition("#")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    path = "/".join(parts) + ("/" if parts and target.endswith("/") else "")
    return path + (f"#{anchor}" if anchor else "")


def test_pages_stay_within_the_budget_and_repeat_their_context(corpus):
    budget = 3_000
    for document in corpus.documents:
        result = contents_module.contents(document, budget)
        for page in result.pages:
            lines, stack = [], list(page.lines)
            while stack:
                line = stack.pop(0)
                lines.append(line)
                stack[:0] = line.children
            own = [line for line in lines if not line.continued]
            assert sum(contents_module._cost(line.node) for line in own) <= budget or len(own) == 1
            first = own[0].node
            assert [line.node for line in lines if line.continued] == first.ancestors


def test_the_real_documents_fit_on_one_page(site, corpus):
    for document in corpus.documents:
        assert len(contents_module.contents(document).pages) == 1, document.id
        assert not (site / document.url / "2").exists()
