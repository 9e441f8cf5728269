"""Titles for items printed without one: their own opening words, never a paraphrase.

A 2023 task or an untitled measure is titled by its text up to the first sentence break; a longer
opening is cut at the last clause break (or closing bracket) within about 30 characters and marked "…",
never inside 《…》, （…） or “…”.
"""
from __future__ import annotations

from .text import GAP_MARK

LIMIT = 30
SENTENCE_ENDS = "。；！？"
CLAUSE_BREAKS = "，、：；"
PAIRS = {"《": "》", "（": "）", "“": "”", "‘": "’", "〈": "〉", "(": ")"}
CLOSERS = set(PAIRS.values())
ELLIPSIS = "…"


def opening_words(text: str, limit: int = LIMIT) -> str:
    """The opening words of an item's first paragraph, as printed, for use as its title."""
    first = (text or "").split("\n", 1)[0].strip()
    gap = first.find(GAP_MARK)
    cut_by_gap = gap >= 0
    if cut_by_gap:
        first = first[:gap].rstrip("，、：；")
    end = next((i for i, ch in enumerate(first) if ch in SENTENCE_ENDS and _depth(first, i) == 0), None)
    sentence = first if end is None else first[:end]
    if len(sentence) <= limit:
        if end is not None and first[end] in "！？":
            return sentence + first[end]  # a question or exclamation keeps its mark
        more = (end is not None and first[end] == "；") or (end is None and cut_by_gap)
        return sentence + (ELLIPSIS if more else "")
    return _shorten(sentence, limit) + ELLIPSIS


def _depth(text: str, position: int) -> int:
    """How many brackets or quotes are open just before `position`."""
    stack: list[str] = []
    for ch in text[:position]:
        if ch in PAIRS:
            stack.append(PAIRS[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
    return len(stack)


def _shorten(sentence: str, limit: int) -> str:
    """Cut at the last clause break or closing bracket within the limit, outside any bracket."""
    best = 0
    for i, ch in enumerate(sentence[: limit + 1]):
        if ch in CLAUSE_BREAKS and _depth(sentence, i) == 0:
            best = i  # cut before the break
        elif ch in CLOSERS and i + 1 <= limit and _depth(sentence, i + 1) == 0:
            best = i + 1  # cut after the closing bracket
    if best >= limit // 3:
        return sentence[:best]
    # No break early enough: cut at the limit, before a bracket or quote that is still open there,
    # unless that bracket opens so early that little would remain (then cut inside it).
    cut = limit
    while cut > limit // 3 and _depth(sentence, cut) > 0:
        cut -= 1
    return sentence[:cut] if cut > limit // 3 else sentence[:limit]
