"""Material's frame around our pages, rendered once per folder and filled in for each page.

Pages outside the menu in one folder differ in Material's output only by what the page itself
brings: its title, description, address, <head> additions, body and footer. So the frame is
rendered once for a stand-in page whose values are markers, cut at the markers, and each page
is the pieces joined with its own values, each escaped as Material escapes it at that place.
A frame is trusted only once it has reproduced, byte for byte, Material's rendering of a
stand-in whose title and description hold every character escaping changes, and of the
folder's first real page (which Material renders). Otherwise, and with IPP_WORKERS=0 (the
reference build the suite compares with), Material renders every page. Part of the MkDocs
adapter (generator/mkdocs_hook.py).
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup, escape
from mkdocs.commands.build import get_context
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

MARKERS = {"title": "ipp0title0marker", "description": "ipp0description0marker", "slug": "ipp0slug0marker",
           "head": "ipp0head0marker", "body": "ipp0body0marker", "footer": "ipp0footer0marker"}
# The stand-in's body runs from its marker to this one: Material adds a heading to a body without
# "<h1" (partials/content.html), so a frame is made for bodies with and for bodies without one.
BODY_END = "ipp0bodyend0marker"
_FIND = re.compile("|".join(MARKERS.values()))
_NAMES = {marker: name for name, marker in MARKERS.items()}
HARD_TEXT = "A&B <i>\"C'\"</i>  &amp;D\u3000，"  # every character escaping or tag-stripping changes


class Frame:
    """The pieces of one folder's frame; `fill(values)` makes one page."""

    def __init__(self, output: str):
        self.pieces, self.slots = [], []
        position = 0
        while match := _FIND.search(output, position):
            name = _NAMES[match.group()]
            # Our main.html prints the title in <title> through `striptags | e`; elsewhere as given.
            if name == "title" and output[:match.start()].rstrip().endswith("<title>"):
                name = "title_tag"
            self.pieces.append(output[position:match.start()])
            self.slots.append(name)
            position = output.index(BODY_END, match.end()) + len(BODY_END) if name == "body" else match.end()
        self.pieces.append(output[position:])

    def fill(self, values: dict[str, str]) -> str:
        parts = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:]):
            parts += [values[slot], piece]
        return "".join(parts)


def page_values(title: str, description: str, url: str, head: str, body: str, footer: str) -> dict[str, str]:
    """What fills the slots, as Material prints each (titles and descriptions reach it escaped)."""
    escaped = html.escape(title)
    return {"title": escaped, "title_tag": str(escape(Markup(escaped).striptags())),
            "description": html.escape(description, quote=True), "slug": url.rstrip("/").rpartition("/")[2],
            "head": head, "body": body, "footer": footer}


class Frames:
    """Frames by key (folder, the page's hidden parts, whether it has a description and an <h1>)."""

    def __init__(self, config, documentation, nav, env):
        self.config, self.documentation, self.nav, self.env = config, documentation, nav, env
        self.frames: dict[str, Frame | None] = {}
        self.filled = 0  # pages made from a frame (the build's timing log reports it)

    def trusted(self, key: str) -> Frame | None:
        return self.frames.get(key)

    def tried(self, key: str) -> bool:
        return key in self.frames

    def _render(self, folder: str, meta: dict, values: dict[str, str]) -> str:
        """Material's output for a stand-in page in `folder` (as mkdocs.commands.build._build_page
        renders it, with the values our hook gives it)."""
        file = File.generated(self.config, f"{folder}/{values['slug']}.md", content="")
        page = Page(None, file, self.config)
        page.markdown = ""
        page.meta = {**meta, "title": values["title"]}
        if "description" in meta:
            page.meta["description"] = values["description"]
        page.content = values["body"]
        page.active = True
        context = get_context(self.nav, self.documentation, self.config, page)
        context.update(ipp_head=values["head"], ipp_footer=values["footer"])
        return self.env.get_template(page.meta.get("template", "main.html")).render(context)

    def consider(self, key: str, folder: str, meta: dict, values: dict[str, str], written: str) -> None:
        """Make the folder's frame from markers; trust it if it reproduces a hard stand-in and the
        folder's first page (`values`, and what Material wrote for it)."""
        heading = "<h1" in values["body"]
        body = MARKERS["body"] + ("<h1></h1>" if heading else "") + BODY_END
        markers = {**MARKERS, "title_tag": MARKERS["title"], "body": body}
        frame = Frame(self._render(folder, meta, markers))
        hard = page_values(HARD_TEXT, HARD_TEXT, f"{folder}/x-1/", "<meta name=x>",
                           "<h1>正文</h1>" if heading else "<p>正文</p>", "<p>页脚</p>")
        trusted = frame.fill(hard) == self._render(folder, meta, hard) and frame.fill(values) == written
        self.frames[key] = frame if trusted else None
