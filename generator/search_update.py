"""The search index of an incremental build: the previous index, with the changed pages' grams redone.

`search.build_index` reads every page (seconds at 30× the corpus). When a few pages' text changed
and nothing else did (same pages in the same order, kinds, departments), their grams are removed
from the entries that hold them and added again from the new text; only the shards those entries
live in, and the pages' own `page/N.json`, are written; every other file is the previous build's.
The result is the bytes `build_index` would write, which the suite checks on random edits.

What `build_index` decides from all pages together is taken from the previous build (`State`):
which grams are common, and the size of each family (its shard count). When an edit would change
either (a gram crosses the common threshold, a family doubles or halves its shards), this gives up
and the build makes the whole index again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from array import array

from .search import (ALPHABET, MAX_GRAM, SHIFT, TARGET_SHARD_BYTES, TITLE_LIMIT, SearchEntry, _json, _page_list,
                     _positions, fnv1a, normalise, printed_text, shards_for, threshold)

_DIGIT = {char: value for value, char in enumerate(ALPHABET)}


@dataclass
class State:
    """What a build of the index knew about all its pages, kept for the next build."""

    common: frozenset[str]  # the common grams
    sizes: dict[str, int]  # family ("p", "g") → the size estimate that sets its shard count
    facets: list[tuple]  # each page's kind, document and departments (facets.json, departments.json, "@…")
    settings: dict = field(default_factory=dict)  # what the search page carries (synonyms.search_config)


def facets(entries: list[SearchEntry]) -> list[tuple]:
    return [(e.kind, e.document, tuple(e.departments)) for e in entries]


def _entry_size(key: str, value: str | None) -> int:
    return 0 if value is None else len(key) * 3 + len(value) + 6  # as search._size weighs them


def page_text(title: str, text: str) -> str:
    """A page as the index reads it (search.build_index)."""
    return normalise(title)[:TITLE_LIMIT - 1].ljust(TITLE_LIMIT, "\0") + normalise(text)


def grams_of(text: str, common: frozenset[str]) -> dict[str, list[int]]:
    """gram → positions of every gram the index holds for one page, given the common grams: every
    pair, and every longer gram whose one-shorter prefix or suffix is common (search._grams)."""
    found: dict[str, list[int]] = {}
    for start in (0, TITLE_LIMIT):
        end = text.find("\0", start) if start == 0 else len(text)
        end = len(text) if end < 0 else end
        for index in range(start, end - 1):
            found.setdefault(text[index:index + 2], []).append(index)
        for length in range(2, MAX_GRAM):
            for index in range(start, end - length):
                gram = text[index:index + length + 1]
                if gram[:-1] in common or gram[1:] in common:
                    found.setdefault(gram, []).append(index)
    return found


def decode_varints(digits: str) -> list[int]:
    numbers, value, shift = [], 0, 0
    for char in digits:
        digit = _DIGIT[char]
        if digit >= 32:
            value |= (digit - 32) << shift
            shift += 5
        else:
            numbers.append(value | (digit << shift))
            value, shift = 0, 0
    return numbers


def decode_positions(value: str) -> dict[int, list[int]]:
    """search._positions, read back: page → positions."""
    numbers = decode_varints(value)
    pages: dict[int, list[int]] = {}
    page = index = 0
    while index < len(numbers):
        page += numbers[index]
        count, first = numbers[index + 1], numbers[index + 2]
        positions = [first]
        for delta in numbers[index + 3:index + 2 + count]:
            positions.append(positions[-1] + delta)
        pages[page] = positions
        index += 2 + count
    return pages


def decode_page_list(value: str) -> tuple[set[int], set[int]]:
    """search._page_list, read back: the pages holding a common gram, and those holding it in the title."""
    listed, titled = value.split(".")
    if listed[0] == "b":
        pages = {number * 6 + bit for number, char in enumerate(listed[1:]) for bit in range(6)
                 if _DIGIT[char] >> bit & 1}
    else:
        pages = set(_running(decode_varints(listed[1:])))
    return pages, set(_running(decode_varints(titled)))


def _running(deltas: list[int]) -> list[int]:
    total, out = 0, []
    for delta in deltas:
        total += delta
        out.append(total)
    return out


def _keys(pages: dict[int, list[int]]) -> array:
    return array("q", sorted(page << SHIFT | position for page, positions in pages.items() for position in positions))


class GiveUp(Exception):
    """The edit changes what only a build of the whole index can decide."""


def update(old_site: Path, old_entries: list[str], entries: list[SearchEntry], state: State,
           entry_hash) -> tuple[dict[str, bytes], State] | None:
    """The search files that differ from the old site's (the others stand), and the new state;
    None when the whole index must be made again."""
    try:
        return _update(old_site, old_entries, entries, state, entry_hash)
    except GiveUp:
        return None


def _update(old_site, old_entries, entries, state, entry_hash):
    if len(entries) != len(old_entries) or facets(entries) != state.facets:
        raise GiveUp
    limit = threshold(len(entries))
    common = state.common
    files: dict[str, bytes] = {}
    counts = {family: shard_count(size, family) for family, size in state.sizes.items()}
    shards: dict[str, dict] = {}  # file name → its table, read when first touched

    def shard(family: str, key: str) -> dict:
        name = f"search/{family}-{fnv1a(key) % counts[family]}.json"
        if name not in shards:
            shards[name] = json.loads((old_site / name).read_bytes())
        return shards[name]

    sizes = dict(state.sizes)
    texts: list[tuple[str, str]] = []  # each changed page's text as indexed, before and after
    for page, entry in enumerate(entries):
        if entry_hash(entry) == old_entries[page]:
            continue
        url, title, context, text = json.loads((old_site / f"search/page/{page}.json").read_bytes())
        if url != entry.url:
            raise GiveUp
        texts.append((page_text(title, text), page_text(entry.title, entry.text)))
        before = grams_of(texts[-1][0], common)
        after = grams_of(texts[-1][1], common)
        for gram in before.keys() | after.keys():
            if before.get(gram) == after.get(gram):
                continue
            new = after.get(gram, [])
            family = "p" if len(gram) == 2 else "g"
            if gram in common:
                key = "#" + gram
                table = shard("g", key)
                pages, titled = decode_page_list(table[key])
                pages.discard(page)
                titled.discard(page)
                if new:
                    pages.add(page)
                    if new[0] < TITLE_LIMIT:
                        titled.add(page)
                if len(pages) <= limit:
                    raise GiveUp  # no longer common
                keys = array("q", sorted(p << SHIFT | (0 if p in titled else TITLE_LIMIT) for p in pages))
                value = _page_list(keys, len(entries))
                sizes["g"] += _entry_size(key, value) - _entry_size(key, table[key])
                table[key] = value
                continue
            table = shard(family, gram)
            positions = decode_positions(table[gram]) if gram in table else {}
            positions.pop(page, None)
            if new:
                positions[page] = new
            if len(positions) > limit and len(gram) < MAX_GRAM:
                raise GiveUp  # common now
            value = _positions(_keys(positions)) if positions else None
            sizes[family] += _entry_size(gram, value) - _entry_size(gram, table.get(gram))
            if value is None:
                del table[gram]
            else:
                table[gram] = value
        files[f"search/page/{page}.json"] = _json([entry.url, entry.title, entry.context, entry.text])
    if any(shard_count(sizes[f], f) != counts[f] for f in counts):
        raise GiveUp  # the family's shard count changes: every key moves
    for name, table in shards.items():
        files[name] = _json(table)
    settings = updated_settings(state.settings, entries, [before for before, _ in texts], [after for _, after in texts])
    return files, State(common, sizes, state.facets, settings)


def updated_settings(settings: dict, entries: list[SearchEntry], before: list[str], after: list[str]) -> dict:
    """The search page's settings once some pages' text changed (`before`, `after`: their text as indexed,
    whose NULs no form holds). Only the synonyms depend on the text: whether each form occurs on a page."""
    printed = None
    synonyms = {}
    for form, (term, occurs) in settings["synonyms"].items():
        if any(form in text for text in after):
            occurs = True
        elif occurs and any(form in text for text in before):  # a page lost it, perhaps its only one
            if printed is None:
                printed = printed_text(entries)
            occurs = form in printed
        synonyms[form] = [term, occurs]
    return {**settings, "synonyms": synonyms}


def index_files(state: State) -> list[str]:
    """The names of every file of an index with this state (search.build_index writes them)."""
    names = ["search/facets.json", "search/departments.json"]
    names += [f"search/{family}-{number}.json" for family, size in sorted(state.sizes.items())
              for number in range(shard_count(size, family))]
    return names + [f"search/page/{page}.json" for page in range(len(state.facets))]


def shard_count(size: int, family: str) -> int:
    return shards_for(size, TARGET_SHARD_BYTES[family])
