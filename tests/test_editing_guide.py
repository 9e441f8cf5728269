"""The editors' guide (content/editing.md) walks through one year; every command in it is run here, in
order, on a scratch copy of the repository (with its own git remote standing in for GitHub)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import yaml

from conftest import DATA, ROOT

GUIDE = ROOT / "content" / "editing.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
COPIED = ["generator", "theme", "content", "data", "mkdocs.yml", "Makefile", "pyproject.toml", "constraints.txt"]


def guide_blocks() -> list[tuple[str, str]]:
    return FENCE.findall(GUIDE.read_text(encoding="utf-8"))


def guide_commands() -> list[str]:
    return [line for language, body in guide_blocks() if language == "sh"
            for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def official_text() -> str:
    """Next year's plan as an editor would download it: the 2023 text with its year changed and a body
    the registry does not know yet (国家数据局, set up in 2023)."""
    text = (DATA / "sources" / "002_7eb8a8e758457245.txt").read_text(encoding="utf-8")
    text = text.replace("2023", "2024")
    return text.replace("（国家林草局负责）", "（国家林草局、国家数据局负责）", 1)


def scratch_repository(tmp_path):
    repo, remote, home = tmp_path / "repo", tmp_path / "remote.git", tmp_path / "home"
    repo.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / name)
    # The set-up `make deps` does is already done: this Python is the project's, and pip has nothing to do.
    python = repo / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\n[ "$1 $2" = "-m pip" ] && exit 0\nexec "{ROOT / ".venv" / "bin" / "python"}" "$@"\n')
    python.chmod(0o755)
    (repo / ".gitignore").write_text(".venv/\nsite/\n.site.*\n")
    (home / "下载").mkdir(parents=True)
    (home / "下载" / "2024年推进计划.txt").write_bytes(official_text().encode("gbk"))
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("IPP_", "GIT_", "VIRTUAL_ENV"))},
           "HOME": str(home), "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "editor@example.org", "NO_MKDOCS_2_WARNING": "1"}
    for command in (["git", "init", "-q", "--bare", str(remote)], ["git", "init", "-q", "-b", "main"],
                    ["git", "add", "-A"], ["git", "commit", "-q", "-m", "baseline"],
                    ["git", "remote", "add", "origin", str(remote)], ["git", "push", "-q", "-u", "origin", "main"]):
        subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)
    return repo, remote, env


def accept_first_suggestion(document_path):
    """What the guide asks of the editor in step 4, done to task 1: its first suggestion becomes a link."""
    text = document_path.read_text(encoding="utf-8")
    match = re.search(r"(    - id: t-1\n(?:      .*\n)*?)      suggested:\n      - ([a-z0-9-]+/[a-z0-9-]+)[^\n]*\n", text)
    assert match, "task 1 has suggestions"
    text = text.replace(match[0], f"{match[1]}      implements: [{match[2]}]\n      suggested:\n", 1)
    document_path.write_text(text.replace("      suggested:\n    - id:", "    - id:"), encoding="utf-8")
    return match[2]


def test_every_command_of_the_guide_runs(tmp_path):
    repo, remote, env = scratch_repository(tmp_path)
    outputs, accepted = {}, None
    for language, body in guide_blocks():
        if language == "yaml" and body.startswith("- {id:"):  # the registry entry the guide has the editor add
            registry = repo / "data" / "departments.yml"
            registry.write_text(registry.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")
        elif language == "yaml" and "suggested:" in body:
            accepted = accept_first_suggestion(repo / "data" / "documents" / "plan-2024.yml")
        elif language == "sh":
            for command in [c for c in body.splitlines() if c.strip() and not c.lstrip().startswith("#")]:
                result = subprocess.run(["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True,
                                        timeout=600)
                assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
                assert "Traceback" not in result.stderr, command
                outputs[command] = result.stdout
    commands = guide_commands()
    assert any(c.startswith("make import") for c in commands) and "make site" in commands and "git push" in commands

    # Step 2 reported the unknown department the way the guide shows it (path and line aside).
    shown = next(body for language, body in guide_blocks() if language == "text" and "国家数据局" in body)
    shown_line, advice = re.match(r"^.*?\.txt:(\d+): (.*)$", shown.strip()).groups()
    imported = next(out for command, out in outputs.items() if command.startswith("make import"))
    line = next(i for i, t in enumerate(official_text().splitlines(), 1) if "国家数据局" in t)
    assert int(shown_line) == line and f"2024年推进计划.txt:{line}: {advice}" in imported
    # The checksum the editor noted is the one in the provenance file.
    document = yaml.safe_load((repo / "data" / "documents" / "plan-2024.yml").read_text(encoding="utf-8"))
    provenance = yaml.safe_load((repo / document["source"]).with_suffix(".yml").read_text(encoding="utf-8"))
    checksum = next(out for command, out in outputs.items() if command.startswith("sha256sum")).split()[0]
    original = official_text().encode("gbk")
    assert provenance["obtained_from"] == "https://www.cnipa.gov.cn/" and provenance["document"] == "plan-2024"
    assert checksum == __import__("hashlib").sha256(original).hexdigest()
    assert checksum in provenance["provenance"]
    # Fidelity covered the new text; the site has the new plan, its comparison page and the accepted link.
    assert "0 fidelity problem(s)" in next(out for command, out in outputs.items() if "generator.fidelity" in command)
    page = (repo / "site" / "plan-2024" / "t-1" / "index.html").read_text(encoding="utf-8")
    assert accepted and f"{accepted}/" in page
    comparison = (repo / "site" / "compare" / "plan-2024" / "index.html").read_text(encoding="utf-8")
    assert "2024年推进计划与2023年推进计划对照" in comparison
    # Published: the commit with the new document reached the remote.
    log = subprocess.run(["git", "log", "--format=%s", "--name-only", "-1", "main"], cwd=remote, env=env,
                         capture_output=True, text=True).stdout
    assert "2024年推进计划" in log and "data/documents/plan-2024.yml" in log
