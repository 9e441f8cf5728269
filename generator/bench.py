"""`make bench`: build the real corpus and a synthetic one 30 times its size, and report.

The synthetic corpus is made from the real data (each document's tree repeated 30 times with
fresh ids and numbers, references kept inside each copy) and built through the same pipeline,
in a temporary folder. Prints, for each: pages, seconds, ms per page, largest item page, search
index size; then `largest item page: N KB` and last `scaling ratio: R`.
"""
from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .load import walk_raw
from .pipeline import DATA_DIR, load_corpus

ROOT = Path(__file__).resolve().parent.parent
ITEM_KINDS = {"measure", "column", "task"}


def _suffix_tree(nodes, suffix: str, offsets: dict, copy_index: int):
    for node in nodes:
        node["id"] = f"{node['id']}{suffix}"
        if node.get("number"):
            if node["kind"] in offsets:
                node["number"] = str(int(node["number"]) + offsets[node["kind"]] * copy_index)
            elif copy_index:
                node["number"] = f"{node['number']}{copy_index}"
        for field in ("implements",):
            if node.get(field):
                node[field] = [f"{ref}{suffix}" for ref in node[field]]
        if node.get("belongs_to"):
            node["belongs_to"] = f"{node['belongs_to']}{suffix}"
        if copy_index:  # a copy's renumbered headings no longer read as the corrections say
            for note in node.get("notes") or []:
                if note["type"] == "correction":
                    note["type"] = "editorial"
        _suffix_tree(node.get("children") or [], suffix, offsets, copy_index)


def make_synthetic(target: Path, factor: int) -> None:
    """Write data/ for a corpus `factor` times the real one into `target`."""
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("documents", "sources"))
    (target / "documents").mkdir()
    for path in sorted((DATA_DIR / "documents").glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        offsets = {}
        for node, _ in walk_raw(document["sections"]):
            if node["kind"] in ("task", "column", "indicator") and str(node.get("number", "")).isdigit():
                offsets[node["kind"]] = max(offsets.get(node["kind"], 0), int(node["number"]))
        sections = []
        for index in range(factor):
            tree = copy.deepcopy(document["sections"])
            _suffix_tree(tree, f"-r{index}" if index else "", offsets, index)
            sections.extend(tree)
        document["sections"] = sections
        (target / "documents" / path.name).write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")


BENCH_QUERIES = ["昆仑2023", "AIPPI", "市场监管总局", "知识产权保护体系"]


def search_fetch_kb(site_dir: Path, query: str) -> float:
    """What the search page downloads for one query, at the least: config, the shards of its
    character pairs, and the text files of the first 24 pages that hold all its pairs."""
    import json

    from .search import fnv1a, normalise

    folder = site_dir / "search"
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    text = normalise(query)
    pairs = {text[i:i + 2] for i in range(len(text) - 1)}
    total = (folder / "config.json").stat().st_size
    page_sets = []
    for shard_id in {fnv1a(pair) % config["shards"] for pair in pairs}:
        path = folder / f"shard-{shard_id}.json"
        total += path.stat().st_size
        postings = json.loads(path.read_text(encoding="utf-8"))
        for pair in pairs & postings.keys():
            entry = postings[pair]
            if isinstance(entry, dict):
                ids, page = set(), 0
                for index, delta in enumerate(entry["p"]):
                    page = delta if index == 0 else page + delta
                    ids.add(page)
            else:
                ids = {item[0] for item in entry}
            page_sets.append(ids)
    candidates = sorted(set.intersection(*page_sets)) if page_sets else []
    total += sum((folder / "page" / f"{page}.json").stat().st_size for page in candidates[:24])
    return total / 1024


def measure(data_dir: Path, site_dir: Path) -> dict:
    env = {**os.environ, "IPP_DATA_DIR": str(data_dir), "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(site_dir)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    corpus = load_corpus(data_dir)
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    item_sizes = [(site_dir / n.url / "index.html").stat().st_size for n in corpus.nodes if n.kind in ITEM_KINDS]
    search = sum(p.stat().st_size for p in (site_dir / "search").glob("*.json"))
    return {"pages": pages, "seconds": seconds, "ms_per_page": 1000 * seconds / pages,
            "largest_item_kb": max(item_sizes) / 1024, "search_kb": search / 1024,
            "shard_kb": max(p.stat().st_size for p in (site_dir / "search").glob("shard-*.json")) / 1024,
            "query_kb": {q: search_fetch_kb(site_dir, q) for q in BENCH_QUERIES}}


def start_serve(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """`mkdocs serve --dirty` (as `make serve` runs it) on a free local port; returns it and its base URL."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "IPP_DATA_DIR": str(data_dir), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}/"


def serve_latency(data_dir: Path, trials: int = 3) -> list[float]:
    """Seconds from saving a YAML edit to the changed page being served by `make serve`."""
    import urllib.request

    server, base = start_serve(data_dir)
    url = base + "plan-2023/p-1/"
    plan = data_dir / "documents" / "plan-2023.yml"

    def served() -> str:
        try:
            return urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.time() + 60
        while "完善知识产权制度" not in served() and time.time() < deadline:
            time.sleep(0.2)
        original = plan.read_text(encoding="utf-8")
        results = []
        for trial in range(trials):
            marker = f"serve-edit-{trial}"
            # A wording edit is recorded as a correction, as the fidelity check requires.
            plan.write_text(original.replace("\n  title: 完善知识产权制度\n", f"\n  title: 完善知识产权制度{marker}\n  notes:\n"
                                             f"  - {{type: correction, reads: 完善知识产权制度, published: 完善知识产权制度{marker}, reason: 测试, public: 测试}}\n", 1),
                            encoding="utf-8")
            started = time.perf_counter()
            while marker not in served() and time.perf_counter() - started < 30:
                time.sleep(0.05)
            results.append(time.perf_counter() - started)
            plan.write_text(original, encoding="utf-8")
            time.sleep(3)
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def main(factor: int = 30) -> int:
    with tempfile.TemporaryDirectory(prefix="ipp-bench-") as scratch:
        scratch = Path(scratch)
        synthetic = scratch / "data"
        make_synthetic(synthetic, factor)
        rows = [("1×", measure(DATA_DIR, scratch / "site-1")), (f"{factor}×", measure(synthetic, scratch / "site-n"))]
        real_copy = scratch / "real-data"
        shutil.copytree(DATA_DIR, real_copy)
        latencies = serve_latency(real_copy)
    print(f"{'corpus':<8}{'pages':>8}{'seconds':>10}{'ms/page':>10}{'largest item KB':>17}{'search index KB':>17}{'largest shard KB':>18}")
    for name, row in rows:
        print(f"{name:<8}{row['pages']:>8}{row['seconds']:>10.1f}{row['ms_per_page']:>10.2f}"
              f"{row['largest_item_kb']:>17.1f}{row['search_kb']:>17.0f}{row['shard_kb']:>18.1f}")
    for query in BENCH_QUERIES:
        print(f"one search for {query}: " + ", ".join(f"{name} {row['query_kb'][query]:.0f} KB" for name, row in rows))
    print(f"make serve: a YAML edit is served after {', '.join(f'{s:.2f}' for s in latencies)} s")
    print(f"largest item page: {max(r['largest_item_kb'] for _, r in rows):.1f} KB")
    print(f"scaling ratio: {rows[1][1]['ms_per_page'] / rows[0][1]['ms_per_page']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
