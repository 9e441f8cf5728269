"""The incremental search index writes what a build of the whole index writes, byte for byte."""
from __future__ import annotations

import dataclasses
import random

import pytest

from generator import incremental, search_update
from generator.pipeline import load_corpus
from generator.render import Renderer
from generator.search import build_index
from generator.synonyms import search_config


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def entries(corpus):
    return Renderer(corpus, lazy=True).render().search_entries


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


def test_an_updated_index_is_the_index_of_the_new_pages(corpus, entries, tmp_path):
    """Random small edits of one to five pages, 24 times: every index updated in place has the bytes of
    the whole index made anew; most edits are updated in place (the rest cross a threshold)."""
    kept: dict = {}
    old_files = build_index(entries, kept)
    _write(tmp_path, old_files)
    settings = search_config(corpus, entries, old_files)
    state = search_update.State(kept["common"], kept["sizes"], search_update.facets(entries), settings)
    old_hashes = [incremental.entry_hash(e) for e in entries]
    updated = 0
    for seed in range(24):
        rng = random.Random(seed)
        new_entries = list(entries)
        for page in rng.sample(range(len(entries)), rng.choice([1, 1, 2, 5])):
            entry = new_entries[page]
            field = rng.choice(["text", "text", "title"])
            new_entries[page] = dataclasses.replace(entry, **{field: _edit(rng, getattr(entry, field))})
        if seed % 4 == 0:  # a synonym's form appears on a page, or its only page loses it
            form, _ = rng.choice(sorted(settings["synonyms"].items()))
            page = rng.randrange(len(entries))
            new_entries[page] = dataclasses.replace(new_entries[page], text=new_entries[page].text + form)
        if seed % 4 == 1:
            forms = [f for f, (_, occurs) in settings["synonyms"].items() if occurs]
            form = rng.choice(sorted(forms))
            for page, entry in enumerate(new_entries):
                if form in search_update.page_text(entry.title, entry.text):
                    new_entries[page] = dataclasses.replace(entry, text=entry.text.replace(form, ""),
                                                            title=entry.title.replace(form, ""))
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
        assert new_state.settings == search_config(corpus, new_entries, expected), seed
    assert updated >= 16


def test_an_edit_that_makes_a_gram_common_gives_up(entries, tmp_path):
    kept: dict = {}
    _write(tmp_path, build_index(entries, kept))
    state = search_update.State(kept["common"], kept["sizes"], search_update.facets(entries), {})
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
