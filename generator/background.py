"""Work a build leaves to a detached process once the new site is in place: deleting the site it
replaced (30,000 files take a second), linking the new site's files for the next build.

The process holds none of the build's files: not the lock (the next build would wait for it), not
its output (a caller reading that to the end would wait too). While it works, something beside the
site says so (`pending`): a folder `.site.old-*`, or `.site.cache/linking-*`. A next build started
meanwhile does without what it has not finished, and removes what it left (build.recover,
incremental.Linking).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
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


def set_aside(path: Path, site_dir: Path) -> Path:
    """`path` moved beside the site under a new name `.site.old-…` (what it is now), which is returned."""
    aside = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
    path.rename(aside)  # onto the empty folder just made: a name no other folder has
    return aside


def remove_later(path: Path, site_dir: Path) -> None:
    """Delete a folder in the background, set aside first; if it cannot be, the next build's recover will."""
    try:
        aside = set_aside(path, site_dir)
    except OSError:
        return
    detach(lambda: shutil.rmtree(aside, ignore_errors=True))


def pending(site_dir: Path) -> list[Path]:
    """What background work of the builds of `site_dir` is under way (empty: none)."""
    old = [p for p in site_dir.parent.iterdir() if p.name.startswith(f".{site_dir.name}.old-")] \
        if site_dir.parent.exists() else []
    cache = site_dir.with_name(f".{site_dir.name}.cache")
    return old + (list(cache.glob("linking-*")) if cache.is_dir() else [])


def wait(site_dir: Path, seconds: float = 60) -> None:
    """Until the background work of the builds of `site_dir` is done, or `seconds` have passed (a process
    killed while it worked leaves its folder for the next build to remove)."""
    deadline = time.monotonic() + seconds
    while pending(site_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
