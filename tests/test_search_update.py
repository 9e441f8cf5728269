"""The incremental search index writes what a build of the whole index writes, byte for byte."""
from __future__ import annotations

import dataclasses
import random

import pytest

from generator import incremental, search_update
from generator.pipeline import load_corpus
from generator.render import Renderer
from generator.search import build_index


@pytest.fixture(scope="module")
def entries():
    return Renderer(load_corpus(), lazy=True).render().search_entries


def _write(folder, files):
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)


def _edit(rng: random.Random, text: str) -> str:
    """A small edit as editors make them: a character replaced, inserted or deleted, a phrase added or cut."""
    at = rng.randrange(len(text) + 1)
    kind = rng.choice(["replace", "insert", "delete", "append", "cut"])
    if kind == "replace" and text:
        at = min(at, len(text) - 1)
        return text[:at] + rng.choice("的知识产权局推进，。2023ABCx") + text[at + 1:]
    if kind == "insert":
        return text[:at] + rng.choice(["的", "知识产权", "（国家知识产权局负责）", "2025年", "ＡＢ"]) + text[at:]
    if kind == "delete":
        return text[:at] + text[at + 3:]
    if kind == "append":
        return text + rng.choice(["推进知识产权保护。", "另见专栏。", "x"])
    return text[:at]


def test_an_updated_index_is_the_index_of_the_new_pages(entries, tmp_path):
    """Random small edits of one to five pages, 24 times: every index updated in place has the bytes of
    the whole index made anew; most edits are updated in place (the rest cross a threshold)."""
    kept: dict = {}
    old_files = build_index(entries, kept)
    _write(tmp_path, old_files)
    state = search_update.State(kept["common"], kept["sizes"], search_update.facets(entries))
    old_hashes = [incremental.entry_hash(e) for e in entries]
    updated = 0
    for seed in range(24):
        rng = random.Random(seed)
        new_entries = list(entries)
        for page in rng.sample(range(len(entries)), rng.choice([1, 1, 2, 5])):
            entry = new_entries[page]
            field = rng.choice(["text", "text", "title"])
            new_entries[page] = dataclasses.replace(entry, **{field: _edit(rng, getattr(entry, field))})
        result = search_update.update(tmp_path, old_hashes, new_entries, state, incremental.entry_hash)
        if result is None:  # the edit crossed a threshold: the build makes the whole index
            continue
        updated += 1
        changed, new_state = result
        kept_new: dict = {}
        expected = build_index(new_entries, kept_new)
        assert set(changed) <= set(expected), seed
        assert {name: changed.get(name, old_files.get(name)) for name in expected} == expected, seed
        assert new_state.sizes == kept_new["sizes"] and new_state.common == kept_new["common"], seed
    assert updated >= 16


def test_an_edit_that_makes_a_gram_common_gives_up(entries, tmp_path):
    kept: dict = {}
    _write(tmp_path, build_index(entries, kept))
    state = search_update.State(kept["common"], kept["sizes"], search_update.facets(entries))
    new_entries = [dataclasses.replace(e, text=e.text + "璇玑") if i % 2 else e for i, e in enumerate(entries)]
    assert "璇玑" not in str(entries)
    assert search_update.update(tmp_path, [incremental.entry_hash(e) for e in entries], new_entries, state,
                                incremental.entry_hash) is None


def test_an_entry_hash_covers_every_field(entries):
    """The update finds changed pages by their entries' hashes: a change in any field must show."""
    entry = next(e for e in entries if e.departments)
    for field in dataclasses.fields(entry):
        value = getattr(entry, field.name)
        other = dataclasses.replace(entry, **{field.name: value + ["x"] if isinstance(value, list) else value + "x"})
        assert incremental.entry_hash(other) != incremental.entry_hash(entry), field.name
