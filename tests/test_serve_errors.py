"""`make serve` with invalid data: every page answers at once with the list of problems, and the
site comes back by itself (live reload) once the data is fixed."""
from __future__ import annotations

import html
import time
import urllib.error
import urllib.request

from generator.bench import start_serve

PLAN = "documents/plan-2023.yml"


def _get(url: str) -> str:
    """The page's text with entities decoded."""
    try:
        return html.unescape(urllib.request.urlopen(url, timeout=5).read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return html.unescape(error.read().decode("utf-8", errors="replace"))
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 90) -> str:
    deadline = time.time() + seconds
    while time.time() < deadline:
        page = _get(url)
        if text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}; last answer: {page[:300]!r}")


def test_invalid_data_shows_on_every_page_and_recovers(data_copy):
    plan = data_copy / PLAN
    good = plan.read_text(encoding="utf-8")
    bad = good.replace("lead: 国家知识产权局\n", "lead: 国家知识产权总局\n", 1)
    line = good.split("lead: 国家知识产权局\n", 1)[0].count("\n") + 1
    problem = f"data/{PLAN}:{line}: t-1 › lead: unknown department '国家知识产权总局'"
    plan.write_text(bad, encoding="utf-8")
    server, base = start_serve(data_copy)
    try:
        page = _wait_for(base, "数据有误")  # invalid from the start: the home page says why
        assert problem in page and "livereload" in page
        plan.write_text(good, encoding="utf-8")
        _wait_for(base + "plan-2023/t-1/", "推动完成《中华人民共和国专利法实施细则》修改")
        plan.write_text(bad, encoding="utf-8")
        _wait_for(base + "plan-2023/t-1/", "数据有误")
        for path in ("", "plan-2023/", "plan-2023/p-1/", "departments/samr/", "about/", "data/"):
            started = time.perf_counter()
            page = _get(base + path)
            assert time.perf_counter() - started < 5 and problem in page, (path, page[:300])
        plan.write_text(good, encoding="utf-8")
        _wait_for(base + "about/", "关于")
        page = _wait_for(base + "plan-2023/t-1/", "推动完成《中华人民共和国专利法实施细则》修改")
        assert "数据有误" not in page and "数据有误" not in _get(base + "about/")
    finally:
        server.terminate()
        server.wait(timeout=10)
