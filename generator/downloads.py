"""Open data written by every build: CSV (UTF-8 with BOM, so Excel opens it) and the same as JSON.

The columns are a public contract, described once in `datapackage` (which also documents them on 数据下载).
"""
from __future__ import annotations

import csv
import io

from . import jsonfile
from .datapackage import DEPARTMENTS, DOCUMENTS, INDICATORS, ITEMS, JOIN, NOTES, Table
from .model import Corpus, Department, Node
from .text import GAP_MARK, GAP_TEXT

# Indicator values copied as printed from the data's `indicator` mapping.
INDICATOR_VALUES = ["unit", "baseline_year", "baseline", "target_year", "target", "increase", "attribute", "note"]


def plain_text(node: Node) -> str:
    """The full official wording of an item as plain text, one paragraph per line."""
    return node.wording.replace(GAP_MARK, GAP_TEXT)


def document_rows(corpus: Corpus) -> list[dict]:
    return [{"id": d.id, "title": d.title, "issuer": d.issuer, "number": d.number, "date": d.date,
             "year": d.year, "url": d.url, "kind": d.kind} for d in corpus.documents]


def item_row(node: Node) -> dict:
    """An item's row of items.csv (also the core of its page's JSON)."""
    return {
        "document": node.document.id,
        "kind": node.kind,
        "number": node.number,
        "title": node.display_title,  # printed, or derived from the opening words
        "text": plain_text(node),
        "lead": node.lead_role.department.name if node.lead_role else "",
        "departments": JOIN.join(r.department.name for r in node.responsible),
        "deadline": node.deadline,
        "parent": node.parent.url if node.parent else node.document.url,
        "url": node.url,
        "id": node.ref,
        "parent_id": node.parent.ref if node.parent else "",
    }


def item_rows(corpus: Corpus) -> list[dict]:
    return [item_row(node) for node in corpus.nodes]


# A department's part in an item, in the order its page lists them; shown in its CSV's first column.
ROLE_LABELS = {"lead": "牵头", "participant": "参与", "addressee": "落实举措的对象"}


def node_positions(corpus: Corpus) -> dict[int, tuple[int, int]]:
    """id(node) → (its document's place, its place in the document), to sort items as the site lists them."""
    return {id(node): (rank, index) for rank, document in enumerate(corpus.documents)
            for index, node in enumerate(document.nodes)}


def department_role_rows(department: Department, position: dict[int, tuple[int, int]]) -> tuple[list[dict], list[str]]:
    """The items that name one department, as its page lists them (by document, then lead, participant,
    addressee, then source order), each with its role: rows and columns of its CSV."""
    roles = {(id(r.node), "addressee" if r.as_addressee else "lead" if r.is_lead else "participant"): r.node
             for r in department.roles}
    role_order = list(ROLE_LABELS)
    keys = sorted(roles, key=lambda key: (position[key[0]][0], role_order.index(key[1]), position[key[0]][1]))
    rows = [{"role": ROLE_LABELS[role], **item_row(roles[(node, role)])} for node, role in keys]
    return rows, ["role", *ITEMS.column_names]


def indicator_rows(corpus: Corpus) -> list[dict]:
    return [
        {"document": n.document.id, "number": n.number, "name": n.title,
         **{k: n.indicator.get(k, "") for k in INDICATOR_VALUES}, "item": n.ref, "url": n.url}
        for n in corpus.nodes if n.kind == "indicator"
    ]


def note_rows(corpus: Corpus) -> list[dict]:
    """Every 校注: what readers see (public) and the technical trail behind it (reads, published, reason)."""
    owners = [(d, d.id, "", d.notes) for d in corpus.documents]
    owners += [(n.document, n.ref, n.ref, n.notes) for n in corpus.nodes]
    return [{"id": f"{owner}#{index}", "document": document.id, "item": item, "type": note.type, "reads": note.reads,
             "published": note.published, "public": note.public, "reason": note.reason}
            for document, owner, item, notes in owners for index, note in enumerate(notes, 1)]


def department_rows(corpus: Corpus) -> list[dict]:
    return [{
        "name": d.name, "full_name": d.full_name, "english": d.english, "category": d.category,
        "aliases": JOIN.join(d.aliases), "parent": d.parent.name if d.parent else "",
        "successor": d.successor.name if d.successor else "", "lead_count": d.lead_count,
        "named_count": d.named_count, "url": d.url, "id": d.id,
    } for d in corpus.departments]


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula, prefixed with ' (OWASP's advice) so it
    shows as the text it is; JSON keeps the exact text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict], columns: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_json(rows: list[dict]) -> bytes:
    return jsonfile.dumps(rows)


def downloads(corpus: Corpus) -> dict[str, bytes]:
    """Site path → file content for every published data file."""
    tables: list[tuple[Table, list[dict]]] = [
        (DOCUMENTS, document_rows(corpus)),
        (ITEMS, item_rows(corpus)),
        (INDICATORS, indicator_rows(corpus)),
        (DEPARTMENTS, department_rows(corpus)),
        (NOTES, note_rows(corpus)),
    ]
    files = {}
    for table, rows in tables:
        files[table.path] = to_csv(rows, table.column_names)
        files[f"downloads/{table.name}.json"] = to_json(rows)
    return files
