"""`make bench` (after generator.bench): what one search costs in the browser, at 1×, 30× and 100×.

For each scale the site is built (the real data, or generator.bench's synthetic corpus), served
locally, and Debian's chromium types each query of a fixed set into the search page. Counted, as
the browser fetches them: the raw bytes and the number of requests for the search index files
(everything under search/ but the page itself) until the first screen of results is shown, and
the time from pressing Enter to that moment (the page marks it: body[data-search-first]). Prints one line per query and the worst per scale.

    python -m generator.search_bench [SCALE …]      # default: 1 30 100
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .bench import make_synthetic
from .pipeline import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# The kinds people type: campaign names with digits, Latin acronyms (also in full-width brackets),
# department names, short names and foreign names, several terms, and phrases of 4–8 common
# characters (the costly kind when pages are checked one by one).
QUERIES = ["昆仑2023", "剑网2023", "AIPPI", "（AIPPI）", "市场监管总局", "国家知识产权局", "工信部", "发改委", "WIPO",
           "专利 导航", "商业秘密保护", "知识产权", "知识产权保护", "加强知识产权保护", "知识产权保护体系", "知识产权质押融资"]


# The index files the browser had received when the first screen was shown: a snapshot of Resource
# Timing taken the moment the page marks body[data-search-first] (a mutation observer runs before
# any later response is handled).
SNAPSHOT = """
new MutationObserver(() => {
  if (window.firstScreenFetched || !document.body.hasAttribute("data-search-first")) return;
  window.firstScreenFetched = performance.getEntriesByType("resource").map(e => new URL(e.name).pathname)
    .filter(p => p.includes("/search/") && p.endsWith(".json")).map(p => p.slice(p.indexOf("/search/") + 1));
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-search-first"]});
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a closed browser context drops its connections: not news


def build(data_dir: Path, site_dir: Path) -> float:
    env = {**os.environ, "IPP_DATA_DIR": str(data_dir), "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(site_dir)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return time.perf_counter() - started


def measure(site_dir: Path, queries: list[str]) -> list[dict]:
    """Per query: index bytes and requests until the first screen, milliseconds, results listed."""
    from playwright.sync_api import sync_playwright

    httpd = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}/"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                page.add_init_script(SNAPSHOT)
                page.goto(base + "search/", wait_until="networkidle")
                fetched: list[tuple[str, int]] = []

                def finished(request, fetched=fetched):
                    path = request.url[len(base):]
                    if path.startswith("search/") and path.split("?")[0].endswith(".json"):
                        fetched.append((path, request.sizes()["responseBodySize"]))

                page.on("requestfinished", finished)
                started = time.perf_counter()
                page.fill("#ipp-q", query)
                page.press("#ipp-q", "Enter")
                page.wait_for_function("q => document.body.getAttribute('data-search-first') === q", arg=query,
                                       timeout=60_000, polling=10)
                elapsed = time.perf_counter() - started
                shown = page.locator("#ipp-search-results li > a").count()
                page.wait_for_load_state("networkidle")
                sizes = dict(fetched)
                first = [(p, sizes.get(p, 0)) for p in page.evaluate("window.firstScreenFetched")]
                rows.append({"query": query, "bytes": sum(s for _, s in first), "requests": len(first),
                             "ms": 1000 * elapsed, "shown": shown,
                             "status": page.locator("#ipp-search-status").inner_text()})
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return rows


def main(scales: list[int]) -> int:
    worst = []
    with tempfile.TemporaryDirectory(prefix="ipp-search-bench-") as scratch:
        scratch = Path(scratch)
        for scale in scales:
            data = DATA_DIR
            if scale != 1:
                data = scratch / f"data-{scale}"
                make_synthetic(data, scale)
            site = scratch / f"site-{scale}"
            seconds = build(data, site)
            pages = sum(1 for _ in (site / "search" / "page").glob("*.json"))
            index_kb = sum(p.stat().st_size for p in (site / "search").glob("*.json")) / 1024
            print(f"\n{scale}×: {pages} pages indexed, search index {index_kb:,.0f} KB, built in {seconds:.0f} s")
            print(f"{'query':<20}{'KB':>8}{'requests':>10}{'ms':>8}{'shown':>7}  status")
            rows = measure(site, QUERIES)
            for row in rows:
                print(f"{row['query']:<20}{row['bytes'] / 1024:>8.1f}{row['requests']:>10}{row['ms']:>8.0f}"
                      f"{row['shown']:>7}  {row['status']}")
            worst.append((scale, max(r["bytes"] for r in rows), max(r["requests"] for r in rows),
                          max(r["ms"] for r in rows)))
            import shutil
            shutil.rmtree(site)
    print("\nsearch, worst of the query set, first screen of results:")
    for scale, size, requests, ms in worst:
        print(f"{scale:>4}×: {size / 1024:.1f} KB raw, {requests} requests, {ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [1, 30, 100]))
