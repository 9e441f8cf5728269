"""The core pipeline in one call: load → validate → index. Knows nothing of MkDocs."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from . import timings
from .index import build_corpus
from .load import Problem, RawData, load_data
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


# A corpus already loaded and validated by this process (`make site` checks the data before it starts
# MkDocs): the hook takes it instead of loading the same folder again.
_handed_over: tuple[Path, Corpus] | None = None
# An incremental build's plan (generator/incremental.py) for the hook, with the corpus; None: a full build.
handed_plan = None
# Where `make site` keeps compiled templates between builds (ours and the theme's): Jinja's own cache,
# which checks each template's source. None: templates are compiled afresh.
template_cache: Path | None = None


def hand_over(corpus: Corpus, folder: Path | None = None, plan=None) -> None:
    global _handed_over, handed_plan
    _handed_over = ((folder or data_dir()).resolve(), corpus)
    handed_plan = plan


def load_corpus(folder: Path | None = None) -> Corpus:
    global _handed_over
    folder = folder or data_dir()
    if _handed_over is not None and _handed_over[0] == folder.resolve():
        corpus, _handed_over = _handed_over[1], None  # taken once: a later call reads the data again
        return corpus
    return load_checked(folder)[1]


def load_checked(folder: Path | None = None) -> tuple[RawData, Corpus]:
    """The data as read and as indexed, or DataError with every problem."""
    return Checking(folder).result()


class Checking:
    """The data read and indexed while it is validated, in a forked process when `parallel`: what
    indexing makes of invalid data (even an exception) is thrown away once validation says why.
    `raw` and `corpus` are there at once (`corpus` None if indexing failed); `result()` waits for
    the verdict: the data, or DataError with every problem."""

    def __init__(self, folder: Path | None = None, parallel: bool = False, then: Callable[[], None] = lambda: None):
        """`then()`: run in the validating process once validation is done."""
        self.raw = load_data(folder or data_dir())
        timings.phase("data read")
        self.corpus = self.failure = self.checking = None
        if not parallel:
            self.problems = validate(self.raw)
            then()
            timings.phase("data validated")
            if not self.problems:
                self.corpus = build_corpus(self.raw)
                timings.phase("data indexed")
            return
        from .parallel import Forked

        raw = self.raw

        def validated() -> list[Problem]:
            problems = validate(raw)
            then()
            return problems

        self.checking = Forked(validated, logger="generator")
        try:
            self.corpus = build_corpus(raw)
        except Exception as error:  # invalid data (validation says why), or a fault of ours (raised then)
            self.failure = error
        timings.phase("data indexed")

    def result(self) -> tuple[RawData, Corpus]:
        if self.checking is not None:
            self.problems, self.checking = self.checking.result(), None
            timings.phase("data validated (in another process)")
        if self.problems:
            raise DataError(self.problems)
        if self.failure is not None:
            raise self.failure
        return self.raw, self.corpus
