"""Parse the standard format of the annual 推进计划 (implementation plan) into a document tree.

The format: a title, a preamble, parts `一、…`, optional groups `（一）…`, numbered tasks
`N．text（部门、部门按职责分工负责）` wrapped at any width, then a closing paragraph. Full- and
half-width punctuation are both accepted; the wording is kept exactly as printed.

Every problem is collected with the input's line number; nothing here raises on bad text.
The command around it (reading, departments, sources, writing) is `generator.importer_command`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .load import walk_raw
from .text import DEFAULT_NUMBERING

NUMERALS = "一二三四五六七八九十"
PART = re.compile(rf"^([{NUMERALS}]+)、(.*)$")
GROUP = re.compile(rf"^([（(])([{NUMERALS}]+)([）)])(.*)$")
# A task number is digits and a stop; a digit right after the stop is a decimal (3.5万件), not a task.
TASK = re.compile(r"^(\d+)([．.、])(?!\d)(.*)$")
# The responsibility bracket that closes a task, full- or half-width.
DUTY = re.compile(r"[（(]([^（）()]*负责)[）)]$")
CLOSING_START = "上述各项任务分工中"
PAGE_NUMBER = re.compile(r"^[-—－]\s*\d+\s*[-—－]$")  # page furniture of a PDF extraction: — 3 —
SEPARATORS = re.compile(r"[、，,；;]")

# PDF extraction pads Chinese with spaces ("2023 年"); spaces next to CJK text carry no meaning.
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…]"
_CJK_SPACE = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")


@dataclass
class ParsedPlan:
    title: str = ""
    preamble: str = ""
    closing: str = ""
    sections: list = field(default_factory=list)
    numbering: dict = field(default_factory=dict)  # only the forms that differ from the defaults
    problems: list = field(default_factory=list)  # (line, message) of the input
    lines: dict = field(default_factory=dict)  # node id → [(input line, offset in its text where the line starts)]
    page_furniture: bool = False
    forms: dict = field(default_factory=lambda: {"task": {}, "section": {}})  # printed form → first line

    def line_of(self, node_id: str, offset: int = 0) -> int:
        """The input line that holds character `offset` of a node's text (or its heading)."""
        return max((line for line, start in self.lines[node_id] if start <= offset), default=self.lines[node_id][0][0])

    def tasks(self) -> list[dict]:
        return [node for node, _ in walk_raw(self.sections) if node["kind"] == "task"]


def numeral_value(numeral: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23."""
    if "十" not in numeral:
        return NUMERALS.index(numeral) + 1 if len(numeral) == 1 else 0
    tens, _, units = numeral.partition("十")
    return (NUMERALS.index(tens) + 1 if tens else 1) * 10 + (NUMERALS.index(units) + 1 if units else 0)


def clean_lines(text: str) -> list[tuple[int, str]]:
    """(input line number, line without padding) of every non-blank line."""
    result = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = _CJK_SPACE.sub("", line.strip())
        if line:
            result.append((number, line))
    return result


def split_duty(bracket: str) -> tuple[str, list[str]]:
    """Lead and participants of a responsibility bracket's content, as data/README.md defines them.

    （A负责）, （A、B负责）, （A、B按职责分工负责）: the first listed leads (the 推进计划's rule);
    （A牵头，B、C等按职责分工负责）: A leads; （A、B等按职责分工负责）: no lead.
    """
    names = bracket.removesuffix("负责").removesuffix("按职责分工").removesuffix("分别")
    lead = ""
    if "牵头" in names:
        lead, _, names = names.partition("牵头")
        lead = lead.strip()
        names = names.lstrip("，,、 ")
    elif names.endswith("等"):
        listed = [n.strip() for n in SEPARATORS.split(names.removesuffix("等")) if n.strip()]
        return "", listed
    listed = [n.strip() for n in SEPARATORS.split(names.removesuffix("等")) if n.strip()]
    if not lead and listed:
        lead, listed = listed[0], listed[1:]
    return lead, listed


def duty_of(text: str) -> tuple[str, list[str]] | None:
    match = DUTY.search(text)
    return split_duty(match[1]) if match else None


def parse_plan(text: str) -> ParsedPlan:
    plan = ParsedPlan()
    lines = clean_lines(text)
    if not lines:
        plan.problems.append((1, "the text is empty"))
        return plan
    body = _title(lines, plan)
    _structure(body, plan)
    _departments(plan)
    _numbering_forms(plan)
    for part in plan.sections:
        if not part["children"]:
            del part["children"]
    return plan


def _title(lines, plan: ParsedPlan):
    """The title is the first lines up to the one that ends in 计划 (推进计划, 实施计划)."""
    title = ""
    for index, (_, line) in enumerate(lines[:4]):
        title += line
        if title.endswith("计划"):
            plan.title = title
            return lines[index + 1:]
    plan.problems.append((lines[0][0], "no title ending in 计划 within the first four lines"))
    return lines


def _structure(lines, plan: ParsedPlan):
    preamble, closing = [], []
    current: dict | None = None  # the block that continuation lines extend
    last_task = position = 0  # the last printed task number, and how many tasks so far

    def complete() -> bool:
        """Whether a new structural line may start here (not inside a task's wrapped text)."""
        return current is None or current["kind"] != "task" or DUTY.search(current["text"]) is not None

    for number, line in lines:
        if PAGE_NUMBER.match(line):
            plan.page_furniture = True
            continue
        if closing:
            if TASK.match(line) and int(TASK.match(line)[1]) == last_task + 1 and DUTY.search(line):
                plan.problems.append((number, f"task {TASK.match(line)[1]} after the closing paragraph"))
            closing.append(line)
            continue
        part, group, task = PART.match(line), GROUP.match(line), TASK.match(line)
        parts = plan.sections
        if part and (complete() or numeral_value(part[1]) == len(parts) + 1):
            if numeral_value(part[1]) != len(parts) + 1:
                plan.problems.append((number, f"part {part[1]} follows part {parts[-1]['number'] if parts else '(none)'}: numbering broken"))
            current = {"id": f"p-{len(parts) + 1}", "kind": "chapter", "number": part[1], "title": part[2], "children": []}
            parts.append(current)
            plan.lines[current["id"]] = [(number, 0)]
        elif group and parts and (complete() or _next_group(parts[-1]) == numeral_value(group[2])):
            owner = parts[-1]
            expected = _next_group(owner)
            if numeral_value(group[2]) != expected:
                plan.problems.append((number, f"group （{group[2]}） of part {owner['number']} should be （{_numeral(expected)}）: numbering broken"))
            plan.forms["section"].setdefault(group[1] + group[3], number)
            current = {"id": f"{owner['id']}-{expected}", "kind": "section", "number": group[2], "title": group[4],
                       "children": []}
            owner["children"].append(current)
            plan.lines[current["id"]] = [(number, 0)]
        elif task and parts and (complete() or int(task[1]) in (last_task + 1, position + 1)):
            value = int(task[1])
            position += 1
            if value not in (last_task + 1, position):  # one misprint is one problem, not a cascade
                plan.problems.append((number, f"task {task[1]} follows task {last_task}: numbering broken (expected {last_task + 1})"))
            last_task = value
            plan.forms["task"].setdefault(task[2], number)
            owner = parts[-1]
            if owner["children"] and owner["children"][-1]["kind"] == "section":
                owner = owner["children"][-1]
            current = {"id": f"t-{position}", "kind": "task", "number": task[1], "text": task[3]}
            owner["children"].append(current)
            plan.lines[current["id"]] = [(number, 0)]
        elif current is None:
            preamble.append(line)
        elif line.startswith(CLOSING_START) or (current["kind"] == "task" and complete()):
            closing.append(line)
        else:
            key = "text" if current["kind"] == "task" else "title"
            plan.lines[current["id"]].append((number, len(current[key])))
            current[key] += line

    if not plan.sections:
        plan.problems.append((lines[0][0] if lines else 1, "no part heading (一、…) found"))
    plan.preamble = "".join(preamble)
    plan.closing = "".join(closing)


def _next_group(part: dict) -> int:
    return sum(1 for c in part["children"] if c["kind"] == "section") + 1


def _numeral(value: int) -> str:
    if value <= 10:
        return NUMERALS[value - 1]
    tens, units = divmod(value, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[units - 1] if units else "")


def _departments(plan: ParsedPlan):
    for node in plan.tasks():
        duty = duty_of(node["text"])
        if duty is None:
            plan.problems.append((plan.line_of(node["id"], len(node["text"])), f"task {node['number']}: no closing responsibility bracket （…负责）"))
            continue
        lead, participants = duty
        if lead:
            node["lead"] = lead
        if participants:
            node["participants"] = participants


DEFAULT_FORMS = {"task": "．", "section": "（）"}


def _numbering_forms(plan: ParsedPlan):
    """The numbering templates the document needs, so its numbers print as the source prints them."""
    for kind, seen in plan.forms.items():
        if len(seen) > 1:
            first, *others = sorted(seen.items(), key=lambda item: item[1])
            for form, line in others:
                plan.problems.append((line, f"{kind} number printed with '{form}' but earlier ones (line {first[1]}) with "
                                            f"'{first[0]}': one document prints its numbers one way"))
        if seen:
            form = min(seen.items(), key=lambda item: item[1])[0]
            if form != DEFAULT_FORMS[kind]:
                plan.numbering[kind] = numbering_template(kind, form)


def numbering_template(kind: str, form: str) -> str:
    """The `numbering` value for a printed form: task '.' → '{}.', section '()' → '({})', written with
    the placeholder the default templates use (so it is always what validation accepts)."""
    placeholder = DEFAULT_NUMBERING["task"].removesuffix("．")
    if kind == "section":
        return form[0] + placeholder + form[1]
    return placeholder + form
