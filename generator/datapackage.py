"""The published tables, described once: columns, types, keys and allowed values (Frictionless Table Schema).

`downloads` writes its CSV and JSON in these columns; `site/downloads/datapackage.json` and the 数据下载
page are generated from the same description, so the files, the package and the page cannot disagree.
Columns are a public contract: they are added (at the end), never renamed or removed; every addition
raises the minor version.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass

from .model import CATEGORY_LABELS, DOCUMENT_KIND_LABELS, KIND_LABELS, Corpus

VERSION = "1.2.1"  # 1.0: the four tables; 1.1: keys (items.id, parent_id; indicators.item, url; …), documents.kind;
# 1.2: the notes table (校注); 1.2.1: the JSON files hold one record a line (the same values)
NAME = "ip-plans"
TITLE = "知识产权规划参考站开放数据"
DESCRIPTION = "国家知识产权规划、年度推进计划和任务清单的逐条结构化数据：文件、条目（含原文全文）、责任部门和主要指标。"
JOIN = "；"  # separator of several values in one cell


@dataclass(frozen=True)
class Column:
    name: str
    description: str  # for readers of 数据下载 (Chinese)
    type: str = "string"  # Table Schema type: string | integer | date
    required: bool = False
    unique: bool = False
    labels: dict | None = None  # allowed values (enum) → what they mean


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str  # "" for the same table
    target: str


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def path(self) -> str:
        return f"downloads/{self.name}.csv"


DOCUMENTS = Table(
    "documents", "文件", "收录的文件，每份一行。", (
        Column("id", "文件标识，也是其网址的第一段", required=True, unique=True),
        Column("title", "文件标题", required=True),
        Column("issuer", "发文机关", required=True),
        Column("number", "文号（来源未载时为空）"),
        Column("date", "发布日期，ISO 格式（来源未载时为空）", type="date"),
        Column("year", "发布年份", type="integer", required=True),
        Column("url", "文件页面的站内相对地址", required=True, unique=True),
        Column("kind", "文件类型", required=True, labels=DOCUMENT_KIND_LABELS),
    ), primary_key="id")

ITEMS = Table(
    "items", "条目", "各文件的章节和条目，每个一行，按原文顺序。", (
        Column("document", "所属文件的 id", required=True),
        Column("kind", "条目类型", required=True, labels=KIND_LABELS),
        Column("number", "原文编号；任务、专栏、指标为阿拉伯数字，章节为汉字数字；原文无编号的为空"),
        Column("title", "标题，照原文。原文不印标题的条目（2023年推进计划的任务、部分规划措施）由本站取其开头文字："
                        "到第一个句号为止，超过约30字时在分句处截断并加“…”；不是原文标题，也不改写原文", required=True),
        Column("text", "原文全文（纯文本，段落之间换行）；缺损处为“［原文缺损］”"),
        Column("lead", "牵头部门的规范名称；原文未指明牵头的为空"),
        Column("departments", f"全部责任部门的规范名称，按原文顺序，含牵头部门，以“{JOIN}”分隔"),
        Column("deadline", "完成时间，照原文"),
        Column("parent", "上级条目（或文件）的 url", required=True),
        Column("url", "条目页面或锚点的站内相对地址", required=True, unique=True),
        Column("id", "条目标识：文件 id 与条目在文件内的标识，以“/”相连；发布后不再改变", required=True, unique=True),
        Column("parent_id", "上级条目的 id；文件的第一层条目为空"),
    ), primary_key="id", foreign_keys=(
        ForeignKey("document", "documents", "id"),
        ForeignKey("parent_id", "", "id"),
        ForeignKey("lead", "departments", "name"),
    ))

DEPARTMENTS = Table(
    "departments", "部门", "部门名录及条目数，每个部门（或泛指主体）一行。", (
        Column("name", "规范名称（最新文件的写法）", required=True, unique=True),
        Column("full_name", "全称", required=True),
        Column("english", "英文名称"),
        Column("category", "类别", required=True, labels=CATEGORY_LABELS),
        Column("aliases", f"原文中的其他写法，以“{JOIN}”分隔"),
        Column("parent", "上级部门的规范名称"),
        Column("successor", "后继机构的规范名称（机构改革）"),
        Column("lead_count", "全部文件中牵头的条目数", type="integer", required=True),
        Column("named_count", "全部文件中列为责任部门的条目数（含牵头）", type="integer", required=True),
        Column("url", "部门页面的站内相对地址", required=True, unique=True),
        Column("id", "部门标识，也是其网址的最后一段；发布后不再改变", required=True, unique=True),
    ), primary_key="name", foreign_keys=(
        ForeignKey("parent", "", "name"),
        ForeignKey("successor", "", "name"),
    ))

INDICATORS = Table(
    "indicators", "主要指标", "规划的主要指标，每项一行。", (
        Column("document", "所属文件的 id", required=True),
        Column("number", "指标序号"),
        Column("name", "指标名称", required=True),
        Column("unit", "单位"),
        Column("baseline_year", "基期年份", type="integer"),
        Column("baseline", "基期值（照原文，“—”表示无）"),
        Column("target_year", "目标年份", type="integer"),
        Column("target", "目标值"),
        Column("increase", "累计增加值"),
        Column("attribute", "属性（预期性／约束性）"),
        Column("note", "原文注释"),
        Column("item", "该指标在 items.csv 中的 id", required=True, unique=True),
        Column("url", "指标所在页面的站内相对地址（含锚点）", required=True, unique=True),
    ), primary_key="item", foreign_keys=(
        ForeignKey("document", "documents", "id"),
        ForeignKey("item", "items", "id"),
    ))

NOTE_TYPE_LABELS = {"correction": "校正", "gap": "缺损", "editorial": "说明"}
NOTES = Table(
    "notes", "校注", "每条校注一行：页面上给读者的说明，以及编者的技术记录。", (
        Column("id", "校注标识：所在条目（或文件）的 id 加“#”和序号", required=True, unique=True),
        Column("document", "所属文件的 id", required=True),
        Column("item", "校注所在条目的 id；文件本身的校注为空"),
        Column("type", "校注类型", required=True, labels=NOTE_TYPE_LABELS),
        Column("reads", "所据文本此处的文字，照录"),
        Column("published", "本站发布的文字（删去时为空）"),
        Column("public", "页面上给读者的说明", required=True),
        Column("reason", "编者的技术记录（所据文本的文件、行号、数据字段）", required=True),
    ), primary_key="id", foreign_keys=(
        ForeignKey("document", "documents", "id"),
        ForeignKey("item", "items", "id"),
    ))

TABLES = (DOCUMENTS, ITEMS, DEPARTMENTS, INDICATORS, NOTES)
TYPE_LABELS = {"string": "文本", "integer": "整数", "date": "日期"}


def table_schema(table: Table) -> dict:
    fields = []
    for column in table.columns:
        field = {"name": column.name, "type": column.type, "description": column.description}
        constraints = {}
        if column.required:
            constraints["required"] = True
        if column.unique:
            constraints["unique"] = True
        if column.labels:
            constraints["enum"] = list(column.labels)
            field["description"] += "：" + "，".join(f"{code} {label}" for code, label in column.labels.items())
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""], "primaryKey": [table.primary_key]}
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [k.column], "reference": {"resource": k.table, "fields": [k.target]}}
            for k in table.foreign_keys
        ]
    return schema


def row_count(content: bytes) -> int:
    """Records in one of our CSV files (a cell may hold line breaks, so lines are not rows)."""
    return sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))) - 1


def descriptor(corpus: Corpus, files: dict[str, bytes], site_url: str = "") -> dict:
    """The Frictionless (tabular) data package describing the CSV files in `files`."""
    publication = corpus.publication
    licence = publication.data_licence
    package = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION + publication.official_texts,
        "version": VERSION,
        "licenses": [{"name": licence.id, "path": licence.url, "title": licence.name}],
        "sources": [{"title": "源代码与数据仓库", "path": publication.repository}] + [
            {"title": f"{d.issuer}：{d.title}" + (f"（{d.number}）" if d.number else "") + (f"，{d.date}" if d.date else "")}
            for d in corpus.documents
        ],
    }
    if site_url:
        package["homepage"] = site_url
    package["resources"] = []
    for table in TABLES:
        content = files[table.path]
        package["resources"].append({
            "name": table.name,
            "title": table.title,
            "description": table.description,
            "path": f"{table.name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(content),
            "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
            "rows": row_count(content),
            "schema": table_schema(table),
        })
    return package


def package_json(package: dict) -> bytes:
    return json.dumps(package, ensure_ascii=False, indent=1).encode("utf-8")
