"""The core pipeline in one call: load → validate → index. Knows nothing of MkDocs."""
from __future__ import annotations

import os
from pathlib import Path

from .index import build_corpus
from .load import Problem, load_data
from .model import Corpus
from .validate import validate

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """data/ of the repository, or the folder named by IPP_DATA_DIR (tests build other data)."""
    return Path(os.environ.get("IPP_DATA_DIR") or DATA_DIR)


class DataError(Exception):
    """The data cannot be published; `problems` lists every reason with file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_corpus(folder: Path | None = None) -> Corpus:
    raw = load_data(folder or data_dir())
    problems = validate(raw)
    if problems:
        raise DataError(problems)
    return build_corpus(raw)
