"""`make bench` (after generator.bench): what one search costs in the browser, at 1×, 30× and 100×.

For each scale the site is built (the real data, or generator.bench's synthetic corpus), served
locally, and Debian's chromium searches each query of a fixed set, each in a fresh browser context
(nothing cached), two ways a reader does:

- typed: the search page is open (its own load is timed apart); the query is typed into its box and
  Enter pressed. Counted, as the browser fetches them: the raw bytes and the number of requests for
  the search index files (everything under search/ but the page itself) until the first screen of
  results is shown, and the milliseconds from the Enter key's submit to the first screen painted
  (the page marks the screen with body[data-search-first]; the bench waits for the frame after it).
  The clock is the page's own (performance.now()), so the time Playwright needs to drive the
  browser is not counted.
- from another page: search/?q=… opened as the header's box on any other page opens it; the
  milliseconds from the start of that navigation to the first screen painted (the page's load included).

Prints one line per query and the worst per scale.

    python -m generator.search_bench [SCALE …]      # default: 1 30 100
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
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


# In the page, before its own scripts: when the query is issued (the search form's submit, or the
# navigation's start for search/?q=…), and, the moment the page marks body[data-search-first] (a
# mutation observer runs before any later response is handled), a snapshot of the index files received
# and their raw sizes (Resource Timing); then the time of the frame after that mark: the first screen painted.
SNAPSHOT = """
window.searchIssued = 0;
addEventListener("submit", () => { window.searchIssued = performance.now(); }, true);
new MutationObserver(() => {
  if (window.firstScreenFetched || !document.body.hasAttribute("data-search-first")) return;
  window.firstScreenFetched = performance.getEntriesByType("resource")
    .map(e => [new URL(e.name).pathname, e.decodedBodySize])
    .filter(([p]) => p.includes("/search/") && p.endsWith(".json"))
    .map(([p, size]) => [p.slice(p.indexOf("/search/") + 1), size]);
  requestAnimationFrame(() => setTimeout(() => { window.firstScreenPainted = performance.now(); }));
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-search-first"]});
"""
PAINTED = "() => window.firstScreenPainted !== undefined"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a closed browser context drops its connections: not news


def build(data_dir: Path, site_dir: Path) -> float:
    env = {**os.environ, "IPP_DATA_DIR": str(data_dir), "NO_MKDOCS_2_WARNING": "1", "IPP_BENCH_LARGE_FILES": "1"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(site_dir)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return time.perf_counter() - started


def measure(site_dir: Path, queries: list[str], browser=None) -> list[dict]:
    """Per query: the index files fetched until the first screen (their raw bytes and number),
    milliseconds typed and from another page, results listed, the search page's own load
    (milliseconds to DOMContentLoaded). In Debian's chromium, or in `browser` (a Playwright one)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            try:
                return measure(site_dir, queries, browser)
            finally:
                browser.close()
    from urllib.parse import quote

    httpd = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}/"
    rows = []
    try:
        warm = browser.new_page()  # the browser's own first page costs more than any later one
        warm.goto(base + "search/", wait_until="networkidle")
        warm.close()
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            page.add_init_script(SNAPSHOT)
            page.goto(base + "search/", wait_until="networkidle")
            loaded = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
            page.fill("#ipp-q", query)
            page.press("#ipp-q", "Enter")
            page.wait_for_function(PAINTED, timeout=60_000)
            typed = page.evaluate("window.firstScreenPainted - window.searchIssued")
            shown = page.locator("#ipp-search-results li > a").count()
            first = page.evaluate("window.firstScreenFetched")
            page.wait_for_function("document.body.hasAttribute('data-search-done')")
            status = page.locator("#ipp-search-status").inner_text()
            context.close()

            context = browser.new_context()  # from another page: a fresh load of search/?q=…
            page = context.new_page()
            page.add_init_script(SNAPSHOT)
            page.goto(base + "search/?q=" + quote(query))
            page.wait_for_function(PAINTED, timeout=60_000)
            linked = page.evaluate("window.firstScreenPainted")
            context.close()
            rows.append({"query": query, "files": [p for p, _ in first], "bytes": sum(s for _, s in first),
                         "requests": len(first), "ms": typed, "linked_ms": linked, "page_ms": loaded, "shown": shown,
                         "status": status})
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
            print(f"\n{scale}×: {pages} pages indexed, search index {index_kb:,.0f} KB (without the pages' text "
                  f"files), site built in {seconds:.0f} s")
            print(f"{'query':<20}{'KB':>8}{'requests':>10}{'typed ms':>10}{'linked ms':>11}{'page ms':>9}{'shown':>7}  status")
            load_before = os.getloadavg()[0]
            rows = measure(site, QUERIES)
            for row in rows:
                print(f"{row['query']:<20}{row['bytes'] / 1024:>8.1f}{row['requests']:>10}{row['ms']:>10.0f}"
                      f"{row['linked_ms']:>11.0f}{row['page_ms']:>9.0f}{row['shown']:>7}  {row['status']}")
            worst.append((scale, pages, max(r["bytes"] for r in rows), max(r["requests"] for r in rows),
                          max(r["ms"] for r in rows), max(r["linked_ms"] for r in rows),
                          max(r["page_ms"] for r in rows), f"{load_before:.1f} → {os.getloadavg()[0]:.1f}"))
            shutil.rmtree(site)
    print("\nsearch, worst of the query set until the first screen of results (typed: from Enter on the search page; "
          "linked: search/?q=… opened from another page, its load included; page: the search page's own load):")
    print(f"{'corpus':<8}{'pages':>7}{'KB raw':>9}{'requests':>10}{'typed ms':>10}{'linked ms':>11}{'page ms':>9}"
          f"  load avg (1 min, before → after)")
    for scale, pages, size, requests, ms, linked, loaded, load in worst:
        print(f"{str(scale) + '×':<8}{pages:>7}{size / 1024:>9.1f}{requests:>10}{ms:>10.0f}{linked:>11.0f}"
              f"{loaded:>9.0f}  {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [1, 30, 100]))
