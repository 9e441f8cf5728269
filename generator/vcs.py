"""What version control knows about the data: when it last changed (not when the site was built)."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


def last_changed(path: Path) -> str | None:
    """ISO date (YYYY-MM-DD) of the last commit that touched `path`; None without git or git history."""
    path = Path(path).resolve()
    folder = path if path.is_dir() else path.parent
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(path)], cwd=folder,
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    date = result.stdout.strip()
    return date if result.returncode == 0 and date else None


@dataclass(frozen=True)
class FileChange:
    """One data file as one commit changed it: the file's content before and after (None: absent)."""

    path: str  # relative to the data folder, e.g. "documents/plan-2023.yml"
    before: bytes | None
    after: bytes | None


@dataclass(frozen=True)
class Commit:
    id: str
    date: str  # ISO 8601 with time zone, when committed
    changes: tuple[FileChange, ...]


@dataclass(frozen=True)
class History:
    commits: tuple[Commit, ...]  # newest first
    complete: bool  # False in a shallow clone: the oldest commit shown is not the first


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", *args], cwd=folder, input=stdin, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def history(folder: Path, paths: tuple[str, ...]) -> History | None:
    """Every commit that changed `paths` (relative to `folder`), with the files' contents before and after.

    Two git processes whatever the size of the history: one `git log` for the commits and the blob ids of
    the files they changed, one `git cat-file --batch` for those blobs. None without git or git history.
    """
    folder = Path(folder).resolve()
    log = _git(folder, "log", "--relative", "--raw", "--no-abbrev", "--no-renames", "-z",
               "--format=%x1e%H%x1f%cI", "--", *paths)
    if not log:
        return None
    records = []
    for record in log.decode("utf-8", "replace").split("\x1e")[1:]:
        header, _, body = record.partition("\0")
        commit, _, date = header.partition("\x1f")
        fields = body.lstrip("\n").split("\0")
        files = [(meta.split()[2], meta.split()[3], path) for meta, path in zip(fields[::2], fields[1::2])
                 if meta.startswith(":")]
        records.append((commit, date.strip(), files))
    empty = "0" * 40
    blobs = sorted({blob for _, _, files in records for old, new, _ in files for blob in (old, new) if blob != empty})
    contents = _blobs(folder, blobs)
    commits = tuple(
        Commit(commit, date, tuple(FileChange(path, contents.get(old), contents.get(new)) for old, new, path in files))
        for commit, date, files in records
    )
    shallow = (_git(folder, "rev-parse", "--is-shallow-repository") or b"").strip() == b"true"
    return History(commits, complete=not shallow)


def _blobs(folder: Path, ids: list[str]) -> dict[str, bytes]:
    """The contents of many blobs from one `git cat-file --batch`."""
    if not ids:
        return {}
    output = _git(folder, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode())
    contents, position = {}, 0
    while output and position < len(output):
        end = output.index(b"\n", position)
        blob, kind, *size = output[position:end].decode().split()
        position = end + 1
        if kind == "missing":
            continue
        length = int(size[0])
        contents[blob] = output[position:position + length]
        position += length + 1
    return contents
