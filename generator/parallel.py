"""Both cores for one build: work shared among forked processes.

Processes are forked once the corpus is loaded and the site planned, so they share it without
copying or pickling; only small results (a status, warnings, a little JSON) come back. A
process's warnings are logged again in the parent, where a strict build counts them like its own.
Without fork (or with IPP_WORKERS=0) the same work runs in-process, in the same order, to the
same bytes; the suite checks both ways give the same site.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import multiprocessing
import os
import signal
import traceback
from typing import Callable

DEFAULT_WORKERS = 2  # the machines this is built on have two cores or more


def workers() -> int:
    """How many processes write pages: IPP_WORKERS (0: none, all in this process)."""
    wanted = os.environ.get("IPP_WORKERS", "")
    count = int(wanted) if wanted.isdigit() else DEFAULT_WORKERS
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    return count if can_fork else 0


class WorkFailed(Exception):
    """A forked process raised: the message carries its traceback."""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[tuple[int, str]] = []

    def emit(self, record) -> None:
        self.records.append((record.levelno, record.getMessage()))


def _die_with_parent() -> None:
    """A build killed by SIGKILL takes its workers along (Linux): none outlives it writing files."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(work: Callable[[], object], logger: str, connection) -> None:
    _die_with_parent()
    collected = _Collect()
    logging.getLogger(logger).addHandler(collected)
    try:
        result = ("ok", work(), collected.records)
    except BaseException:
        result = ("error", traceback.format_exc(), collected.records)
    try:
        connection.send(result)
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the parent's buffers a second time


class Forked:
    """`work()` in a forked process (or here, when `fork` is False); `result()` waits for its value."""

    def __init__(self, work: Callable[[], object], fork: bool = True, logger: str = "mkdocs"):
        self.logger = logger
        self.process = self.connection = None
        self.value = None
        if not fork:
            self.value = ("ok", work(), [])
            return
        context = multiprocessing.get_context("fork")
        # What exists now is shared with the child: frozen, the collector never walks it (a walk
        # writes to every object, and each page written to is copied into the child).
        gc.freeze()
        self.connection, theirs = context.Pipe(duplex=False)
        self.process = context.Process(target=_child, args=(work, logger, theirs), daemon=True)
        self.process.start()
        theirs.close()

    def result(self):
        """The work's return value; its warnings are logged here; its error raised as WorkFailed."""
        if self.value is None:
            try:
                self.value = self.connection.recv()
            except EOFError:
                self.process.join()
                self.value = ("error", f"a build process ended without a result (exit status {self.process.exitcode})", [])
            self.process.join()
            self.connection.close()
        status, value, records = self.value
        self.value = ("ok", value if status == "ok" else None, [])  # warnings are logged once
        for level, message in records:
            logging.getLogger(self.logger).log(level, message)
        if status != "ok":
            raise WorkFailed(value)
        return value

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()


def share(items: list, work: Callable[[object], None], processes: int, logger: str = "mkdocs",
          done: Callable[[], None] = lambda: None) -> list[Forked]:
    """`work(item)` for every item, item i in process i % n (n = 0: here, in order); then `done()`."""
    def run(part: list) -> Callable[[], None]:
        def all_of_it() -> None:
            for item in part:
                work(item)
            done()
        return all_of_it

    if not processes:
        return [Forked(run(items), fork=False, logger=logger)]
    return [Forked(run(items[index::processes]), logger=logger) for index in range(processes) if items[index::processes]]
