"""Every page's data twin (JSON, a department's CSV) and its structured metadata (JSON-LD, OpenGraph),
read from the built site with frictionless and extruct and checked against the published CSV files."""
from __future__ import annotations

import json
from urllib.parse import urljoin

import extruct
import frictionless
import lxml.html
import pytest

from conftest import PUBLISHED_URL, read_csv

BASE = "https://example.org/site/"  # where a page is assumed to live, to resolve relative addresses


def _json(site, url: str):
    return json.loads((site / url / "index.json").read_text(encoding="utf-8"))


def _links_own_data(site, url: str, *names: str) -> bool:
    source = (site / url / "index.html").read_text(encoding="utf-8")
    return all(f'href="{name}"' in source for name in names)


def test_every_item_page_has_a_json_twin_matching_its_csv_row(site):
    rows = read_csv(site / "downloads" / "items.csv")
    by_id = {r["id"]: r for r in rows}
    paged = [r for r in rows if "#" not in r["url"]]
    assert len(paged) > 200
    twins = {}
    for row in paged:
        data = _json(site, row["url"])
        assert {key: str(data[key]) for key in row} == row, row["id"]
        assert [c["id"] for c in data["children"]] == [r["id"] for r in rows if r["parent_id"] == row["id"]]
        for link in data["children"] + data["implements"] + data["implemented_by"]:
            assert by_id[link["id"]]["url"] == link["url"]
        assert _links_own_data(site, row["url"], "index.json"), row["url"]
        twins[row["id"]] = data
    # implements and implemented_by are the same relation read from both ends
    pairs = {(row_id, link["id"]) for row_id, data in twins.items() for link in data["implements"]}
    backs = {(link["id"], row_id) for row_id, data in twins.items() for link in data["implemented_by"]}
    assert pairs and pairs == backs


def test_document_pages_have_a_json_twin(site):
    items = read_csv(site / "downloads" / "items.csv")
    for row in read_csv(site / "downloads" / "documents.csv"):
        data = _json(site, row["url"])
        assert {key: str(data[key]) for key in row} == row
        assert [c["id"] for c in data["children"]] == \
            [r["id"] for r in items if r["document"] == row["id"] and not r["parent_id"]]
        assert _links_own_data(site, row["url"], "index.json")


def test_department_pages_offer_their_items_as_json_and_csv(site):
    items = read_csv(site / "downloads" / "items.csv")
    by_id = {r["id"]: r for r in items}
    departments = read_csv(site / "downloads" / "departments.csv")
    for department in departments:
        name = department["name"]
        rows = read_csv(site / department["url"] / "items.csv")
        for row in rows:
            assert {k: v for k, v in row.items() if k != "role"} == by_id[row["id"]], (name, row["id"])
        lead = {r["id"] for r in rows if r["role"] == "牵头"}
        joined = {r["id"] for r in rows if r["role"] == "参与"}
        assert lead == {r["id"] for r in items if r["lead"] == name}, name
        assert joined == {r["id"] for r in items if name in r["departments"].split("；") and r["lead"] != name}, name
        assert len(lead) == int(department["lead_count"])
        data = _json(site, department["url"])
        assert {key: str(data[key]) for key in department} == department
        assert [(i["role"], i["id"]) for i in data["items"]] == [(r["role"], r["id"]) for r in rows]
        assert _links_own_data(site, department["url"], "index.json", "items.csv")
    assert any(read_csv(site / d["url"] / "items.csv") for d in departments)


def test_a_department_csv_keeps_the_items_contract(site):
    package = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    items = next(r for r in package["resources"] if r["name"] == "items")["schema"]
    role = {"name": "role", "type": "string", "constraints": {"required": True, "enum": ["牵头", "参与", "落实举措的对象"]}}
    schema = frictionless.Schema.from_descriptor({"fields": [role, *items["fields"]], "missingValues": [""],
                                                  "primaryKey": ["role", "id"]})
    for department in ("samr", "cnipa"):
        resource = frictionless.Resource(path="items.csv", basepath=str(site / "departments" / department), schema=schema)
        report = resource.validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def _extract(site, url: str) -> tuple[dict, dict]:
    """The page's JSON-LD nodes by type and its OpenGraph properties and Twitter card (<meta name=…>)."""
    source = (site / url / "index.html").read_text(encoding="utf-8")
    data = extruct.extract(source, base_url=BASE + url, syntaxes=["json-ld", "opengraph"])
    graph = [entity for block in data["json-ld"] for entity in block.get("@graph", [block])]
    by_type = {}
    for entity in graph:
        by_type.setdefault(entity["@type"], []).append(entity)
    og = {key: value for block in data["opengraph"] for key, value in block["properties"]}
    tree = lxml.html.fromstring(source)
    og.update({meta.get("name"): meta.get("content") for meta in tree.xpath("//head/meta[starts-with(@name, 'twitter:')]")})
    return by_type, og


def _resolve(url: str, relative: str) -> str:
    return urljoin(BASE + url, relative)


def _check_card(og: dict, title: str):
    assert og["og:title"] == og["twitter:title"] == title and og["og:locale"] == "zh_CN"
    assert og["og:description"] == og["twitter:description"] and og["twitter:card"] == "summary"


def _check_breadcrumbs(by_type: dict, labels: list[str], url: str):
    (crumbs,) = by_type["BreadcrumbList"]
    elements = crumbs["itemListElement"]
    assert [e["name"] for e in elements] == ["首页", *labels]
    assert [e["position"] for e in elements] == list(range(1, len(elements) + 1))
    assert _resolve(url, elements[0]["item"]) == BASE and _resolve(url, elements[-1]["item"]) == BASE + url


def test_a_document_page_describes_itself_as_legislation(site):
    row = next(r for r in read_csv(site / "downloads" / "documents.csv") if r["number"] and r["date"])
    items = read_csv(site / "downloads" / "items.csv")
    by_type, og = _extract(site, row["url"])
    (law,) = by_type["Legislation"]
    assert (law["name"], law["legislationIdentifier"], law["legislationDate"], law["legislationPassedBy"]["name"]) == \
        (row["title"], row["number"], row["date"], row["issuer"])
    assert _resolve(row["url"], law["@id"]) == BASE + row["url"]
    assert [_resolve(row["url"], part["@id"]) for part in law["hasPart"]] == \
        [BASE + r["url"] for r in items if r["document"] == row["id"] and not r["parent_id"]]
    _check_card(og, row["title"])
    _check_breadcrumbs(by_type, ["文件", law["alternateName"]], row["url"])


def test_an_item_page_describes_itself_as_part_of_its_document(site):
    rows = read_csv(site / "downloads" / "items.csv")
    row = next(r for r in rows if r["parent_id"] and "#" not in r["url"]
               and any(c["parent_id"] == r["id"] for c in rows))
    by_type, og = _extract(site, row["url"])
    (part,) = by_type["LegislationObject"]
    assert _resolve(row["url"], part["@id"]) == BASE + row["url"]
    assert _resolve(row["url"], part["isPartOf"]["@id"]) == BASE + row["parent"]
    assert [_resolve(row["url"], p["@id"]) for p in part["hasPart"]] == \
        [BASE + r["url"] for r in rows if r["parent_id"] == row["id"]]
    assert row["title"] in part["name"]
    assert og["og:title"].startswith(part["name"]) and og["og:type"] == "article"
    assert og["twitter:card"] == "summary"
    document = next(d for d in read_csv(site / "downloads" / "documents.csv") if d["id"] == row["document"])
    assert part["legislationPassedBy"]["name"] == document["issuer"]
    assert [e["name"] for e in by_type["BreadcrumbList"][0]["itemListElement"]][-1] == part["name"]


def test_a_department_page_describes_a_government_organisation(site):
    departments = {d["id"]: d for d in read_csv(site / "downloads" / "departments.csv")}
    unit = next(d for d in departments.values() if d["parent"])
    by_type, og = _extract(site, unit["url"])
    (organisation,) = by_type["GovernmentOrganization"]
    assert (organisation["name"], organisation["legalName"]) == (unit["name"], unit["full_name"])
    parent = next(d for d in departments.values() if d["name"] == unit["parent"])
    assert _resolve(unit["url"], organisation["parentOrganization"]["@id"]) == BASE + parent["url"]
    _check_card(og, unit["name"])
    _check_breadcrumbs(by_type, ["部门", unit["name"]], unit["url"])


def test_every_page_has_structured_data_and_a_link_preview(site):
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 300
    for page in pages:
        url = page.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        by_type, og = _extract(site, url)
        assert "BreadcrumbList" in by_type and og.get("og:title") and og.get("twitter:card"), url


@pytest.mark.parametrize("url", ["plan-2023/", "departments/samr/", ""])
def test_a_published_build_uses_full_addresses(published_site, url):
    by_type, og = _extract(published_site, url)
    assert og["og:url"] == PUBLISHED_URL + url
    main = next(e for kind, entities in by_type.items() if kind != "BreadcrumbList" for e in entities)
    assert main["@id"] == PUBLISHED_URL + url
