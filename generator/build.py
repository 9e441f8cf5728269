"""`make site`: validate, build into a scratch folder, and only then swap it into place.

`site/` is a complete site at every instant, the previous one or the new one:
- one build at a time: an exclusive lock (flock, released by the kernel when its holders die,
  inherited by the build's worker processes, which die with it);
- every build writes into its own scratch folder `.site.building-XXXX` next to site/;
- the new site replaces the old in one system call: Linux renameat2(RENAME_EXCHANGE) (macOS:
  renamex_np(RENAME_SWAP)) swaps the two folders, so no instant is without a complete site/;
- the old site, swapped out, is deleted by a detached process holding none of the build's files
  (not the lock), which first links the new site's files for the next build (generator/background.py);
  leftovers of killed builds (scratch folders, an old site) are removed by the next build under the
  lock; a site/ missing next to an old-style `.site.previous` is restored.
The data is loaded and validated once: MkDocs runs in this process (through the adapter,
generator/mkdocs_hook.py) and its hook takes the corpus checked here, with the plan of an
incremental build when only items' wording changed (generator/incremental.py). Any MkDocs warning
fails the build: the adapter collects every WARNING and ERROR MkDocs logs, in any of its processes.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import gc
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from . import background, incremental, load, pipeline, synonyms, timings
from .model import Corpus
from .parallel import workers
from .pipeline import Checking, DataError, data_dir, hand_over

ROOT = Path(__file__).resolve().parent.parent


class BuildBusy(Exception):
    """Another build of the same site folder holds the lock."""


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _lock(site_dir: Path) -> int:
    """An exclusive lock on `.site.lock` beside site/, or BuildBusy naming the holder."""
    path = site_dir.with_name(f".{site_dir.name}.lock")
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(handle, 64, 0).decode(errors="replace").strip() or "?"
        os.close(handle)
        raise BuildBusy(f"another build of {_shown(site_dir)} is running (process {holder}); "
                        f"nothing was changed. Run it again when that build has finished.") from None
    os.ftruncate(handle, 0)
    os.pwrite(handle, str(os.getpid()).encode(), 0)
    return handle


def _leftovers(site_dir: Path) -> list[Path]:
    pattern = re.compile(rf"^\.{re.escape(site_dir.name)}\.(building|previous|old)(-.*)?$")
    return [p for p in site_dir.parent.iterdir() if pattern.match(p.name)] if site_dir.parent.exists() else []


def recover(site_dir: Path) -> None:
    """Clean what killed builds left behind (call with the lock held). An old site is deleted in the
    background: the last build's own process may still be at it (a build started at once after another)."""
    previous = site_dir.with_name(f".{site_dir.name}.previous")  # builds before the atomic swap
    if not site_dir.exists() and previous.is_dir() and (previous / "index.html").exists():
        previous.rename(site_dir)
    old = []
    for leftover in _leftovers(site_dir):
        if leftover.is_dir() and not leftover.is_symlink():
            if leftover.name.startswith(f".{site_dir.name}.old-"):
                old.append(leftover)
            else:
                shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    if old:
        background.detach(lambda: [shutil.rmtree(path, ignore_errors=True) for path in old])


def _exchange_function():
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if hasattr(libc, "renameat2"):  # Linux (glibc 2.28+): renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
        return lambda a, b: libc.renameat2(-100, a, -100, b, 2)
    if hasattr(libc, "renamex_np"):  # macOS: renamex_np(a, b, RENAME_SWAP)
        return lambda a, b: libc.renamex_np(a, b, 2)
    return None


def swap_in(new: Path, site_dir: Path) -> Path | None:
    """Put `new` at `site_dir` atomically; return where the old site went (to be deleted), if any."""
    if not site_dir.exists() and not site_dir.is_symlink():
        new.rename(site_dir)
        return None
    exchange = _exchange_function()
    if exchange is not None and exchange(os.fsencode(new), os.fsencode(site_dir)) == 0:
        return new  # the scratch path now holds the old site
    code = ctypes.get_errno() if exchange is not None else errno.ENOSYS
    if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        raise OSError(code, f"cannot swap {new} and {site_dir}: {os.strerror(code)}")
    # No atomic exchange on this system: two renames; a kill between them is undone by recover().
    old = site_dir.with_name(f".{site_dir.name}.previous")
    site_dir.rename(old)
    new.rename(site_dir)
    return old


def _run_mkdocs(config_file: Path, scratch: Path, strict: bool) -> tuple[int, list[str]]:
    """MkDocs into `scratch`, in this process: its exit code and the warning and error lines it logged."""
    from . import mkdocs_hook  # the adapter; imported here so the core never loads MkDocs

    return mkdocs_hook.build(config_file, scratch, strict)


def _terminate_as_exit(signum, frame):
    raise SystemExit(128 + signum)  # run the `finally` clauses: scratch folders are removed


# A build makes millions of objects that live until it ends; with the default thresholds the
# collector walks them all again every few hundred thousand allocations (a fifth of the CPU at 30×).
BUILD_GC_THRESHOLDS = (100_000, 50, 100)


def build_site(site_dir: Path, strict: bool = True, config_file: Path = ROOT / "mkdocs.yml") -> int:
    thresholds = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        return _build_site(site_dir, strict, config_file)
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()  # what was frozen for the build's forked processes (parallel.py) can be collected again


def _build_site(site_dir: Path, strict: bool, config_file: Path) -> int:
    started = time.perf_counter()
    site_dir = (site_dir if site_dir.is_absolute() else ROOT / site_dir).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = _lock(site_dir)
    except BuildBusy as busy:
        print(busy, file=sys.stderr)
        return 1
    previous_handler = signal.signal(signal.SIGTERM, _terminate_as_exit)  # main thread: the command line
    scratch = linking = plan = None
    try:
        recover(site_dir)
        record = incremental.load_record(site_dir)
        linking = incremental.Linking(site_dir, record)  # in another process, while the data is read
        try:
            corpus, keys = _checked_data(site_dir, config_file)
        except DataError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            print(f"{len(error.problems)} problem(s) in the data; {_shown(site_dir)} was left as it was.", file=sys.stderr)
            return 1
        plan, why = linking.finish(*incremental.plan(site_dir, record, keys, corpus))
        timings.phase(f"compared with the last build: {why}")
        scratch = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
        hand_over(corpus, plan=plan)
        incremental.written = None  # the hook's account of this build's pages
        code, problems = _run_mkdocs(config_file, scratch, strict)
        timings.phase("MkDocs done")
        for line in problems:
            print(line, file=sys.stderr)
        if code != 0 or (strict and problems):
            print(f"MkDocs {'failed' if code else 'warned'}; {_shown(site_dir)} was left as it was.", file=sys.stderr)
            return code or 1
        if not (scratch / "index.html").is_file() or not (scratch / "404.html").is_file():
            print(f"MkDocs wrote no complete site; {_shown(site_dir)} was left as it was.", file=sys.stderr)
            return 1
        pages = (incremental.written or {}).get("pages")
        os.chmod(scratch, 0o755)  # mkdtemp makes it private; a published folder is readable
        record = incremental.save(site_dir, scratch, keys)
        old_site, scratch = swap_in(scratch, site_dir), None
        _after_swap(site_dir, old_site, record)
        timings.phase("new site in place")
    finally:
        if linking is not None:
            linking.stop()
            if linking.tree is not None and plan is not None:  # emptied into the new site, or a failed build's
                shutil.rmtree(linking.tree, ignore_errors=True)
            elif linking.tree is not None and linking.tree.exists():  # not used: all of the current site's files
                background.remove_later(linking.tree, site_dir)
        if scratch is not None:  # a failed build's
            shutil.rmtree(scratch, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous_handler)
        os.close(lock)
    how = (f"incremental: {why}, {len(plan.affected)} item(s) that can show them made again"
           if plan is not None else f"full build: {why}")
    print(f"built {_shown(site_dir)}: {len(corpus.documents)} documents, {len(corpus.nodes)} items, {pages} pages "
          f"in {time.perf_counter() - started:.1f} s ({how})")
    return 0


def _checked_data(site_dir: Path, config_file: Path) -> tuple[Corpus, incremental.Keys]:
    """The corpus, validated, and its keys for the comparison with the last build (DataError if invalid).
    The data as read is not kept: a big corpus's raw YAML would stay in memory, and in every fork, to the end."""
    load.parsed = incremental.load_parsed(site_dir)
    pipeline.template_cache = incremental.cache_folder(site_dir) / "templates"
    # Kept by the files' bytes, so right whatever happens next; saved by the process that validates.
    synonyms.printed_by_file = synonyms.PrintedByFile(incremental.load_printed(site_dir), load.parsed.digests)
    checking = Checking(parallel=workers() > 0,
                        then=lambda: incremental.save_printed(site_dir, synonyms.printed_by_file))
    incremental.save_parsed(site_dir, load.parsed)
    load.parsed = synonyms.printed_by_file = None
    keys = None
    if checking.corpus is not None:  # worked out while the data is validated (of no use if it is not valid)
        with contextlib.suppress(Exception):
            keys = incremental.Keys.of(checking.raw, checking.corpus, data_dir(), config_file)
    raw, corpus = checking.result()
    return corpus, keys or incremental.Keys.of(raw, corpus, data_dir(), config_file)


def _after_swap(site_dir: Path, old_site: Path | None, record: incremental.Record | None) -> None:
    """In the background: the new site's files linked for the next build, then the old site deleted.
    The new site is in place: nothing here can fail the build (the next build cleans up what is left)."""
    if old_site is not None:  # named for what it is while it is deleted
        with contextlib.suppress(OSError):
            old_site = background.set_aside(old_site, site_dir)
    linking = None
    if record is not None:  # made here, so that whoever waits for the background work sees it at once
        with contextlib.suppress(OSError):
            linking = Path(tempfile.mkdtemp(prefix="linking-", dir=incremental.cache_folder(site_dir)))

    def work(prelink: bool = True) -> None:
        if linking is not None:
            if prelink:
                with contextlib.suppress(OSError):
                    incremental.prelink(site_dir, record, linking)
            shutil.rmtree(linking, ignore_errors=True)
        if old_site is not None:
            shutil.rmtree(old_site, ignore_errors=True)

    background.detach(work, instead=lambda: work(prelink=False))
