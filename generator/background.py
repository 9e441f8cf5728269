"""Work a build leaves to a detached process once the new site is in place: deleting the site it
replaced (30,000 files take a second), linking the new site's files for the next build.

The process holds none of the build's files: not the lock (the next build would wait for it), not
its output (a caller reading that to the end would wait too). While it works, something beside the
site says so (`pending`): a folder `.site.old-*`, or `.site.cache/linking-*`. A next build started
meanwhile does without what it has not finished, and removes what it left (build.recover).
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Callable


def detach(work: Callable[[], None], instead: Callable[[], None] | None = None) -> None:
    """Run `work` in a detached process; without fork, `instead` (or `work`) now."""
    try:
        child = os.fork()
    except (OSError, AttributeError):
        (instead or work)()
        return
    if child == 0:  # the child forks the worker and leaves at once, so that no zombie waits for us
        try:
            if os.fork() == 0:
                os.setsid()
                null = os.open(os.devnull, os.O_RDWR)
                for standard in (0, 1, 2):
                    os.dup2(null, standard)
                os.closerange(3, os.sysconf("SC_OPEN_MAX"))
                with contextlib.suppress(BaseException):
                    work()
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def remove_later(path: Path, site_dir: Path, name: str = "") -> None:
    """Delete a folder in the background, renamed first beside the site as `.site.old-…` (what it is)."""
    old = path.rename(site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}{name}"))
    detach(lambda: shutil.rmtree(old, ignore_errors=True))


def pending(site_dir: Path) -> list[Path]:
    """What background work of the builds of `site_dir` is under way (empty: none)."""
    old = [p for p in site_dir.parent.iterdir() if p.name.startswith(f".{site_dir.name}.old-")] \
        if site_dir.parent.exists() else []
    cache = site_dir.with_name(f".{site_dir.name}.cache")
    return old + (list(cache.glob("linking-*")) if cache.is_dir() else [])
