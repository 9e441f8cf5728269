"""The department registry as the importer sees it: resolve printed names, advise on unknown ones."""
from __future__ import annotations

import difflib
from pathlib import Path

from .importer_yaml import load_plain

# A first guess of the category from how a name ends; the editor checks it.
CATEGORY_BY_ENDING = [
    ("军委", "military"), ("法院", "judicial"), ("检察院", "judicial"), ("联席会议", "coordination"),
    ("总局", "state-council-agency"), ("局", "state-council-agency"), ("署", "state-council-agency"),
    ("部", "state-council-ministry"), ("委", "state-council-ministry"), ("行", "state-council-ministry"),
    ("会", "people-org"), ("院", "public-institution"),
]


class Registry:
    def __init__(self, entries: list):
        self.by_name: dict[str, dict] = {}
        for entry in entries:
            if isinstance(entry, dict):
                for name in [entry.get("name"), *(entry.get("aliases") or [])]:
                    if isinstance(name, str):
                        self.by_name.setdefault(name, entry)

    @classmethod
    def load(cls, path: Path):
        """(registry, problem or '')."""
        if not path.exists():
            return cls([]), f"{path}:1: the department registry is missing"
        entries, error = load_plain(path)
        if error:
            return cls([]), f"{path}:{error}"
        return cls(entries if isinstance(entries, list) else []), ""

    def resolve(self, printed: str):
        return self.by_name.get(printed)

    def closest(self, printed: str, count: int = 3) -> list[str]:
        def score(name: str) -> float:
            ratio = difflib.SequenceMatcher(None, printed, name).ratio()
            return ratio + (0.3 if printed in name or name in printed else 0)
        ranked = sorted(self.by_name, key=lambda name: (-score(name), name))
        return [name for name in ranked[:count] if score(name) >= 0.4]

    def advice(self, printed: str) -> str:
        """The message for a name the registry does not know: closest names and the line to add."""
        closest = self.closest(printed)
        message = f"unknown department '{printed}'"
        if closest:
            entry = self.by_name[closest[0]]
            message += (f"; closest known: {'、'.join(closest)}. If it is the same body as {closest[0]}, add "
                        f"'{printed}' to the aliases of '{entry.get('id')}' in data/departments.yml")
            message += "; if it is a new body, add"
        else:
            message += "; add"
        category = next((c for ending, c in CATEGORY_BY_ENDING if printed.endswith(ending)), "generic")
        message += (f" to data/departments.yml: - {{id: <id>, name: {printed}, full_name: {printed}, "
                    f"english: <English name>, category: {category}}}")
        return message
