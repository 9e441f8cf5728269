"""The source texts each document was checked against, published beside the site (sources/<name>.txt)."""
from __future__ import annotations

from pathlib import Path

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def source_texts(folder: Path) -> dict[str, list[tuple[str, bytes]]]:
    """document id → [(file name, content)] for every source text whose provenance file names that document."""
    texts: dict[str, list[tuple[str, bytes]]] = {}
    for provenance in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        try:
            facts = yaml.load(provenance.read_text(encoding="utf-8"), Loader=_Loader) or {}
        except yaml.YAMLError:
            continue  # the fidelity check reports a broken provenance file; the site just omits its text
        text = provenance.with_suffix(".txt")
        if isinstance(facts, dict) and facts.get("document") and text.exists():
            texts.setdefault(facts["document"], []).append((text.name, text.read_bytes()))
    return texts
