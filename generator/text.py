"""Small text rules shared by validation, fidelity checks and the model."""
from __future__ import annotations

import re

GAP_MARK = "⟦gap⟧"  # in YAML: where the source cannot be read
GAP_TEXT = "［原文缺损］"  # what readers see there
# Numbering templates say how a document prints a number: a small language of our own, never
# Python format code. {n} is the number as typed, {cn} an Arabic number in Chinese numerals
# (12 → 十二); {{ and }} print a brace. Anything else in braces is refused by validation.
DEFAULT_NUMBERING = {
    "chapter": "{n}、",
    "section": "（{n}）",
    "task": "{n}．",
    "column": "专栏{n}",
    "indicator": "{n}.",
    "measure": "{n}",
}
_TEMPLATE_PART = re.compile(r"\{\{|\}\}|\{[^{}]*\}|[{}]")
_DIGITS = "零一二三四五六七八九"
_WHITESPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Remove every kind of whitespace (PDF line breaks, ideographic spaces, padding)."""
    return _WHITESPACE.sub("", text or "")


def chinese_numeral(number: str) -> str:
    """12 → 十二, 20 → 二十, 105 → 一百零五 (1–9999); anything else as typed."""
    if not number.isascii() or not number.isdigit() or not 0 < int(number) < 10000:
        return number
    value, words, pending_zero = int(number), "", False
    for power, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // power % 10
        if digit:
            words += ("零" if pending_zero and words else "") + _DIGITS[digit] + unit
            pending_zero = False
        else:
            pending_zero = True
    return words[1:] if words.startswith("一十") else words


def template_problem(template) -> str:
    """Why a numbering template cannot be used, or '' when it can."""
    if not isinstance(template, str):
        return "must be text"
    placeholders = 0
    for part in _TEMPLATE_PART.findall(template):
        if part in ("{{", "}}"):
            continue
        if part not in ("{n}", "{cn}"):
            return f"'{part[:20]}' is not a placeholder: write {{n}} for the number, {{cn}} for it in Chinese numerals"
        placeholders += 1
    return "" if placeholders else "has no placeholder: write {n} where the number goes"


def fill_template(template: str, number: str) -> str:
    """The template with its placeholders replaced; unknown parts are printed as they are."""
    values = {"{n}": number, "{cn}": chinese_numeral(number), "{{": "{", "}}": "}"}
    return _TEMPLATE_PART.sub(lambda part: values.get(part[0], part[0]), template)


def printed_number(numbering: dict | None, kind: str, number: str) -> str:
    """A number as the document prints it, e.g. 专栏5, （十二）, 17．"""
    if not number:
        return ""
    return fill_template({**DEFAULT_NUMBERING, **(numbering or {})}.get(kind, "{n}"), number)
