"""IPP_TIMINGS=1: when each phase of a build ends, on stderr (the bench and README use it)."""
from __future__ import annotations

import os
import resource
import sys
import time

STARTED = time.perf_counter()


def phase(name: str) -> None:
    """Seconds since the build's process started, this process's CPU time and peak memory."""
    if os.environ.get("IPP_TIMINGS"):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"[{time.perf_counter() - STARTED:7.2f} s] {name} (process {os.getpid()}, "
              f"{time.process_time():.2f} s of CPU, {_resident()}peak {peak} MB)", file=sys.stderr)


def _resident() -> str:
    """The memory this process holds now (Linux), which a process forked now starts with."""
    try:
        pages = int(open("/proc/self/statm").read().split()[1])
    except (OSError, ValueError, IndexError):
        return ""
    return f"now {pages * os.sysconf('SC_PAGE_SIZE') // 2**20} MB, "
