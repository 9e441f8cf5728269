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
- `departments.json`: every department's pages (the department filter's counts, read after the
  first screen; filtering by one department reads only its "@department-id" entry in `g-N.json`).
`assets/ipp-search.js` mirrors the normalisation, the hash and the encoding exactly.
"""
from __future__ import annotations

import json
import math
import unicodedata
from array import array
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


class _Kept(dict):
    """str.translate table: a letter or digit (Unicode categories L and N) maps to itself, anything else to None."""

    def __missing__(self, code: int):
        char = chr(code)
        value = self[code] = char if unicodedata.category(char)[0] in "LN" else None
        return value


_KEPT = _Kept()


def normalise(text: str) -> str:
    """Letters and digits only (Unicode categories L and N), NFKC (full-width → half-width), lower case."""
    return unicodedata.normalize("NFKC", text).lower().translate(_KEPT)


class _KeptOrBar(_Kept):
    def __missing__(self, code: int):
        return "|" if code == 0 else super().__missing__(code)


_KEPT_OR_BAR = _KeptOrBar()


def normalise_all(texts) -> str:
    """"|".join(normalise(t) for t in texts), a few thousand texts a pass (tens of thousands of calls
    cost more than the work; one pass over all of them would hold several copies of the whole text).
    NUL separates them: a starter, neither cased nor case-ignorable, so neither NFKC nor lower case
    reaches across it, and it becomes the bar."""
    parts, batch, size = [], [], 0
    for text in texts:
        batch.append(text)
        size += len(text)
        if size > 1_000_000:
            parts.append(_normalise_batch(batch))
            batch, size = [], 0
    if batch or not parts:
        parts.append(_normalise_batch(batch))
    return "|".join(parts)


def printed_text(entries) -> str:
    """The pages' titles and texts, normalised and joined by bars: what a search form is looked for in
    (whether it occurs on any page, for the synonyms' settings)."""
    return normalise_all(text for entry in entries for text in (entry.title, entry.text))


def _normalise_batch(texts: list[str]) -> str:
    return unicodedata.normalize("NFKC", "\0".join(texts)).lower().translate(_KEPT_OR_BAR)


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over UTF-16 code units (what JavaScript's charCodeAt sees)."""
    value = 0x811C9DC5
    data = text.encode("utf-16-le")
    for index in range(0, len(data), 2):
        value ^= data[index] | (data[index + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def _varint(value: int) -> str:
    out = []
    while value >= 32:
        out.append(ALPHABET[32 + (value & 31)])
        value >>= 5
    out.append(ALPHABET[value])
    return "".join(out)


_SMALL = [_varint(n) for n in range(1 << 15)]  # three digits or fewer, looked up


def varints(numbers) -> str:
    """Each number as base64url digits of 5 bits, low bits first; digits ≥ 32 say "more follows"."""
    small = _SMALL
    return "".join(small[n] if n < 32768 else _varint(n) for n in numbers)


def threshold(pages: int) -> int:
    return max(MIN_THRESHOLD, math.ceil(pages / PAGE_SHARE))


SHIFT = 20  # an occurrence is one int: page << SHIFT | position (a page holds < 2**20 characters)
MASK = (1 << SHIFT) - 1


def _grams(texts: list[str], limit: int):
    """gram → occurrences for every indexed gram, and the set of common grams. `texts[page]` is
    the title padded with NUL to TITLE_LIMIT, then the body: a gram with a NUL is no gram."""
    # Occurrences in arrays of 64-bit ints: a list would hold a pointer and a 32-byte int object for
    # each (at 100× the corpus, the index process peaked at 1.26 GB with lists, 0.52 GB with arrays).
    occurrences: dict[str, array] = {}
    get = occurrences.get
    for page, text in enumerate(texts):
        base = page << SHIFT
        for start in (0, TITLE_LIMIT):
            end = text.find("\0", start) if start == 0 else len(text)
            for index in range(start, (len(text) if end < 0 else end) - 1):
                gram = text[index:index + 2]
                found = get(gram)
                if found is None:
                    occurrences[gram] = array("q", (base + index,))
                else:
                    found.append(base + index)
    frontier = {gram for gram, keys in occurrences.items() if len(keys) > limit and _pages(keys) > limit}
    common = set(frontier)
    length = 2
    while frontier and length < MAX_GRAM:
        # The one-character extensions of common grams: right of each, and left where the new
        # gram's own prefix is not common (else it came as a right extension already).
        longer: dict[str, array] = {}
        get = longer.get
        for gram in frontier:
            for key in occurrences[gram]:
                text = texts[key >> SHIFT]
                position = key & MASK
                for start in (position, position - 1):
                    if start < 0:
                        continue
                    new = text[start:start + length + 1]
                    if len(new) <= length or "\0" in new or (start < position and new[:-1] in frontier):
                        continue
                    found = get(new)
                    if found is None:
                        longer[new] = array("q", (key - position + start,))
                    else:
                        found.append(key - position + start)
        length += 1
        for gram, keys in longer.items():
            longer[gram] = array("q", sorted(keys))
        occurrences.update(longer)
        frontier = set()
        if length < MAX_GRAM:
            frontier = {gram for gram, keys in longer.items() if len(keys) > limit and _pages(keys) > limit}
        common |= frontier
    return occurrences, common


def _pages(keys: array) -> int:
    return len({key >> SHIFT for key in keys})


def build_index(entries: list[SearchEntry], kept: dict | None = None) -> dict[str, bytes]:
    """Site path → content of every search file. `kept`, if given, receives what an incremental build
    needs to update this index (generator/search_update.py): the common grams, each family's size."""
    texts = [normalise(e.title)[:TITLE_LIMIT - 1].ljust(TITLE_LIMIT, "\0") + normalise(e.text) for e in entries]
    occurrences, common = _grams(texts, threshold(len(entries)))
    del texts

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
    del occurrences

    by_department: dict[str, list[int]] = defaultdict(list)
    for page_id, entry in enumerate(entries):
        for department in entry.departments:
            by_department[department].append(page_id)
    department_pages = {department: varints(b - a for a, b in zip([0] + ids, ids))
                        for department, ids in by_department.items()}
    for department, pages in department_pages.items():
        grams["@" + department] = pages

    kind_index = {kind: ALPHABET[number] for number, kind in enumerate(kinds(entries))}
    files = {"search/facets.json": "".join(kind_index[e.kind] for e in entries).encode(),
             "search/departments.json": _json(department_pages)}
    if kept is not None:
        kept.update(common=frozenset(common), sizes={"p": _size(pairs), "g": _size(grams)})
    for family, table in (("p", pairs), ("g", grams)):
        count = shards_for(_size(table), TARGET_SHARD_BYTES[family])
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


def _size(table: dict[str, str]) -> int:
    """A family's estimated size in bytes, which sets its number of shards."""
    return sum(len(k) * 3 + len(v) + 6 for k, v in table.items())


def shards_for(size: int, target: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(1, size / target))))


def _positions(keys: array) -> str:
    """page delta, number of positions, first position, position deltas … for each page, ascending."""
    numbers = []
    previous = 0
    index, count = 0, len(keys)
    while index < count:
        page = keys[index] >> SHIFT
        end = index + 1
        while end < count and keys[end] >> SHIFT == page:
            end += 1
        first = keys[index] & MASK
        numbers += [page - previous, end - index, first]
        numbers += [keys[k] - keys[k - 1] for k in range(index + 1, end)]
        previous, index = page, end
    return varints(numbers)


def _page_list(keys: array, total: int) -> str:
    """The pages holding a common gram ("b" + bitmap, or "d" + page deltas, whichever is shorter),
    then "." and the deltas of the pages holding it in their title."""
    ids = sorted({key >> SHIFT for key in keys})
    if len(ids) * 6 > total:  # dense: a bit per page is shorter than a digit or more per page
        bits = [0] * (-(-total // 6))
        for page in ids:
            bits[page // 6] |= 1 << (page % 6)
        listed = "b" + "".join(ALPHABET[b] for b in bits)
    else:
        listed = "d" + varints(b - a for a, b in zip([0] + ids, ids))
    titled = sorted({key >> SHIFT for key in keys if key & MASK < TITLE_LIMIT})
    return listed + "." + varints(b - a for a, b in zip([0] + titled, titled))


def kinds(entries: list[SearchEntry]) -> list[str]:
    """The kinds of page, in order of first appearance; search/facets.json holds each page's index."""
    return list(dict.fromkeys(e.kind for e in entries))


def _json(value) -> bytes:
    # Sorted keys: gram sets iterate in a per-process hash order, and two builds of the same data
    # must write the same bytes (atomic swaps, kill tests and incremental builds compare them).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
