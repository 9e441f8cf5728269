"""A static full-text search index for Chinese: character bigrams with positions, in shards.

Why not the stock lunr index: it is one file fetched on every page (2 MB at 1,000 pages) and
its word segmentation misses campaign names (昆仑2023), acronyms (AIPPI) and whole phrases.
Here every page's text is normalised (NFKC, lower case, letters and digits only) and indexed by
overlapping character pairs with their positions, so the browser can verify an exact phrase.
Postings are split into shards by a hash of the pair; a query fetches only the shards of its
pairs, then the metadata blocks of the pages it shows. `assets/ipp-search.js` mirrors the
normalisation and the hash exactly.
"""
from __future__ import annotations

import json
import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

TITLE_OFFSET = 0  # title positions start at 0 …
BODY_OFFSET = 10_000  # … body positions here, so no phrase runs across the two (titles are shorter)
TARGET_SHARD_BYTES = 12_000
META_BLOCK = 16
SUMMARY_CHARS = 160


@dataclass
class SearchEntry:
    url: str
    title: str
    text: str
    context: str = ""  # e.g. the document a task belongs to
    summary: str = ""  # shown under the result; defaults to the start of the text


_KEEP: dict[str, bool] = {}


def normalise(text: str) -> str:
    """Letters and digits only (Unicode categories L and N), NFKC (full-width → half-width), lower case."""
    folded = unicodedata.normalize("NFKC", text).lower()
    keep = _KEEP
    result = []
    for c in folded:
        kept = keep.get(c)
        if kept is None:
            kept = keep[c] = unicodedata.category(c)[0] in "LN"
        if kept:
            result.append(c)
    return "".join(result)


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units (what JavaScript's charCodeAt sees)."""
    value = 0x811C9DC5
    data = text.encode("utf-16-le")
    for index in range(0, len(data), 2):
        value ^= data[index] | (data[index + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def _bigrams(text: str, offset: int):
    for index in range(len(text) - 1):
        yield text[index:index + 2], offset + index


def build_index(entries: list[SearchEntry]) -> dict[str, bytes]:
    """Site path → content for search/config.json, search/shard-N.json and search/meta-N.json."""
    postings: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for page_id, entry in enumerate(entries):
        for field, offset in ((entry.title[: BODY_OFFSET - 1], TITLE_OFFSET), (entry.text, BODY_OFFSET)):
            for bigram, position in _bigrams(normalise(field), offset):
                postings[bigram][page_id].append(position)

    encoded = {bigram: _encode(pages) for bigram, pages in postings.items()}
    # About 5 bytes per number once written as JSON: enough to size the shards.
    total = sum(8 + 5 * sum(len(entry) for entry in lists) for lists in encoded.values())
    shard_count = 1 << max(0, math.ceil(math.log2(max(1, total / TARGET_SHARD_BYTES))))
    shards: list[dict] = [{} for _ in range(shard_count)]
    for bigram, lists in encoded.items():
        shards[fnv1a(bigram) % shard_count][bigram] = lists

    files = {
        "search/config.json": _json({"version": 1, "shards": shard_count, "block": META_BLOCK,
                                     "pages": len(entries), "bodyOffset": BODY_OFFSET}),
    }
    for number, shard in enumerate(shards):
        files[f"search/shard-{number}.json"] = _json(shard)
    for start in range(0, len(entries), META_BLOCK):
        block = [[e.url, e.title, e.context, _summary(e.summary or e.text)] for e in entries[start:start + META_BLOCK]]
        files[f"search/meta-{start // META_BLOCK}.json"] = _json(block)
    return files


def _encode(pages: dict[int, list[int]]) -> list[list[int]]:
    """[[page, first position, delta, delta, …], …] with pages ascending."""
    result = []
    for page_id in sorted(pages):
        positions = sorted(pages[page_id])
        result.append([page_id, positions[0]] + [b - a for a, b in zip(positions, positions[1:])])
    return result


def _summary(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SUMMARY_CHARS else flat[:SUMMARY_CHARS] + "…"


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
