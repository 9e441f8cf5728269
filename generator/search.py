"""A static full-text search index for Chinese: character pairs, in shards, verified as phrases.

Why not the stock lunr index: it is one file fetched on every page (2 MB at 1,000 pages) and
its word segmentation misses campaign names (昆仑2023), acronyms (AIPPI) and whole phrases.
Every page's text is normalised (NFKC, lower case, letters and digits only) and indexed by
overlapping character pairs. A pair found on few pages keeps its positions, so the browser can
check an exact phrase from the index alone; a common pair (知识, 产权 …) keeps only the list of its
pages plus its positions in titles, so its size grows with the pages, not with every occurrence.
Where a query has common pairs, the browser reads the candidate pages' own text files
(search/page/N.json, which also give the result's title and snippet) and keeps the pages that
really contain the query. Pairs are split into shards by a hash; a query fetches only its
pairs' shards. `assets/ipp-search.js` mirrors the normalisation and the hash exactly.
"""
from __future__ import annotations

import json
import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

TITLE_OFFSET = 0  # title positions start at 0 …
BODY_OFFSET = 10_000  # … body positions here, so no phrase runs across the two (titles are shorter)
TARGET_SHARD_BYTES = 4_000  # small shards: a common pair (20 KB at 30×) carries few strangers
POSITIONAL_PAGES = 48  # a pair on more pages than this keeps only its page list (and title positions)


@dataclass
class SearchEntry:
    url: str
    title: str
    text: str
    context: str = ""  # e.g. the document a task belongs to


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
    """Site path → content for search/config.json, search/shard-N.json and search/page/N.json."""
    postings: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for page_id, entry in enumerate(entries):
        for field, offset in ((entry.title[: BODY_OFFSET - 1], TITLE_OFFSET), (entry.text, BODY_OFFSET)):
            for bigram, position in _bigrams(normalise(field), offset):
                postings[bigram][page_id].append(position)

    encoded = {bigram: _encode_pair(pages) for bigram, pages in postings.items()}
    # About 4 bytes per number once written as JSON: enough to size the shards.
    total = sum(8 + 4 * _numbers(value) for value in encoded.values())
    shard_count = 1 << max(0, math.ceil(math.log2(max(1, total / TARGET_SHARD_BYTES))))
    shards: list[dict] = [{} for _ in range(shard_count)]
    for bigram, value in encoded.items():
        shards[fnv1a(bigram) % shard_count][bigram] = value

    files = {
        "search/config.json": _json({"version": 2, "shards": shard_count, "pages": len(entries),
                                     "bodyOffset": BODY_OFFSET}),
    }
    for number, shard in enumerate(shards):
        files[f"search/shard-{number}.json"] = _json(shard)
    for page_id, entry in enumerate(entries):
        files[f"search/page/{page_id}.json"] = _json([entry.url, entry.title, entry.context, entry.text])
    return files


def _encode_pair(pages: dict[int, list[int]]):
    """A rare pair: [[page, first position, delta, …], …]. A common pair:
    {"p": [first page, delta, …], "t": positions in titles, as for a rare pair}."""
    if len(pages) <= POSITIONAL_PAGES:
        return _encode(pages)
    ids = sorted(pages)
    titles = {page: [p for p in pages[page] if p < BODY_OFFSET] for page in ids}
    return {"p": [ids[0]] + [b - a for a, b in zip(ids, ids[1:])],
            "t": _encode({page: positions for page, positions in titles.items() if positions})}


def _encode(pages: dict[int, list[int]]) -> list[list[int]]:
    """[[page, first position, delta, delta, …], …] with pages ascending."""
    result = []
    for page_id in sorted(pages):
        positions = sorted(pages[page_id])
        result.append([page_id, positions[0]] + [b - a for a, b in zip(positions, positions[1:])])
    return result


def _numbers(value) -> int:
    if isinstance(value, dict):
        return len(value["p"]) + _numbers(value["t"])
    return sum(len(entry) for entry in value)


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
