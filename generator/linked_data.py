"""What a page says about itself to machines: schema.org JSON-LD, its own JSON twin, its department's CSV.

JSON-LD types: a document is a `Legislation` (legislationIdentifier = 文号, legislationDate, legislationPassedBy),
its parts are `LegislationObject`s tied by isPartOf / hasPart; a department is a `GovernmentOrganization`; every
page has a `BreadcrumbList`. `link` turns a site path into the address used in the data (absolute with a
site_url, else relative to the page).
"""
from __future__ import annotations

import functools
import json
from typing import Callable

from . import jsonfile
from .downloads import department_role_rows, department_rows, document_rows, item_row, node_positions, to_csv
from .model import Corpus, Department, Document, Node

CONTEXT = "https://schema.org"
JSON_NAME = "index.json"  # a page's data twin sits beside its index.html
CSV_NAME = "items.csv"  # a department's items, for spreadsheets
Link = Callable[[str], str]


def breadcrumbs(trail: list[tuple[str, str]], link: Link) -> dict:
    """trail: (site path, label) from the home page down to this page."""
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": position, "name": label, "item": link(url)}
        for position, (url, label) in enumerate([("", "首页"), *trail], 1)
    ]}


def _issuer(document: Document) -> dict:
    return {"@type": "GovernmentOrganization", "name": document.issuer}


PARTS_LISTED = 100


def document_entity(document: Document, link: Link) -> dict:
    entity = {
        "@type": "Legislation", "@id": link(document.url), "url": link(document.url), "name": document.title,
        "alternateName": document.short_title, "legislationType": document.kind_label,
        "legislationPassedBy": _issuer(document), "inLanguage": "zh-Hans",
        # The parts (at most PARTS_LISTED: the page's <head> stays small however long the document;
        # its JSON twin lists them all).
        "hasPart": [_part_reference(n, link) for n in document.sections[:PARTS_LISTED]],
    }
    if document.number:
        entity["legislationIdentifier"] = document.number
    if document.date:
        entity["legislationDate"] = document.date
    return entity


def _part_reference(node: Node, link: Link) -> dict:
    return {"@type": "LegislationObject", "@id": link(node.url), "name": node.heading}


def node_entity(node: Node, link: Link) -> dict:
    document = node.document
    parent = _part_reference(node.parent, link) if node.parent else {
        "@type": "Legislation", "@id": link(document.url), "name": document.title}
    entity = {
        "@type": "LegislationObject", "@id": link(node.url), "url": link(node.url), "name": node.heading,
        "description": node.summary, "inLanguage": "zh-Hans", "isPartOf": parent,
        "legislationPassedBy": _issuer(document),
        "legislationJurisdiction": "CN",
    }
    if document.date:
        entity["legislationDate"] = document.date
    if node.children:
        entity["hasPart"] = [_part_reference(c, link) for c in node.children]
    if node.implements:
        entity["legislationApplies"] = [_part_reference(n, link) for n in node.implements]
    responsible = [r.department for r in node.responsible]
    if responsible:
        entity["mentions"] = [_organisation_reference(d, link) for d in dict.fromkeys(responsible)]
    return entity


def _organisation_reference(department: Department, link: Link) -> dict:
    return {"@type": _organisation_type(department), "@id": link(department.url), "name": department.name}


def _organisation_type(department: Department) -> str:
    # Generic actors (有关部门, 各地区 …) are not one organisation.
    return "Organization" if department.category == "generic" else "GovernmentOrganization"


def department_entity(department: Department, link: Link) -> dict:
    entity = {
        "@type": _organisation_type(department), "@id": link(department.url), "url": link(department.url),
        "name": department.name, "legalName": department.full_name,
        "alternateName": [n for n in dict.fromkeys([department.full_name, *department.aliases, department.english])
                          if n and n != department.name],
    }
    if department.parent:
        entity["parentOrganization"] = _organisation_reference(department.parent, link)
    if department.units:
        entity["subOrganization"] = [_organisation_reference(u, link) for u in department.units]
    return entity


def web_page(url: str, title: str, description: str, link: Link) -> dict:
    entity = {"@type": "WebPage", "@id": link(url), "url": link(url), "name": title, "inLanguage": "zh-Hans"}
    if description:
        entity["description"] = description
    return entity


def json_ld(*entities: dict) -> str:
    """A script body that is safe inside <script>: no "<", ">" or "&" can end it or start markup."""
    text = json.dumps({"@context": CONTEXT, "@graph": list(entities)}, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# -- data twins --------------------------------------------------------------------------------------------
def _link(node: Node) -> dict:
    return {"id": node.ref, "url": node.url, "title": node.heading}


def node_json(node: Node) -> dict:
    """An item's row of items.csv, plus its links."""
    return {**item_row(node), "children": [_link(c) for c in node.children],
            "implements": [_link(n) for n in node.implements],
            "implemented_by": [_link(n) for n in node.implemented_by]}


class Twins:
    """The JSON twin of every document, item and department page, and each department's CSV, made
    one page at a time (by whichever process writes the page): site path → content."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus

    @functools.cached_property
    def _documents(self) -> dict[str, dict]:
        return {row["id"]: row for row in document_rows(self.corpus)}

    @functools.cached_property
    def _departments(self) -> dict[str, dict]:
        return {row["id"]: row for row in department_rows(self.corpus)}

    @functools.cached_property
    def _position(self) -> dict[int, tuple[int, int]]:
        return node_positions(self.corpus)

    def document(self, document: Document) -> dict[str, bytes]:
        return {document.url + JSON_NAME: jsonfile.dumps({**self._documents[document.id],
                                                          "children": [_link(n) for n in document.sections]})}

    def node(self, node: Node) -> dict[str, bytes]:
        return {node.url + JSON_NAME: jsonfile.dumps(node_json(node))}

    def department(self, department: Department) -> dict[str, bytes]:
        roles, columns = department_role_rows(department, self._position)
        items = [{key: row[key] for key in ("role", "id", "url", "title")} for row in roles]
        return {department.url + JSON_NAME: jsonfile.dumps({**self._departments[department.id], "items": items}),
                department.url + CSV_NAME: to_csv(roles, columns)}
