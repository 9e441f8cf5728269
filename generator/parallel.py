"""Both cores for one build: pages and their bodies made in forked processes.

The site builder (MkDocs, one process) asks for page bodies one at a time, in the order of the
pages; a worker renders them ahead and hands them over through a bounded queue, so at most a
few hundred bodies are in memory at once whatever the size of the site. A second process
writes every other page, Material's frame and all (Share). Workers are forked after the corpus
is loaded, so they share it without copying or pickling; only finished HTML and status cross over.
Without fork (or on one core) everything runs in-process, in the same order, to the same bytes.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from typing import Callable

from .render import RenderedPage

QUEUE_PAGES = 256  # bodies a worker may render ahead of the site builder


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def _render_share(pages: list[RenderedPage], share: int, workers: int, queue) -> None:
    try:
        for index in range(share, len(pages), workers):
            queue.put((index, pages[index].body()))
    except BaseException:  # the parent renders the page itself and reports the real error
        queue.put((-1, traceback.format_exc()))
    finally:
        queue.close()
        queue.join_thread()


class Bodies:
    """Page bodies by index, rendered ahead by `workers` forked processes (page i by worker i % n)."""

    def __init__(self, pages: list[RenderedPage], workers: int = 1):
        self.pages = pages
        self.next = 0  # the next index the workers will hand over
        self.queues, self.processes = [], []
        if not workers or not _can_fork() or not pages:
            return
        context = multiprocessing.get_context("fork")
        for share in range(workers):
            queue = context.Queue(QUEUE_PAGES)
            process = context.Process(target=_render_share, args=(pages, share, workers, queue), daemon=True)
            process.start()
            self.queues.append(queue)
            self.processes.append(process)

    def body(self, index: int) -> str:
        if not self.queues or index < self.next:  # in-process, or asked out of order
            return self.pages[index].body()
        while self.next <= index:  # pages the builder skipped are dropped
            number, html = self.queues[self.next % len(self.queues)].get()
            if number != self.next:  # the worker failed: stop using workers
                self.close()
                return self.pages[index].body()
            self.next += 1
        return html

    def close(self) -> None:
        for process in self.processes:
            process.kill()
            process.join()
        for queue in self.queues:
            queue.close()
        self.queues, self.processes = [], []


class Share:
    """Run `work(item)` for each item in a forked process (the site builder's second core).

    The process reports failure by its exit status: 1 for an error (its traceback on stderr),
    2 for warnings logged under `logger` (a strict build must fail on them as on its own)."""

    def __init__(self, items: list, work: Callable[[object], None], logger: str):
        self.process = None
        if not items or not _can_fork():
            return
        context = multiprocessing.get_context("fork")
        self.process = context.Process(target=self._run, args=(items, work, logger), daemon=True)
        self.process.start()

    @staticmethod
    def _run(items, work, logger) -> None:
        warnings = _Counter()
        logging.getLogger(logger).addHandler(warnings)
        try:
            for item in items:
                work(item)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(2 if warnings.count else 0)

    def finish(self) -> int:
        """Wait for the process; its exit status (0: all done)."""
        if self.process is None:
            return 0
        self.process.join()
        return self.process.exitcode

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record) -> None:
        self.count += 1
