"""Link suggestions: measured against the editors' hand-made links, validated, and never published."""
from __future__ import annotations

import subprocess
import sys

import yaml

from conftest import DATA, ROOT, page_text, run_build, run_check
from generator.suggest import Suggester, load_documents, tasks_of
from generator.suggest_eval import evaluate
from test_importer import SAMPLE, run_import


def test_measurement_runs_and_beats_chance():
    documents = load_documents(DATA)
    score = evaluate(documents, "plan-2023")
    plan = next(d for d in documents if d["id"] == "plan-2023")
    hand_links = sum(len(t.get("implements") or []) for t in tasks_of(plan))
    assert score.links == hand_links and score.tasks == len(tasks_of(plan))
    assert 0 < score.suggestions <= 3 * score.tasks
    # Three guesses out of every candidate at random would find about 3/len(candidates) of the links.
    chance = 3 / len(Suggester(documents, plan).candidates)
    assert score.recall > 10 * chance and score.precision > 0
    result = subprocess.run([sys.executable, "-m", "generator.suggest_eval", "plan-2023"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"precision {score.precision:.1%}" in result.stdout and f"recall {score.recall:.1%}" in result.stdout


def test_suggester_does_not_see_the_hand_links():
    documents = load_documents(DATA)
    plan = next(d for d in documents if d["id"] == "plan-2023")
    task = tasks_of(plan)[0]
    suggester = Suggester(documents, plan)
    blind = {k: v for k, v in task.items() if k != "implements"}
    assert suggester.ranked(task) == suggester.ranked(blind)
    assert all(not c.ref.startswith("plan-2023/") for c in suggester.candidates)


def test_suggestions_are_validated_and_not_published_until_accepted(tmp_path, data_copy):
    path = tmp_path / "plan.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    assert run_import(path, "plan-2024", data_copy).returncode == 0
    target = data_copy / "documents" / "plan-2024.yml"
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    task = tasks_of(document)[0]
    suggested = task["suggested"]
    assert 1 <= len(suggested) <= 3 and "implements" not in task
    assert run_check(data_copy).returncode == 0

    site = tmp_path / "site"
    result = run_build(site, data_copy)
    assert result.returncode == 0, result.stderr
    page = (site / "plan-2024" / "t-1" / "index.html").read_text(encoding="utf-8")
    assert "落实的规划内容" not in page
    for built in (site / "plan-2024").rglob("*"):  # pages and any per-page data of the new plan
        if built.is_file():
            assert suggested[0] not in built.read_text(encoding="utf-8", errors="replace"), built
    assert "plan-2024" not in page_text(site / suggested[0] / "index.html")
    for built in (site / "downloads").iterdir():
        assert "suggest" not in built.read_text(encoding="utf-8-sig", errors="replace"), built.name

    # Accepting one: moved to implements, it is published both ways.
    text = target.read_text(encoding="utf-8")
    text = text.replace(f"      suggested:\n      - {suggested[0]}", f"      implements: [{suggested[0]}]\n      suggested:", 1)
    target.write_text(text, encoding="utf-8")
    result = run_build(site, data_copy)
    assert result.returncode == 0, result.stderr
    page = (site / "plan-2024" / "t-1" / "index.html").read_text(encoding="utf-8")
    assert "落实的规划内容" in page and f"{suggested[0]}/" in page
    assert "2024" in page_text(site / suggested[0] / "index.html")


def test_bad_suggestions_are_reported_on_their_line(data_copy):
    target = data_copy / "documents" / "plan-2023.yml"
    text = target.read_text(encoding="utf-8")
    text = text.replace("      implements: [plan-2021/m-4-1]\n",
                        "      implements: [plan-2021/m-4-1]\n      suggested: [plan-2021/m-4-1, plan-2021/nowhere]\n", 1)
    target.write_text(text, encoding="utf-8")
    line = text.splitlines().index("      suggested: [plan-2021/m-4-1, plan-2021/nowhere]") + 1
    result = run_check(data_copy)
    assert result.returncode == 1
    assert f"data/documents/plan-2023.yml:{line}: reference 'plan-2021/nowhere' does not point to any item" in result.stderr
    assert f"data/documents/plan-2023.yml:{line}: 'plan-2021/m-4-1' is both suggested and accepted" in result.stderr
