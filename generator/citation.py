"""How to cite a document or an item: GB/T 7714-2015 text for readers, CSL-JSON for reference managers."""
from __future__ import annotations

from . import jsonfile
from .model import Document, Node


def _date_parts(date: str) -> list[list[int]]:
    return [[int(part) for part in date.split("-")]] if date else []


def gbt7714(document: Document, node: Node | None, url: str, accessed: str) -> str:
    """主要责任者. 题名（文号）: 其他题名信息[EB/OL]. (发布日期)[引用日期]. 获取和访问路径.

    `accessed` is the date of citing (the page puts today's date there when a script runs)."""
    title = document.title + (f"（{document.number}）" if document.number else "")
    if node is not None:
        title += f": {node.heading.rstrip('。')}"
    published = f"({document.date})" if document.date else ""
    return f"{document.issuer}. {title}[EB/OL]. {published}[{accessed}]. {url}."


def _entry(document: Document, node: Node | None, url: str) -> dict:
    entry = {
        "id": node.ref if node is not None else document.id,
        "type": "legislation",  # CSL's type for official documents issued by a public authority
        "title": node.heading.rstrip("。") if node is not None else document.title,
        "author": [{"literal": document.issuer}],
        "authority": document.issuer,
        "number": document.number or None,
        "issued": {"date-parts": _date_parts(document.date)} if document.date else None,
        "URL": url,
        "language": "zh-Hans",
        "medium": "EB/OL",
    }
    if node is not None:
        entry["container-title"] = document.title
        entry["section"] = node.printed_number or None
    return {key: value for key, value in entry.items() if value is not None}


def csl_json(document: Document, absolute) -> bytes:
    """The document and every item with a page of its own, as CSL-JSON (`absolute`: site path → address)."""
    entries = [_entry(document, None, absolute(document.url))]
    entries += [_entry(document, n, absolute(n.url)) for n in document.nodes if n.has_page]
    return jsonfile.dumps(entries)
