"""What version control knows about the data: when it last changed (not when the site was built)."""
from __future__ import annotations

import subprocess
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
