"""Open data written by every build: CSV (UTF-8 with BOM, so Excel opens it) and the same as JSON.

The column lists are a public contract, documented on the site's data page (content/data.md).
"""
from __future__ import annotations

import csv
import io
import json

from .model import Corpus, Node
from .text import GAP_MARK, GAP_TEXT

JOIN = "；"

DOCUMENT_COLUMNS = ["id", "title", "issuer", "number", "date", "year", "url"]
ITEM_COLUMNS = ["document", "kind", "number", "title", "text", "lead", "departments", "deadline", "parent", "url"]
INDICATOR_COLUMNS = ["document", "number", "name", "unit", "baseline_year", "baseline", "target_year", "target",
                     "increase", "attribute", "note"]
DEPARTMENT_COLUMNS = ["name", "full_name", "english", "category", "aliases", "parent", "successor", "lead_count",
                      "named_count", "url"]


def plain_text(node: Node) -> str:
    """The full official wording of an item as plain text, one paragraph per line."""
    return node.wording.replace(GAP_MARK, GAP_TEXT)


def document_rows(corpus: Corpus) -> list[dict]:
    return [{"id": d.id, "title": d.title, "issuer": d.issuer, "number": d.number, "date": d.date,
             "year": d.year, "url": d.url} for d in corpus.documents]


def item_rows(corpus: Corpus) -> list[dict]:
    rows = []
    for node in corpus.nodes:
        responsible = node.responsible
        rows.append({
            "document": node.document.id,
            "kind": node.kind,
            "number": node.number,
            "title": node.display_title,  # printed, or derived from the opening words
            "text": plain_text(node),
            "lead": node.lead_role.department.name if node.lead_role else "",
            "departments": JOIN.join(r.department.name for r in responsible),
            "deadline": node.deadline,
            "parent": node.parent.url if node.parent else node.document.url,
            "url": node.url,
        })
    return rows


def indicator_rows(corpus: Corpus) -> list[dict]:
    return [
        {"document": n.document.id, "number": n.number, "name": n.title,
         **{k: n.indicator.get(k, "") for k in INDICATOR_COLUMNS[3:]}}
        for n in corpus.nodes if n.kind == "indicator"
    ]


def department_rows(corpus: Corpus) -> list[dict]:
    return [{
        "name": d.name, "full_name": d.full_name, "english": d.english, "category": d.category,
        "aliases": JOIN.join(d.aliases), "parent": d.parent.name if d.parent else "",
        "successor": d.successor.name if d.successor else "", "lead_count": d.lead_count,
        "named_count": d.named_count, "url": d.url,
    } for d in corpus.departments]


def to_csv(rows: list[dict], columns: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_json(rows: list[dict]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")


def downloads(corpus: Corpus) -> dict[str, bytes]:
    """Site path → file content for every published data file."""
    tables = {
        "documents": (document_rows(corpus), DOCUMENT_COLUMNS),
        "items": (item_rows(corpus), ITEM_COLUMNS),
        "indicators": (indicator_rows(corpus), INDICATOR_COLUMNS),
        "departments": (department_rows(corpus), DEPARTMENT_COLUMNS),
    }
    files = {}
    for name, (rows, columns) in tables.items():
        files[f"downloads/{name}.csv"] = to_csv(rows, columns)
        files[f"downloads/{name}.json"] = to_json(rows)
    return files
