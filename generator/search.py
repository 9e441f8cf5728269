"""A static full-text search index for Chinese whose cost per query stays flat as the corpus grows.

Every page's text is normalised (NFKC, lower case, letters and digits only) and indexed by
character n-grams of adaptive length:

- every pair is indexed; a gram found on more than `threshold` pages (a fixed share of the
  pages) is *common*: it keeps only its page list, and its one-character extensions, to the
  right and to the left, are indexed too (知识 → 知识产 → 知识产权 → … until the gram is rare);
- every other indexed gram is *rare*: it keeps its positions, on at most `threshold` pages.

So any phrase has an exact answer from a few small entries: a common phrase is its own page
list; a rare one is covered by rare grams (the shortest rare gram from each start, and the
phrase's tail once its shorter tail is common), whose positions must line up. No candidate
page is read to check a match, and no entry grows past `threshold` pages of positions.

Files (all under search/):
- `p-N.json`: pairs, by hash. A rare pair → its positions; a common pair → "~" and the list
  of its common extensions, which tells the browser which longer grams to ask for.
- `g-N.json`: grams of three characters or more (rare → positions) and, under "#gram", the
  page lists of common grams (with the pages holding the gram in their title) and, under
  "@department-id", the pages of a department's items (the department filter), by hash.
- `page/N.json`: one page's address, title, context and text (title and snippet of a result).
- `facets.json`: one base64url digit per page, the index of its kind (filters and counts).
`assets/ipp-search.js` mirrors the normalisation, the hash and the encoding exactly.
"""
from __future__ import annotations

import json
import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

TITLE_LIMIT = 256  # title positions 0 … 255, body positions from here on: no gram runs across the two
MAX_GRAM = 12  # longest gram: kept with positions even when common, never extended
MIN_THRESHOLD = 16  # a gram on more pages than max(this, pages / PAGE_SHARE) is common
PAGE_SHARE = 25
TARGET_SHARD_BYTES = {"p": 2_000, "g": 4_000}  # every query reads pair shards: keep them small
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"  # base64url digits


@dataclass
class SearchEntry:
    url: str
    title: str
    text: str
    context: str = ""  # e.g. the document a task belongs to
    kind: str = ""  # what the reader filters by: 任务, 专栏, 部门 …
    document: str = ""  # id of the document the page belongs to
    departments: list[str] = field(default_factory=list)  # ids of the departments responsible for it


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


def varints(numbers) -> str:
    """Each number as base64url digits of 5 bits, low bits first; digits ≥ 32 say "more follows"."""
    out = []
    for value in numbers:
        while value >= 32:
            out.append(ALPHABET[32 + (value & 31)])
            value >>= 5
        out.append(ALPHABET[value])
    return "".join(out)


def threshold(pages: int) -> int:
    return max(MIN_THRESHOLD, math.ceil(pages / PAGE_SHARE))


def _grams(fields, limit: int):
    """gram → {page: [positions]} for every indexed gram, and the set of common grams."""
    occurrences: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for page, offset, text in fields:
        for index in range(len(text) - 1):
            occurrences[text[index:index + 2]][page].append(offset + index)
    frontier = {gram for gram, pages in occurrences.items() if len(pages) > limit}
    common = set(frontier)
    length = 2
    # Starts of common grams of the current length, per field: only there can a longer gram be indexed.
    active = [[i for i in range(len(text) - 1) if text[i:i + 2] in frontier] for _, _, text in fields]
    while frontier and length < MAX_GRAM:
        longer: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        next_active = []
        for (page, offset, text), starts in zip(fields, active):
            candidates = sorted({s for s in starts if s + length < len(text)} | {s - 1 for s in starts if s > 0})
            for start in candidates:
                gram = text[start:start + length + 1]
                if gram[:-1] in frontier or gram[1:] in frontier:
                    longer[gram][page].append(offset + start)
            next_active.append(candidates)
        length += 1
        frontier = {gram for gram, pages in longer.items() if len(pages) > limit} if length < MAX_GRAM else set()
        common |= frontier
        occurrences.update(longer)
        active = [[s for s in starts if text[s:s + length] in frontier]
                  for starts, (_, _, text) in zip(next_active, fields)]
    return occurrences, common


def build_index(entries: list[SearchEntry]) -> dict[str, bytes]:
    """Site path → content of every search file."""
    fields = []
    for page_id, entry in enumerate(entries):
        fields.append((page_id, 0, normalise(entry.title)[:TITLE_LIMIT]))
        fields.append((page_id, TITLE_LIMIT, normalise(entry.text)))
    limit = threshold(len(entries))
    occurrences, common = _grams(fields, limit)

    pairs: dict[str, str] = {}
    grams: dict[str, str] = {}
    extensions: dict[str, list[str]] = defaultdict(list)
    for gram in common:
        if len(gram) > 2:
            extensions[gram[:2]].append(gram[2:])
    for gram, pages in occurrences.items():
        if gram in common:
            if len(gram) == 2:
                pairs[gram] = "~" + ",".join(sorted(extensions.get(gram, []), key=lambda s: (len(s), s)))
            grams["#" + gram] = _page_list(pages, len(entries))
        elif len(gram) == 2:
            pairs[gram] = _positions(pages)
        else:
            grams[gram] = _positions(pages)

    by_department: dict[str, list[int]] = defaultdict(list)
    for page_id, entry in enumerate(entries):
        for department in entry.departments:
            by_department[department].append(page_id)
    for department, ids in by_department.items():
        grams["@" + department] = varints(b - a for a, b in zip([0] + ids, ids))

    kind_index = {kind: ALPHABET[number] for number, kind in enumerate(kinds(entries))}
    files = {"search/facets.json": "".join(kind_index[e.kind] for e in entries).encode()}
    for family, table in (("p", pairs), ("g", grams)):
        count = _shard_count(table, TARGET_SHARD_BYTES[family])
        shards: list[dict] = [{} for _ in range(count)]
        for key, value in table.items():
            shards[fnv1a(key) % count][key] = value
        for number, shard in enumerate(shards):
            files[f"search/{family}-{number}.json"] = _json(shard)
    for page_id, entry in enumerate(entries):
        files[f"search/page/{page_id}.json"] = _json([entry.url, entry.title, entry.context, entry.text])
    return files


def shard_counts(files: dict[str, bytes]) -> dict[str, int]:
    """How many shards each family has (the search page tells the browser)."""
    return {family: sum(1 for name in files if name.startswith(f"search/{family}-")) for family in ("p", "g")}


def _shard_count(table: dict[str, str], target: int) -> int:
    total = sum(len(k) * 3 + len(v) + 6 for k, v in table.items())
    return 1 << max(0, math.ceil(math.log2(max(1, total / target))))


def _positions(pages: dict[int, list[int]]) -> str:
    """page delta, number of positions, first position, position deltas … for each page, ascending."""
    numbers = []
    previous = 0
    for page in sorted(pages):
        positions = sorted(pages[page])
        numbers += [page - previous, len(positions), positions[0]]
        numbers += [b - a for a, b in zip(positions, positions[1:])]
        previous = page
    return varints(numbers)


def _page_list(pages: dict[int, list[int]], total: int) -> str:
    """The pages holding a common gram ("b" + bitmap, or "d" + page deltas, whichever is shorter),
    then "." and the deltas of the pages holding it in their title."""
    ids = sorted(pages)
    deltas = "d" + varints(b - a for a, b in zip([0] + ids, ids))
    bits = [0] * (-(-total // 6))
    for page in ids:
        bits[page // 6] |= 1 << (page % 6)
    bitmap = "b" + "".join(ALPHABET[b] for b in bits)
    titled = [page for page in ids if pages[page][0] < TITLE_LIMIT]
    return min(deltas, bitmap, key=len) + "." + varints(b - a for a, b in zip([0] + titled, titled))


def kinds(entries: list[SearchEntry]) -> list[str]:
    """The kinds of page, in order of first appearance; search/facets.json holds each page's index."""
    return list(dict.fromkeys(e.kind for e in entries))


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
