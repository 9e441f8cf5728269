"""What changed in the data, commit by commit, in words a reader understands: the 更新记录 page, the Atom feed
and, on every item page, the date its wording last changed. Derived from version control (`vcs.history`):
each commit's YAML before and after is compared item by item (by id), so nothing about a change is typed twice.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from . import vcs

PATHS = ("documents", "departments.yml", "topics.yml")
# Which fields of an item make up which aspect of a change, as readers name it.
ASPECTS = {
    "wording": ("number", "title", "text", "measures"),
    "duty": ("lead", "participants", "responsibility", "deadline"),
    "indicator": ("indicator",),
    "links": ("implements", "belongs_to"),
    "notes": ("notes",),
}
ACTION_LABELS = {"added": "新增", "removed": "删除"}
ASPECT_LABELS = {"wording": "文字", "duty": "责任部门或时限", "indicator": "指标数值", "links": "关联", "notes": "校注"}
DOCUMENT_FIELDS = ("title", "short_title", "kind", "issuer", "number", "date", "year", "period", "excerpt")
REGISTRIES = {"departments.yml": "部门名录", "topics.yml": "专题"}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BEIJING = timezone(timedelta(hours=8))  # readers' time: dates and times are shown in Beijing time


def beijing(iso: str) -> str:
    """An ISO 8601 time with any offset → the same moment in Beijing time, "YYYY-MM-DD HH:MM"."""
    return datetime.fromisoformat(iso).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


@dataclass
class ItemChange:
    ref: str  # <document>/<item id>
    action: str  # added | removed | changed
    aspects: list[str] = field(default_factory=list)  # keys of ASPECTS, for "changed"
    label: str = ""  # how the item read in the data (for an item no longer published)

    @property
    def what(self) -> str:
        if self.action in ACTION_LABELS:
            return ACTION_LABELS[self.action]
        return "、".join(ASPECT_LABELS[a] for a in self.aspects) + "有改动"


@dataclass
class DocumentChange:
    id: str
    title: str
    action: str  # added | removed | changed
    details: list[str] = field(default_factory=list)  # document-level changes in words
    items: list[ItemChange] = field(default_factory=list)


@dataclass
class Entry:
    """The visible changes one commit made to the data."""

    id: str
    date: str  # ISO 8601
    documents: list[DocumentChange]
    registries: list[str]  # 部门名录 / 专题 changes in words

    @property
    def local(self) -> str:
        return beijing(self.date)

    @property
    def summary(self) -> str:
        return "；".join([_document_summary(d) for d in self.documents] + self.registries)


@dataclass
class DataHistory:
    entries: list[Entry]  # newest first
    complete: bool  # False when the history is cut short (shallow clone): the oldest changes are unknown
    text_dates: dict[str, str]  # item ref → day its wording was last added or changed


@functools.lru_cache(maxsize=256)
def _parse(content: bytes | None):
    if content is None:
        return None
    try:
        return yaml.load(content, Loader=_Loader)
    except yaml.YAMLError:
        return None  # a commit may hold broken data; it simply shows no item-level changes


def _items(document) -> dict[str, dict]:
    items = {}

    def walk(nodes):
        for node in nodes or []:
            if isinstance(node, dict) and "id" in node:
                items[str(node["id"])] = node
                walk(node.get("children"))

    walk(document.get("sections") if isinstance(document, dict) else None)
    return items


def _label(node: dict) -> str:
    text = str(node.get("title") or node.get("text") or "").split("\n")[0]
    return text if len(text) <= 24 else text[:24] + "…"


def _document_change(path: str, before, after) -> DocumentChange | None:
    current = after if isinstance(after, dict) else before if isinstance(before, dict) else None
    if current is None:
        return None
    doc_id = str(current.get("id") or Path(path).stem)
    title = str(current.get("title") or doc_id)
    if not isinstance(before, dict):
        return DocumentChange(doc_id, title, "added", items=[ItemChange(f"{doc_id}/{i}", "added")
                                                              for i in _items(after)])
    if not isinstance(after, dict):
        return DocumentChange(doc_id, title, "removed")
    change = DocumentChange(doc_id, title, "changed")
    if any(before.get(f) != after.get(f) for f in DOCUMENT_FIELDS):
        change.details.append("文件信息")
    if any(before.get(f) != after.get(f) for f in ("preamble", "closing")):
        change.details.append("序言或结尾的文字")
    if before.get("notes") != after.get("notes"):
        change.details.append("文件校注")
    old, new = _items(before), _items(after)
    for item_id, node in new.items():
        if item_id not in old:
            change.items.append(ItemChange(f"{doc_id}/{item_id}", "added"))
            continue
        aspects = [aspect for aspect, fields in ASPECTS.items()
                   if any(old[item_id].get(f) != node.get(f) for f in fields)]
        if aspects:
            change.items.append(ItemChange(f"{doc_id}/{item_id}", "changed", aspects))
    change.items += [ItemChange(f"{doc_id}/{i}", "removed", label=_label(old[i])) for i in old if i not in new]
    return change if change.details or change.items else None


def _registry_change(path: str, before, after) -> str:
    """One line on the department registry or the topics, e.g. 部门名录：新增 国家数据局；修改 市场监管总局."""
    def entries(data):
        return {str(e["id"]): e for e in data or [] if isinstance(e, dict) and "id" in e} if isinstance(data, list) else {}

    old, new = entries(before), entries(after)
    parts = []
    for verb, names in (("新增", [new[i].get("name", i) for i in new if i not in old]),
                        ("修改", [new[i].get("name", i) for i in new if i in old and old[i] != new[i]]),
                        ("删除", [old[i].get("name", i) for i in old if i not in new])):
        if names:
            parts.append(f"{verb}{'、'.join(str(n) for n in names[:5])}" + (f"等{len(names)}项" if len(names) > 5 else ""))
    return f"{REGISTRIES[path]}：{'，'.join(parts)}" if parts else ""


def _document_summary(change: DocumentChange) -> str:
    if change.action == "added":
        return f"新增文件《{change.title}》（{len(change.items)}条）"
    if change.action == "removed":
        return f"删除文件《{change.title}》"
    parts = [f"修改{d}" for d in change.details]
    added = sum(1 for i in change.items if i.action == "added")
    removed = sum(1 for i in change.items if i.action == "removed")
    if added:
        parts.append(f"新增{added}条")
    if removed:
        parts.append(f"删除{removed}条")
    for aspect, label in ASPECT_LABELS.items():
        count = sum(1 for i in change.items if aspect in i.aspects)
        if count:
            parts.append(f"{count}条的{label}有改动")
    return f"《{change.title}》：{'，'.join(parts)}"


def data_history(folder: Path) -> DataHistory | None:
    """The data's history from version control; None when the build has none (a tarball, no git)."""
    log = vcs.history(folder, PATHS)
    if log is None:
        return None
    entries, text_dates = [], {}
    commits = list(reversed(log.commits))  # oldest first, so later changes win
    for index, commit in enumerate(commits):
        documents, registries = [], []
        for file in commit.changes:
            before, after = _parse(file.before), _parse(file.after)
            if file.path in REGISTRIES:
                line = _registry_change(file.path, before, after)
                registries += [line] if line else []
            elif file.path.startswith("documents/") and file.path.endswith(".yml"):
                change = _document_change(file.path, before, after)
                documents += [change] if change else []
        if index == 0 and not log.complete:
            continue  # a shallow clone's oldest commit shows everything as new: not a real change
        for change in documents:
            for item in change.items:
                if item.action == "added" or "wording" in item.aspects:
                    text_dates[item.ref] = beijing(commit.date)[:10]
        if documents or registries:
            entries.append(Entry(commit.id, commit.date, documents, registries))
    return DataHistory(list(reversed(entries)), log.complete, text_dates)
