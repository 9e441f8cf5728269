"""`make serve` (mkdocs serve --dirty): a saved YAML edit reaches every page it shows on.

Timing is the benchmark's business (`make bench`); this checks that the edit arrives at all,
including on pages that only repeat the edited text (breadcrumbs), which a dirty rebuild must not miss.
"""
from __future__ import annotations

import time
import urllib.request

from generator.bench import start_serve


def _get(url: str) -> str:
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if text in _get(url):
            return True
        time.sleep(0.2)
    return False


def test_serve_shows_a_yaml_edit_everywhere(data_copy):
    server, base = start_serve(data_copy)
    try:
        assert _wait_for(base + "plan-2023/p-1/", "完善知识产权制度"), "mkdocs serve did not start"
        plan = data_copy / "documents" / "plan-2023.yml"
        text = plan.read_text(encoding="utf-8")
        # A wording edit must be recorded as a correction, or the fidelity check refuses it.
        plan.write_text(text.replace("\n  title: 完善知识产权制度\n", "\n  title: 完善知识产权制度（已编辑）\n  notes:\n"
                                     "  - {type: correction, reads: 完善知识产权制度, published: 完善知识产权制度（已编辑）, reason: 测试, public: 测试}\n",
                                     1), encoding="utf-8")
        assert _wait_for(base + "plan-2023/p-1/", "完善知识产权制度（已编辑）")
        assert "完善知识产权制度（已编辑）" in _get(base + "plan-2023/t-1/")  # breadcrumb of a child
        assert "完善知识产权制度（已编辑）" in _get(base + "plan-2023/")  # the document's contents
        assert "市场监管总局" in _get(base + "departments/samr/")  # an untouched page is still served
    finally:
        server.terminate()
        server.wait(timeout=10)
