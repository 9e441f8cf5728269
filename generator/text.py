"""Small text rules shared by validation, fidelity checks and the model."""
from __future__ import annotations

import re

GAP_MARK = "⟦gap⟧"  # in YAML: where the source cannot be read
GAP_TEXT = "［原文缺损］"  # what readers see there
DEFAULT_NUMBERING = {
    "chapter": "{}、",
    "section": "（{}）",
    "task": "{}．",
    "column": "专栏{}",
    "indicator": "{}.",
    "measure": "{}",
}
_WHITESPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Remove every kind of whitespace (PDF line breaks, ideographic spaces, padding)."""
    return _WHITESPACE.sub("", text or "")


def printed_number(numbering: dict | None, kind: str, number: str) -> str:
    """A number as the document prints it, e.g. 专栏5, （十二）, 17．"""
    if not number:
        return ""
    return {**DEFAULT_NUMBERING, **(numbering or {})}.get(kind, "{}").format(number)
