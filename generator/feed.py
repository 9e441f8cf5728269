"""The Atom feed of data changes (site/feed.xml), written with ElementTree so every value is escaped XML text."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from .history import DataHistory

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
LIMIT = 50  # newest entries in the feed; the 更新记录 page lists them all
NO_HISTORY_DATE = "1970-01-01T00:00:00Z"  # Atom requires <updated>; a build without history has no date


def _id(*parts: str) -> str:
    """A stable id that needs no public address: a name-based UUID."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)).urn


def atom_feed(history: DataHistory | None, *, title: str, repository: str, link, entry_html) -> bytes:
    """`link(path)`: the public (or feed-relative) address of a site path; `entry_html(entry)`: its content."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-Hans"})

    def add(parent, tag, text=None, **attributes):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    entries = history.entries[:LIMIT] if history else []
    add(feed, "id", _id(repository, FEED_PATH))
    add(feed, "title", f"{title}：更新记录")
    add(feed, "subtitle", "数据的每次修改：新增或修改的文件、条目、校注和部门。" if history else
        "本次构建没有版本记录，无法列出数据的修改。")
    add(feed, "updated", entries[0].date if entries else NO_HISTORY_DATE)
    add(feed, "link", rel="self", href=link(FEED_PATH))
    add(feed, "link", rel="alternate", type="text/html", href=link("changes/"))
    author = add(feed, "author")
    add(author, "name", title)
    for entry in entries:
        item = add(feed, "entry")
        add(item, "id", _id(repository, "commit", entry.id))
        add(item, "title", entry.summary)
        add(item, "updated", entry.date)
        add(item, "link", rel="alternate", type="text/html", href=link(f"changes/#c-{entry.id[:12]}"))
        add(item, "content", entry_html(entry), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
