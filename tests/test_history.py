"""The history of the data: 更新记录, the Atom feed and each item's date, from a real git repository of data/;
and builds without (complete) history, which succeed and say so."""
from __future__ import annotations

import os
import shutil
import subprocess

import feedparser
import pytest

from conftest import DATA, page_text, run_build

FIRST = "2024-01-02T03:04:05+08:00"
SECOND = "2025-06-07T08:09:10+08:00"
# A wording change the data can prove: a correction of t-5 (reads → published) recorded on the item.
ITEM = "plan-2023/t-5"
OLD, NEW = "推进修改《生物遗传资源", "推动修改《生物遗传资源"
NOTE = f"""      notes:
        - type: correction
          reads: {OLD}
          published: {NEW}
          reason: 测试用的更正。
          public: 测试用的更正：原文作“推进”，本站作“推动”。
"""


def _git(repo, *args, date=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    """A git repository holding a copy of data/: the data as it is, then a commit correcting one item."""
    repo = tmp_path_factory.mktemp("history") / "repo"
    shutil.copytree(DATA, repo / "data")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "data", date=FIRST)
    path = repo / "data" / "documents" / "plan-2023.yml"
    text = path.read_text(encoding="utf-8")
    (line,) = [line for line in text.splitlines(keepends=True) if line.startswith(f"      text: {OLD}")]
    path.write_text(text.replace(line, line.replace(OLD, NEW) + NOTE), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "correct t-5", date=SECOND)
    return repo


@pytest.fixture(scope="module")
def history_site(repository, tmp_path_factory):
    site = tmp_path_factory.mktemp("history-site") / "site"
    result = run_build(site, repository / "data")
    assert result.returncode == 0, result.stderr
    return site


def test_the_feed_lists_the_commit_and_what_it_changed(history_site):
    feed = feedparser.parse((history_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.endswith("更新记录")
    assert len(feed.entries) == 2
    latest, first = feed.entries
    assert latest.updated == SECOND and first.updated == FIRST
    assert "文字有改动" in latest.title and "校注有改动" in latest.title and "2023" in latest.title
    assert f'href="{ITEM}/"' in latest.content[0].value  # the changed item, linked
    assert latest.id != first.id
    assert "新增文件" in first.title


def test_the_changes_page_and_the_item_dates(history_site):
    text = page_text(history_site / "changes" / "index.html")
    assert "2025年6月7日" in text and "2024年1月2日" in text
    assert text.index("2025年6月7日") < text.index("2024年1月2日")  # newest first
    changed = page_text(history_site / ITEM / "index.html")
    assert "本条文字最后修改：2025年6月7日" in changed
    unchanged = page_text(history_site / "plan-2023" / "t-6" / "index.html")
    assert "本条文字最后修改：2024年1月2日" in unchanged


def test_a_build_without_history_succeeds_and_says_so(data_copy, tmp_path):
    site = tmp_path / "site"
    result = run_build(site, data_copy)
    assert result.returncode == 0, result.stderr
    assert "没有版本记录" in page_text(site / "changes" / "index.html")
    assert "没有版本记录" in page_text(site / ITEM / "index.html")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries == []


def test_a_shallow_clone_builds_and_says_its_history_is_incomplete(repository, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repository}", str(clone)], check=True)
    site = tmp_path / "site"
    result = run_build(site, clone / "data")
    assert result.returncode == 0, result.stderr
    assert "版本记录不完整" in page_text(site / "changes" / "index.html")
    assert "版本记录不完整" in page_text(site / ITEM / "index.html")
    assert not feedparser.parse((site / "feed.xml").read_bytes()).bozo
